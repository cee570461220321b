"""Django settings, all from the environment with safe development defaults.

Production (``DEBUG`` off) refuses to start without a strong ``SECRET_KEY``; district policy
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


DEVELOPMENT_SECRET_KEY = "development-only-key-not-for-production-use-0123456789abcdefghij"  # noqa: S105


def weak_secret_key(key: str) -> str:
    """Why a key is too weak for production ("" when it is fine): Django's own rule for
    ``check --deploy`` (50 characters, 5 distinct), and never a published default."""
    if key == DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure-"):
        return "SECRET_KEY is a published default"
    if len(key) < 50 or len(set(key)) < 5:
        return "SECRET_KEY must be at least 50 characters with at least 5 distinct ones"
    return ""


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not DEBUG:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    if reason := weak_secret_key(SECRET_KEY):
        raise ImproperlyConfigured(
            f"{reason}; production refuses to start (python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
elif not SECRET_KEY:
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

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
    "django_tasks",
    "django_tasks_db",
    "zhuanxing.web",
    "zhuanxing.accounts",
    "zhuanxing.registry",
    "zhuanxing.imports",
    "zhuanxing.campaigns",
    "zhuanxing.dashboard",
    "zhuanxing.evaluation",
    "zhuanxing.programs",
    "zhuanxing.techmarket",
    "zhuanxing.proposals",
    "zhuanxing.notices",
    "zhuanxing.jobs",
    "zhuanxing.ops",
    "zhuanxing.maps",
]

MIDDLEWARE = [
    "zhuanxing.ops.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhuanxing.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "zhuanxing.accounts.middleware.AuditAddressMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zhuanxing.accounts.middleware.SessionLimitsMiddleware",
    "zhuanxing.web.middleware.RejectNulMiddleware",
    "csp.middleware.CSPMiddleware",
    "zhuanxing.web.middleware.PermissionsPolicyMiddleware",
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

# Every form on the site renders through the same templates (labels, marks, errors, 请选择).
FORM_RENDERER = "zhuanxing.web.forms.SiteFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("ZHUANXING_CONN_MAX_AGE", "60")),
        # A kept connection is checked before each request reuses it, so a restarted
        # PostgreSQL costs one reconnect, never an application restart.
        conn_health_checks=env_bool("ZHUANXING_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the browser tests' live server read while a test writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT spends over a second compiling the year's one-query read and the list pages'
    # counts, for queries that run in tens of milliseconds without it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "ZHUANXING_PG_OPTIONS", "-c jit=off"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zhuanxing.accounts.passwords.CharacterKindsValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Failed logins per username+address before a lockout, per address across usernames (a password
# sprayed over many accounts), and the lockout's length in seconds.
ZHUANXING_LOGIN_MAX_FAILURES = int(os.environ.get("ZHUANXING_LOGIN_MAX_FAILURES", "5"))
ZHUANXING_LOGIN_MAX_FAILURES_PER_ADDRESS = int(
    os.environ.get("ZHUANXING_LOGIN_MAX_FAILURES_PER_ADDRESS", "20")
)
ZHUANXING_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("ZHUANXING_LOGIN_LOCKOUT_SECONDS", "900"))
# Objections to a public notice from one address per hour (the form needs no login).
ZHUANXING_PUBLIC_OBJECTIONS_PER_HOUR = int(os.environ.get("ZHUANXING_PUBLIC_OBJECTIONS_PER_HOUR", "5"))
# Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses); nobody else's.
ZHUANXING_TRUSTED_PROXIES = frozenset(
    a.strip() for a in os.environ.get("ZHUANXING_TRUSTED_PROXIES", "").split(",") if a.strip()
)
# 等保 level 3: logout after idle minutes, and an absolute limit on a session's age in hours.
ZHUANXING_IDLE_LOGOUT_MINUTES = int(os.environ.get("ZHUANXING_IDLE_LOGOUT_MINUTES", "30"))
ZHUANXING_SESSION_MAX_HOURS = int(os.environ.get("ZHUANXING_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = ZHUANXING_SESSION_MAX_HOURS * 3600

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Login failures must be counted across every server process: a table in the database
    # (created by the migration accounts 0004).
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "zhuanxing_throttle",
    },
}

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
# plotly.js comes from the installed plotly package (static/plotly/plotly.min.js).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "zhuanxing.web.staticfinders.PlotlyFinder",
]
STATIC_ROOT = Path(os.environ.get("ZHUANXING_STATIC_ROOT", VAR_DIR / "static"))
# Hashed names and far-future caching through WhiteNoise (``zhuanxing collectstatic`` first);
# uploads go through Django's storage API, so a district may point them at a shared volume
# (ZHUANXING_MEDIA_ROOT) or set another backend (ZHUANXING_MEDIA_STORAGE, e.g. an S3 package's).
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("ZHUANXING_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {"BACKEND": "zhuanxing.ops.staticfiles.HashedStaticStorage"},
}
WHITENOISE_MAX_AGE = 365 * 24 * 3600
# Development and the test server read the apps' static folders directly.
WHITENOISE_USE_FINDERS = env_bool("ZHUANXING_STATIC_FINDERS", DEBUG)
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

# Background jobs: Django's tasks API (django-tasks) on its database backend, one queue in the
# database whatever the number of workers and hosts. `zhuanxing worker` runs the jobs.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Jobs above these sizes run in the worker, smaller ones inline in the request.
ZHUANXING_JOB_THRESHOLDS = {
    "evaluation_run": int(os.environ.get("ZHUANXING_JOB_RUN_ENTERPRISES", "5000")),
    "import_rows": int(os.environ.get("ZHUANXING_JOB_IMPORT_ROWS", "5000")),
    "export_rows": int(os.environ.get("ZHUANXING_JOB_EXPORT_ROWS", "5000")),
    "report_cards": int(os.environ.get("ZHUANXING_JOB_REPORT_CARDS", "200")),
    "automatic": int(os.environ.get("ZHUANXING_JOB_AUTOMATIC_ENTERPRISES", "5000")),
}
# A running job whose heartbeat is older than this is taken back (retried, or failed after its attempts).
ZHUANXING_JOB_TIMEOUT = int(os.environ.get("ZHUANXING_JOB_TIMEOUT", "60"))
# /healthz calls a worker "ok" while its heartbeat is within this many seconds.
ZHUANXING_WORKER_STALE_SECONDS = 60
# One line per request; ZHUANXING_LOG_JSON=1 writes it as JSON.
ZHUANXING_LOG_JSON = env_bool("ZHUANXING_LOG_JSON", False)
ZHUANXING_REQUEST_LOG = env_bool("ZHUANXING_REQUEST_LOG", True)

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from our own static files, never
# inline; styles allow inline attributes (plotly and htmx set element styles).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if ZHUANXING_MAP_TILES:
    # a district's tile service is the one outside origin the map page may load images from;
    # Leaflet's {s} subdomain placeholder becomes a wildcard
    from urllib.parse import urlsplit

    _tiles = urlsplit(ZHUANXING_MAP_TILES.replace("{s}.", "*."))
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()"
)
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
    "formatters": {"line": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "requests": {"class": "logging.StreamHandler", "formatter": "line"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("ZHUANXING_LOG_LEVEL", "WARNING")},
    "loggers": {
        "zhuanxing.requests": {
            "handlers": ["requests"],
            "level": "INFO" if ZHUANXING_REQUEST_LOG else "WARNING",
            "propagate": False,
        },
        "zhuanxing.jobs": {"level": "INFO"},
    },
}

# 消息中心: besides the in-site message, each dotted path here is called with the new messages
# after commit (e-mail below; a 浙政钉 work-notification sender can be added the same way).
ZHUANXING_NOTICE_SENDERS = [
    s.strip()
    for s in os.environ.get("ZHUANXING_NOTICE_SENDERS", "zhuanxing.notices.senders.email").split(",")
    if s.strip()
]
# e-mail through Django's EMAIL_* settings: off unless turned on
ZHUANXING_NOTICE_EMAIL = os.environ.get("ZHUANXING_NOTICE_EMAIL", "") == "1"
ZHUANXING_SITE_URL = os.environ.get("ZHUANXING_SITE_URL", "")
