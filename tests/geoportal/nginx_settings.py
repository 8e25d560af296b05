"""Settings of the portal behind the real nginx in tests/geoportal/test_nginx.py: the test
settings with the login throttle on (its address is what the proxy test looks at)."""

from geoportal.settings.test import *  # noqa: F403

AXES_ENABLED = True
