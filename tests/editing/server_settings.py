"""Settings of the portal that the concurrency test runs under gunicorn: the test settings
plus the control run's switch, which the editing services honour only with DEBUG on."""

from geoportal.env import env
from geoportal.settings.test import *  # noqa: F403

DEBUG = env.bool("DEBUG", default=False)
GEOPORTAL_EDITING_UNSAFE_SKIP_VERSION_CHECK = env.bool(
    "GEOPORTAL_EDITING_UNSAFE_SKIP_VERSION_CHECK", default=False
)
