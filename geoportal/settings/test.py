"""Test override: a fixed throwaway key, fast hashing, isolated media."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-a-secret")
os.environ.setdefault("GEOPORTAL_DEMO", "true")

from geoportal.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A process the tests start (the task-queue worker) is given the tests' media folder.
MEDIA_ROOT = os.environ.get("GEOPORTAL_TEST_MEDIA_ROOT") or tempfile.mkdtemp(
    prefix="geoportal-test-media-"
)
STATIC_ROOT = tempfile.mkdtemp(prefix="geoportal-test-static-")
GEOPORTAL_DOWNLOAD_DIR = tempfile.mkdtemp(prefix="geoportal-test-downloads-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests roll back definitions between them: look at the definitions' stamp every time.
GEOPORTAL_REGISTRY_RECHECK_SECONDS = 0
# Several test runs side by side (a second checkout, a helper) each on a database of its own.
if os.environ.get("GEOPORTAL_TEST_DATABASE"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["GEOPORTAL_TEST_DATABASE"]}  # noqa: F405
# Most tests log in with the test client, which authenticates without a request (django-axes
# needs one); the login-throttling tests turn it on for themselves.
AXES_ENABLED = False
# Test databases are thrown away: their sessions need no wait for the disk at each commit
# (the cluster itself stays durable, bin/pg-local).
DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"  # noqa: F405
