"""Test settings: only speed and determinism differ from base."""

from chibo.settings.base import *  # noqa: F403
from chibo.settings.base import Q_CLUSTER, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    # Uploaded and generated files live in memory: tests leave nothing on disk.
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    # Plain storage: the manifest storage needs collectstatic, and htmx is silent without it.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = False
# Serve static files from the finders: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tasks run in the calling process, at once.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
