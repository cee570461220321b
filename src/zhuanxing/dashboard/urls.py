from django.urls import path

from zhuanxing.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("cockpit.xlsx", views.cockpit_xlsx, name="cockpit_xlsx"),
    path("cockpit.pdf", views.cockpit_pdf_view, name="cockpit_pdf"),
]
