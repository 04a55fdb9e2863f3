"""Every chibo setting. What differs between machines comes from CHIBO_* variables."""

from pathlib import Path

import dj_database_url

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

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("CHIBO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

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
