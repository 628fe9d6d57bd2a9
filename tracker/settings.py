"""Settings for Đôn Đốc, read from the environment.

Development needs no variable at all: SQLite under var/, an embedded Celery broker, e-mail
written to files. Production (DEBUG off) refuses to start until the variables that must not
keep their development values are set, and says which one is missing.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if DEBUG:
    SECRET_KEY = SECRET_KEY or _DEV_SECRET_KEY
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]
else:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 32 characters when DEBUG is off."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must list the host names the site is served on when DEBUG is off."
        )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "accounts",
    "tracker",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the widgets' own templates, for FORM_RENDERER below
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tracker.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its own page.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Production serves the collected static files itself: no CDN, no separate web server.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tracker.context_processors.portal",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
# Widgets may use the project's templates (portal/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "") or _default_sqlite,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web and worker) share the file: wait for a lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # BEGIN IMMEDIATE takes the write lock at the start of each transaction, so two people
    # acting on one task queue up instead of both reading the old state (SQLite has no
    # SELECT … FOR UPDATE).
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests that start a real Celery worker share the test database with it: a file, not
    # SQLite's private in-memory database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles queries it estimates as costly to machine code (JIT). On a page's
    # query over a department's tasks that took 550 ms of a 950 ms query at a million tasks and
    # saves nothing on queries this short (bench/README.md, "Performance").
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins and refuses a locked account or address before the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"
# A reset link works for this long (seconds); Django's default is three days.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_SECONDS", 2 * 3600)

# Repeated failed sign-ins lock the account name, and separately the address, for a while.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# --- Language and time -----------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Agencies write dates as dd/mm/yyyy in every language the product speaks.
FORMAT_MODULE_PATH = ["tracker.formats"]

# --- Static and uploaded files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
# Uploads are evidence of official work: they live outside static and are served only
# through permission-checked views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
PORTAL_PAGE_SIZE = 25

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
else:
    EMAIL_BACKEND = "tracker.mail.EmlFileBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Đôn Đốc <dondoc@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_REPLY_TO = env_list("EMAIL_REPLY_TO", [])

# --- Celery ----------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # No server to install: kombu's filesystem transport keeps the queue in files under var/.
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "store_processed": False,
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Several installations may share one Redis: each consumes its own queue.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "dondoc")
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# City-wide figures (dashboard, ranking) that take the database at least FIGURES_LIVE_MS are
# kept and served for up to FIGURES_KEEP_SECONDS, the page saying when they were computed;
# cheaper ones are computed on every visit (tracker/figures.py).
FIGURES_KEEP_SECONDS = env_int("FIGURES_KEEP_SECONDS", 300)
FIGURES_LIVE_MS = env_int("FIGURES_LIVE_MS", 500)
# Every periodic job, in one place, in Asia/Ho_Chi_Minh time (CELERY_TIMEZONE).
CELERY_BEAT_SCHEDULE = {
    # The day's reminders at 07:00, then hourly in working hours so that tasks created or
    # moved during the day are chased too; a scan repeated is a no-op.
    "nhac-viec-hang-ngay": {
        "task": "tracker.scan_reminders",
        "schedule": crontab(minute=0, hour="7-17"),
    },
    # Deliveries waiting for a retry (mail server down) or left by a crashed worker.
    "gui-nhac-viec-dang-cho": {"task": "tracker.send_reminders", "schedule": 60.0},
    "tong-hop-hang-tuan": {
        "task": "tracker.weekly_digest",
        "schedule": crontab(minute=30, hour=7, day_of_week="mon"),
    },
    "tong-hop-hang-thang": {
        "task": "tracker.monthly_summary",
        "schedule": crontab(minute=0, hour=8, day_of_month=1),
    },
    # Kept figures read lately are computed again before they expire: readers never wait.
    "tinh-lai-so-lieu-tong-hop": {
        "task": "tracker.refresh_figures",
        "schedule": max(30.0, FIGURES_KEEP_SECONDS / 2),
    },
}

# --- Domain ----------------------------------------------------------------------------------
# A task due within this many days is "sắp đến hạn" (DOMAIN.md: default 3).
TIMELINESS_WARNING_DAYS = env_int("TIMELINESS_WARNING_DAYS", 3)
# No progress report for this many days flags a task "chưa cập nhật" (DOMAIN.md: default 30).
STALE_REPORT_DAYS = env_int("STALE_REPORT_DAYS", 30)
# No regulation sets how early an extension must be asked for: 0 allows it up to the due date.
EXTENSION_REQUEST_LEAD_DAYS = env_int("EXTENSION_REQUEST_LEAD_DAYS", 0)

# --- Security --------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# The session ends after this much inactivity: every request pushes the expiry forward.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Per-user tokens for other systems; an administrator revokes one by deleting it.
        # First, so that a refused call answers 401 with WWW-Authenticate: Token.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("API_RATE_USER", "2000/hour"),
        "anon": os.environ.get("API_RATE_ANON", "60/hour"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DATE_FORMAT": "%Y-%m-%d",
    "DATE_INPUT_FORMATS": ["%Y-%m-%d", "%d/%m/%Y"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Đôn Đốc API",
    "DESCRIPTION": (
        "Theo dõi nhiệm vụ: văn bản chỉ đạo, nhiệm vụ, các bước xử lý, thống kê và xếp hạng. "
        "Mọi bước ghi gọi cùng dịch vụ với trang quản trị và trang của đơn vị."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema names every route and field: for signed-in people and token holders only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # The documentation page's assets come from the project itself: no CDN on an intranet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tracker.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "DirectiveKindEnum": "tracker.models.DirectiveKind",
        "DepartmentKindEnum": "accounts.models.DepartmentKind",
        "TaskStateEnum": "tracker.models.TaskState",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
