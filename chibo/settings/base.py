"""Every chibo setting. What differs between machines comes from CHIBO_* variables."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from chibo.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("CHIBO_DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("CHIBO_DEBUG", False)
# The fallback key only serves the embedded demo; production sets CHIBO_SECRET_KEY.
SECRET_KEY = env_str(
    "CHIBO_SECRET_KEY", "chibo-insecure-demo-key-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = env_list("CHIBO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CHIBO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # the API docs' Swagger UI from its own static files, not a CDN
    "csp",
    "treebeard",
    "simple_history",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_q",
    "chibo.core",
    "chibo.orgs",
    "chibo.accounts",
    "chibo.plans",
    "chibo.meetings",
    "chibo.notifications",
    "chibo.reports",
    "chibo.documents",
    "chibo.workbook",
    "chibo.audit",
    "chibo.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chibo.core.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chibo.urls"
WSGI_APPLICATION = "chibo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "chibo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chibo.notifications.context_processors.unread_notifications",
                "chibo.workbook.context_processors.can_import",
                "chibo.audit.context_processors.can_audit",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("CHIBO_DATABASE_URL", f"sqlite:///{DATA_DIR / 'chibo.sqlite3'}"),
        conn_max_age=env_int("CHIBO_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the writer work side by side; IMMEDIATE avoids lock upgrades mid-write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = env_int("CHIBO_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "chibo" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
FORMAT_MODULE_PATH = ["chibo.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
]
# Uploaded and generated files (documents made in the background); never served as static.
MEDIA_ROOT = DATA_DIR / "files"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Security headers and HTTPS ---------------------------------------------------------------------

# Behind HTTPS (a TLS-terminating proxy that sets X-Forwarded-Proto): secure cookies, a redirect
# of plain HTTP and Strict-Transport-Security. CHIBO_SECURE_COOKIES is the older name.
HTTPS = env_bool("CHIBO_HTTPS", env_bool("CHIBO_SECURE_COOKIES", False))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
# The proxy's health probes come over loopback in plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^ping$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = env_int("CHIBO_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CHIBO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("CHIBO_HSTS_PRELOAD", False)
# Asking browsers to preload the domain is a submission the operator makes for the whole domain,
# not something chibo can decide; without it the deploy check would always warn.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Everything chibo serves comes from its own origin: no inline or CDN script, no inline <style>.
# Style attributes stay allowed: progress bars and indents carry their computed width inline.
# Bootstrap draws its small icons (select arrows, close buttons) as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 500

CHIBO_PAGE_SIZE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CHIBO_LOG_LEVEL", "INFO")},
}

# Notifications and reminders ------------------------------------------------------------------

# Email goes to the console until an SMTP host is set.
EMAIL_HOST = env_str("CHIBO_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("CHIBO_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("CHIBO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("CHIBO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CHIBO_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("CHIBO_EMAIL_FROM", "chibo <chibo@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in emails start with this address.
CHIBO_SITE_URL = env_str("CHIBO_SITE_URL", "http://127.0.0.1:8000")
# Days before the last day allowed (positive) or after it (negative) on which reminders go out.
CHIBO_REMINDER_DAYS = env_str("CHIBO_REMINDER_DAYS", "7,2,-1")

# The background worker (`chibo qcluster`): django-q2 with the database as its queue.
Q_CLUSTER = {
    "name": "chibo",
    "orm": "default",
    "workers": 1,
    "timeout": 600,
    "retry": 900,
    "sync": False,
    "catch_up": False,
}

# Documents ------------------------------------------------------------------------------------

# Page margins of generated documents in millimetres: top, bottom, left, right (Hướng dẫn
# 36-HD/VPTW; some committees use 25,25,35,15).
CHIBO_DOC_MARGINS_MM = env_str("CHIBO_DOC_MARGINS_MM", "20,20,30,15")
# Documents made in the background are removed, with their files, after this many days (every
# night at 03:00, once `chibo schedule_setup` has scheduled it).
CHIBO_DOC_JOB_KEEP_DAYS = env_int("CHIBO_DOC_JOB_KEEP_DAYS", 7)

# Import and export of workbooks -----------------------------------------------------------------

# A workbook larger than this is refused with one message (a province's tree is about 10 MB).
CHIBO_IMPORT_MAX_MB = env_int("CHIBO_IMPORT_MAX_MB", 50)
# Uploads above this size are checked and imported by the background worker, with a progress bar.
CHIBO_IMPORT_BACKGROUND_KB = env_int("CHIBO_IMPORT_BACKGROUND_KB", 256)
# Uploaded workbooks checked but never imported (or with errors) are deleted after these days.
CHIBO_IMPORT_KEEP_DAYS = env_int("CHIBO_IMPORT_KEEP_DAYS", 7)
