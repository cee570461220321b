from django.urls import path

from zhuanxing.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_home, name="home"),
    path("templates/<str:source>.xlsx", views.template_download, name="template"),
    path("uploads/<str:sha256>/", views.upload_preview, name="upload"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/rollback/", views.batch_rollback, name="batch_rollback"),
    path("batches/<int:pk>/file/", views.batch_file, name="batch_file"),
]
