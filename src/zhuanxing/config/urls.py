from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from zhuanxing.api.api import api
from zhuanxing.ops.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("jobs/", include("zhuanxing.jobs.urls")),
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
    path("proposals/", include("zhuanxing.proposals.urls")),
    path("notices/", include("zhuanxing.notices.urls")),
    path("map/", include("zhuanxing.maps.urls")),
    path("", include("zhuanxing.dashboard.urls")),
    path("", include("zhuanxing.web.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
