from django.urls import path

from zhuanxing.maps import views

app_name = "maps"

urlpatterns = [
    path("", views.map_page, name="map"),
    path("data/", views.map_data, name="data"),
    path("export.geojson", views.export_geojson, name="export_geojson"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("import/", views.shape_import, name="shape_import"),
    path("import/<str:sha256>/", views.shape_preview, name="shape_preview"),
]
