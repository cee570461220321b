from django.urls import path

from zhuanxing.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("audit/", views.audit_log, name="audit_log"),
]
