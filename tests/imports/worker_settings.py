"""Settings of the task-queue worker that the browser test of the import runs as a
subprocess: the test settings, with the test process's media directory (where the upload
is stored) instead of a fresh temporary one."""

import os

from geoportal.settings.test import *  # noqa: F403

MEDIA_ROOT = os.environ["GEOPORTAL_TEST_MEDIA_ROOT"]
