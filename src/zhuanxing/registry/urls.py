from django.urls import path

from zhuanxing.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.enterprise_list, name="enterprise_list"),
    path("new/", views.enterprise_create, name="enterprise_create"),
    path("suggest/", views.enterprise_suggest, name="enterprise_suggest"),
    path("<str:uscc>/", views.enterprise_detail, name="enterprise_detail"),
    path("<str:uscc>/edit/", views.enterprise_edit, name="enterprise_edit"),
]
