from django.urls import path

from zhuanxing.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("cockpit/", views.cockpit, name="cockpit"),
    path("cockpit/cockpit.xlsx", views.cockpit_xlsx, name="cockpit_xlsx"),
    path("cockpit/cockpit.pdf", views.cockpit_pdf_view, name="cockpit_pdf"),
    path("dossier/<int:enterprise_id>/", views.dossier, name="dossier"),
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/rules/", views.warning_rules_edit, name="warning_rules"),
    path("warnings/<int:warning_id>/move/", views.warning_move, name="warning_move"),
]
