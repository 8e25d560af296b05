"""Test override: a fixed throwaway key, fast hashing, isolated media."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-a-secret")
os.environ.setdefault("GEOPORTAL_DEMO", "true")

from geoportal.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="geoportal-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="geoportal-test-static-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests roll back definitions between them: look at the definitions' stamp every time.
GEOPORTAL_REGISTRY_RECHECK_SECONDS = 0
