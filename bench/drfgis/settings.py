"""The product's settings with the benchmark's URLconf (bench-only; never deployed)."""

from geoportal.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.drfgis.urls"
