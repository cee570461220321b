"""Django settings, all from the environment with safe development defaults.

Production (``DEBUG`` off) refuses to start without ``SECRET_KEY``; district policy
(schemes, programme rules, towns) lives in data, not here.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("ZHUANXING_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("ZHUANXING_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "development-only-key-not-for-production-use-0123456789abcdefghij"  # noqa: S105

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("ZHUANXING_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "zhuanxing.web",
    "zhuanxing.accounts",
    "zhuanxing.registry",
    "zhuanxing.imports",
    "zhuanxing.campaigns",
    "zhuanxing.evaluation",
    "zhuanxing.programs",
    "zhuanxing.techmarket",
    "zhuanxing.maps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhuanxing.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "zhuanxing.config.urls"
WSGI_APPLICATION = "zhuanxing.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "zhuanxing.web.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("ZHUANXING_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the browser tests' live server read while a test writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Failed logins per username+address before a lockout, and its length in seconds.
ZHUANXING_LOGIN_MAX_FAILURES = int(os.environ.get("ZHUANXING_LOGIN_MAX_FAILURES", "5"))
ZHUANXING_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("ZHUANXING_LOGIN_LOCKOUT_SECONDS", "900"))

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("ZHUANXING_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Leaflet's JS and CSS come from the installed django-leaflet package (its static folder,
# served as static/leaflet/…), without installing the app itself (which needs GDAL).
_LEAFLET_SPEC = importlib.util.find_spec("leaflet")
STATICFILES_DIRS = (
    [("leaflet", Path(next(iter(_LEAFLET_SPEC.submodule_search_locations))) / "static" / "leaflet")]
    if _LEAFLET_SPEC and _LEAFLET_SPEC.submodule_search_locations
    else []
)
STATIC_ROOT = Path(os.environ.get("ZHUANXING_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("ZHUANXING_MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# The district this installation serves; the demo builds Zhenhai.
ZHUANXING_DISTRICT_NAME = os.environ.get("ZHUANXING_DISTRICT_NAME", "镇海区")
# The technology market's matching index (zhuanxing.matching); `zhuanxing techmarket-reindex` rebuilds it.
# Base map for the 亩均地图: a tile URL template ({z}/{x}/{y}) of the district's own or a
# government tile service (e.g. 天地图 with the district's key) and its attribution. Empty:
# towns and parcels on a plain background, nothing fetched.
ZHUANXING_MAP_TILES = os.environ.get("ZHUANXING_MAP_TILES", "")
ZHUANXING_MAP_TILES_ATTRIBUTION = os.environ.get("ZHUANXING_MAP_TILES_ATTRIBUTION", "")
ZHUANXING_MATCHING_DIR = Path(os.environ.get("ZHUANXING_MATCHING_DIR", VAR_DIR / "matching"))

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("ZHUANXING_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("ZHUANXING_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHUANXING_LOG_LEVEL", "WARNING")},
}
