"""The one place that reads the environment.

Values come from the process environment first, then from ``var/geoportal.env``, which the
set-up (``make run`` / ``make test``) writes for the project-local PostGIS cluster and the demo
mode (GEOPORTAL_ENV_FILE names another file). Production sets real environment variables
and has no such file.
"""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_ENV_FILE = Path(os.environ.get("GEOPORTAL_ENV_FILE", BASE_DIR / "var" / "geoportal.env"))

env = environ.Env()
if LOCAL_ENV_FILE.exists():
    # read_env never overrides variables already set in the process environment.
    environ.Env.read_env(LOCAL_ENV_FILE)
