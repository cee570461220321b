from django.urls import path

from zhuanxing.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.index, name="index"),
    path("progress/", views.progress, name="progress"),
    path("<slug:kind>/", views.record_list, name="record_list"),
    path("<slug:kind>/new/", views.record_create, name="record_create"),
    path("<slug:kind>/export.xlsx", views.record_export, name="record_export"),
    path("<slug:kind>/template.xlsx", views.record_template, name="record_template"),
    path("<slug:kind>/import/", views.record_import, name="record_import"),
    path("<slug:kind>/import/confirm/", views.record_import_confirm, name="record_import_confirm"),
    path("<slug:kind>/<int:pk>/", views.record_edit, name="record_edit"),
    path("<slug:kind>/<int:pk>/delete/", views.record_delete, name="record_delete"),
]
