from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from zhuanxing.api.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/", include("zhuanxing.accounts.urls")),
    path("enterprises/", include("zhuanxing.registry.urls")),
    path("imports/", include("zhuanxing.imports.urls")),
    path("campaigns/", include("zhuanxing.campaigns.urls")),
    path("evaluation/", include("zhuanxing.evaluation.urls")),
    path("programs/", include("zhuanxing.programs.urls")),
    path("techmarket/", include("zhuanxing.techmarket.urls")),
    path("", include("zhuanxing.dashboard.urls")),
    path("", include("zhuanxing.web.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
