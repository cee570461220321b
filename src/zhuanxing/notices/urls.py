from django.urls import path

from zhuanxing.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("badge/", views.badge, name="badge"),
    path("read/", views.mark_read, name="mark_read"),
]
