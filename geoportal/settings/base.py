"""Settings shared by every deployment, driven by environment variables (see README.md).

Nothing here has an unsafe default: there is no default secret key, DEBUG is off unless asked
for, and the database must be named by DATABASE_URL.
"""

import datetime
import os

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from geoportal.env import BASE_DIR, env

# GDAL reads GDAL_SKIP once, when its drivers are first registered. Dropping the VRT drivers
# (raster VRT and vector OGR_VRT) and the network drivers means no file handed to GDAL can
# make it read other server files or fetch URLs (see docs/architecture.md, "Security").
os.environ.setdefault(
    "GDAL_SKIP",
    "VRT OGR_VRT WMS WMTS WCS WFS OAPIF OGCAPI HTTP CSW NGW PLSCENES ELASTIC CARTO AmazonS3 "
    "ESRI:JSON GeoRSS MVT DAAS EEDA",
)
os.environ.setdefault("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", ".nowhere")

# Django warns that GDAL < 3.9 (Debian 12 has 3.6) cannot stop a spatial reference string from
# reading files or URLs. The portal never builds a SpatialReference from client input: CRS
# parameters are looked up in an allowlist of EPSG codes (docs/architecture.md, "Security").
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

DEMO_MODE = env.bool("GEOPORTAL_DEMO", default=False)
DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment (the set-up writes a random one "
        "for the local demo into var/geoportal.env)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "leaflet",
    "rest_framework.authtoken",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    # The task queue on the portal's own PostgreSQL (imports; see docs/architecture.md).
    "procrastinate.contrib.django",
    # Failed logins counted per account and per IP; locked out for a while past the limit.
    "axes",
    "layers",
    "layers.editing.apps.EditingConfig",
    # SDG monitoring: indicators computed from the registries (sdg/, issue 18).
    "sdg",
    # Citizen reports on the map (reports/, issue 19), routed to each registry's staff.
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # gzip for tiles, GeoJSON and JSON only, never HTML (BREACH; layers/compression.py).
    "layers.compression.DataGZipMiddleware",
    # Public reads to a read replica when there is one; a writer's next reads stay on the
    # primary (layers/replicas.py). Early, so that every read of the request follows it.
    "layers.replicas.PublicReadsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Text the database cannot hold (NUL, lone surrogates) in any parameter: 400 at once.
    "layers.inputs.InputGuardMiddleware",
    # The database away (restarting): 503 with Retry-After, not a 500.
    "layers.availability.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Attaches the user and URL of every writing request to the history rows it causes.
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A Content-Security-Policy on every HTML page, a Permissions-Policy on every response.
    "layers.csp.SecurityHeadersMiddleware",
    # Last: turns a locked-out login into the lockout page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "geoportal.urls"
WSGI_APPLICATION = "geoportal.wsgi.application"
ASGI_APPLICATION = "geoportal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "geoportal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "geoportal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
if not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Run `make run` for the project-local PostGIS cluster, or set "
        "DATABASE_URL=postgis://user:password@host:port/dbname."
    )
DATABASES = {"default": env.db_url("DATABASE_URL", engine="django.contrib.gis.db.backends.postgis")}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
# A fresh connection pays 30-50 ms before its first PostGIS query: keep connections open.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
# PostGIS functions carry high planner costs, so a 5 ms tile or a 60 ms bbox query looks
# expensive enough for JIT compilation (0.3-1 s) and for parallel workers (+10-15 ms to start
# them, and cores that other requests need). The portal's queries are short; streamed ones
# use cursors, which never run in parallel anyway.
DATABASES["default"]["OPTIONS"].setdefault(
    "options", "-c jit=off -c max_parallel_workers_per_gather=0"
)
# A web process's query gives up well before gunicorn gives up on the request, so the most
# expensive legal request (the whole hromada in one tile, the deepest filter) ends as a 503
# with Retry-After (layers/availability.py) instead of holding a worker. Only the web
# process (geoportal/wsgi.py, asgi.py mark it) has the budget: the task-queue worker, whose
# imports run for minutes, and migrations run without one even where the environment
# names it (the app container's does).
WEB_PROCESS = os.environ.get("GEOPORTAL_PROCESS") == "web"
STATEMENT_TIMEOUT_S = env.float("GEOPORTAL_STATEMENT_TIMEOUT_S", default=30) if WEB_PROCESS else 0
if STATEMENT_TIMEOUT_S > 0:
    DATABASES["default"]["OPTIONS"]["options"] += (
        f" -c statement_timeout={round(STATEMENT_TIMEOUT_S * 1000)}ms"
    )
# Read replicas: hot standbys fed by PostgreSQL's streaming replication (`make replica`
# starts one locally). Public reads — the map, its JSON, tiles, the OGC API and downloads —
# go to one of them; writes, staff pages and a writer's next reads (for
# GEOPORTAL_REPLICA_STICKY_SECONDS) stay on the primary (layers/replicas.py). In tests a
# replica is the test database itself unless a test points it at a real standby.
for _n, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    DATABASES["replica" if _n == 1 else f"replica{_n}"] = {
        **DATABASES["default"],
        **env.db_url_config(_url, engine="django.contrib.gis.db.backends.postgis"),
        "ENGINE": "django.contrib.gis.db.backends.postgis",
        "OPTIONS": dict(DATABASES["default"]["OPTIONS"]),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["layers.replicas.ReplicaRouter"]
GEOPORTAL_REPLICA_STICKY_SECONDS = env.int("GEOPORTAL_REPLICA_STICKY_SECONDS", default=30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The schema history lives outside the app package (see docs/architecture.md).
MIGRATION_MODULES = {
    "layers": "migrations.layers",
    "reports": "migrations.reports",
    "sdg": "migrations.sdg",
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Every account here is staff (editors, reviewers, administrators): 12 at least.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Object owners are not staff: they sign in on the portal's own page (the same accounts,
# the same django-axes throttle), which the owners' pages name as their login URL.
GEOPORTAL_OWNER_LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "layers:campaigns:home"
# The one login form (the admin's, which the editor uses too) behind django-axes: after
# AXES_FAILURE_LIMIT wrong passwords for one account, or from one address, that account or
# address is refused (429) for AXES_COOLOFF_MINUTES, even with the right password. Every
# login and failed attempt is logged (admin: Axes). An administrator unlocks in the admin
# or with `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own
AXES_RESET_ON_SUCCESS = True
# Password-reset mails asked for per hour from one address and for one email
# (geoportal/password_reset.py): past either, nothing is sent and the form says why (429).
GEOPORTAL_PASSWORD_RESETS_PER_ADDRESS_HOUR = env.int(
    "GEOPORTAL_PASSWORD_RESETS_PER_ADDRESS_HOUR", default=5
)
GEOPORTAL_PASSWORD_RESETS_PER_EMAIL_HOUR = env.int(
    "GEOPORTAL_PASSWORD_RESETS_PER_EMAIL_HOUR", default=3
)
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "geoportal.views.login_locked_out"
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_VERBOSE = False  # no banner on every start of manage.py

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", _("Ukrainian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Ukrainian dates without a leading zero on the day (geoportal/formats/uk/formats.py).
FORMAT_MODULE_PATH = ["geoportal.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Kyiv")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
# Front-end packages come from the npm registry (package-lock.json) and are served from
# node_modules under a stable prefix; nothing third-party is committed.
STATICFILES_DIRS = [
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/geoman", BASE_DIR / "node_modules" / "@geoman-io" / "leaflet-geoman-free" / "dist"),
    ("vendor/pbf", BASE_DIR / "node_modules" / "pbf"),
    ("vendor/vector-tile", BASE_DIR / "node_modules" / "@mapbox" / "vector-tile"),
    ("vendor/point-geometry", BASE_DIR / "node_modules" / "@mapbox" / "point-geometry"),
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Whole-layer downloads, built once per state of a layer and language and kept here (only the
# newest of each): served with Content-Length and byte ranges. Safe to delete at any time.
GEOPORTAL_DOWNLOAD_DIR = env.path("GEOPORTAL_DOWNLOAD_DIR", default=BASE_DIR / "var" / "downloads")
# Behind nginx: the internal location that sends a photo once the app allowed it
# (X-Accel-Redirect, docker/nginx.conf); empty: the app sends the file itself (`make run`).
GEOPORTAL_MEDIA_X_ACCEL = env.str("GEOPORTAL_MEDIA_X_ACCEL", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "geoportal.storage.StaticFilesStorage"},
}

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG and not DEMO_MODE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
# Behind the portal's nginx (deploy/nginx/), which sets X-Forwarded-Proto from its own scheme
# and X-Forwarded-For to the client's address, overwriting whatever a client sent: only then
# are these headers believed. Never by default — with no proxy in front any client could
# send them, to pass for HTTPS or for another address at the login throttle.
GEOPORTAL_BEHIND_PROXY = env.bool("GEOPORTAL_BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if GEOPORTAL_BEHIND_PROXY else None
GEOPORTAL_CLIENT_ADDRESS_HEADERS = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if GEOPORTAL_BEHIND_PROXY else ("REMOTE_ADDR",)
)
# The login throttle counts the address those headers give (geoportal/clients.py).
AXES_CLIENT_IP_CALLABLE = "geoportal.clients.client_address"
# gunicorn's worker timeout (bin/serve, deploy/), and nginx's read timeout a little above it:
# a request is cut by one of them, never left hanging between the two.
GEOPORTAL_REQUEST_TIMEOUT_S = env.int("GEOPORTAL_REQUEST_TIMEOUT_S", default=120)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # The task queue tells of every task it registers at start: keep its warnings only.
        "procrastinate": {"level": env.str("PROCRASTINATE_LOG_LEVEL", default="WARNING")},
        # WeasyPrint logs each step of every PDF card at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}

# --- The hromada ----------------------------------------------------------------------------
# Everything city-specific is a profile in data/hromadas/<slug>.toml (name, code, map centre,
# boundary file, attribution); another hromada is deployed by choosing another profile.
GEOPORTAL_HROMADA = env.str("GEOPORTAL_HROMADA", default="khmelnytskyi")
GEOPORTAL_HROMADA_DIR = env.path("GEOPORTAL_HROMADA_DIR", default=BASE_DIR / "data" / "hromadas")
# Geometries may lie this far outside the boundary (metres) before they are refused.
GEOPORTAL_BOUNDARY_MARGIN_M = env.float("GEOPORTAL_BOUNDARY_MARGIN_M", default=500.0)
GEOPORTAL_BASEMAP_URL = env.str(
    "GEOPORTAL_BASEMAP_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
# Empty: OpenStreetMap's attribution in the page's language (geoportal/context_processors.py);
# another base map sets its own (HTML), shown as written.
GEOPORTAL_BASEMAP_ATTRIBUTION = env.str("GEOPORTAL_BASEMAP_ATTRIBUTION", default="")
_OSM_ATTRIBUTION_EN = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
GEOPORTAL_DATA_LICENSE = env.str("GEOPORTAL_DATA_LICENSE", default="CC-BY-4.0")

# --- Libraries ------------------------------------------------------------------------------
# The admin's map widgets open on the hromada's map centre (RegistryAdmin.settings_overrides).
# FORCE_IMAGE_PATH: Leaflet guesses its marker-image folder from a CSS url, which the hashed
# names of the manifest storage break.
# The same base map as the public map (django-leaflet's default is OpenStreetMap over http,
# which the pages' image policy and HTTPS both refuse).
LEAFLET_CONFIG = {
    "RESET_VIEW": False,
    "NO_GLOBALS": False,
    "FORCE_IMAGE_PATH": True,
    "TILES": [
        (
            "",
            GEOPORTAL_BASEMAP_URL,
            {"attribution": GEOPORTAL_BASEMAP_ATTRIBUTION or _OSM_ATTRIBUTION_EN},
        )
    ],
}
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # SessionAuthentication enforces CSRF for logged-in browser sessions.
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    # Bad, deeply nested or oversized JSON is a JSON 400/413, never a 500.
    "DEFAULT_PARSER_CLASSES": ["layers.api.parsers.SafeJSONParser"],
    "EXCEPTION_HANDLER": "layers.api.exceptions.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Geoportal editing API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # The registries defined as data, each with its own paths and record schema.
        "layers.api.schema.data_registries_hook",
        # Then what every operation really answers: public or staff records, the errors.
        "layers.api.responses.api_responses_hook",
    ],
}
# The most vertices one geometry may have (a green area traced in detail has a few thousand).
GEOPORTAL_MAX_VERTICES = env.int("GEOPORTAL_MAX_VERTICES", default=20000)
# Registries' defaults (see layers/models/*): the operator of new waste sites, the grid that
# hides the exact place of sensitive heritage sites, the largest photo upload, and the distance
# under which a new tree is flagged as a possible duplicate of another.
GEOPORTAL_DEFAULT_WASTE_OPERATOR = env.str(
    "GEOPORTAL_DEFAULT_WASTE_OPERATOR", default="КП «Спецкомунтранс»"
)
# The public sees a location-sensitive heritage object only as a node of this grid (metres,
# in the hromada's projected CRS): at most ~350 m from the truth, never the find spot itself.
GEOPORTAL_SENSITIVE_GRID_M = env.float("GEOPORTAL_SENSITIVE_GRID_M", default=500.0)
# Data sets of the DCAT catalogue besides the registries: dotted paths to (request) ->
# (list of layers.ogcapi.metadata.OtherDataset, Stamp). The SDG indicators (sdg/), the
# citizen reports (reports/).
GEOPORTAL_CATALOGUE_DATASETS = [
    "sdg.catalogue.sdg_datasets",
    "reports.catalogue.reports_datasets",
]
# OGC API collections besides the registries (layers/ogcapi/simple.py): dotted paths to
# () -> SimpleCollection. The citizen reports (reports/).
GEOPORTAL_OGC_COLLECTIONS = ["reports.ogc.reports_collection"]
GEOPORTAL_PHOTO_MAX_BYTES = env.int("GEOPORTAL_PHOTO_MAX_BYTES", default=25 * 1024 * 1024)
# A few metres: what a GPS fix or a click on a street-level map misses by (GIS staff).
GEOPORTAL_TREE_DUPLICATE_DISTANCE_M = env.float("GEOPORTAL_TREE_DUPLICATE_DISTANCE_M", default=3.0)
# Bulk import limits (layers/imports): the largest file, the most rows, the most entries of
# an archive, and the distance under which two points are reported as possible duplicates.
GEOPORTAL_IMPORT_MAX_BYTES = env.int("GEOPORTAL_IMPORT_MAX_BYTES", default=200 * 1024 * 1024)
GEOPORTAL_IMPORT_MAX_ROWS = env.int("GEOPORTAL_IMPORT_MAX_ROWS", default=1_000_000)
GEOPORTAL_IMPORT_MAX_ENTRIES = env.int("GEOPORTAL_IMPORT_MAX_ENTRIES", default=200)
GEOPORTAL_IMPORT_DUPLICATE_DISTANCE_M = env.float(
    "GEOPORTAL_IMPORT_DUPLICATE_DISTANCE_M", default=1.0
)
# A job that shows no sign of work for this long (seconds) is taken as dead (its worker was
# killed) and marked failed; it can be run again.
GEOPORTAL_IMPORT_STALE_SECONDS = env.int("GEOPORTAL_IMPORT_STALE_SECONDS", default=300)
PROCRASTINATE_IMPORT_PATHS = ["layers.tasks", "reports.tasks"]

# How often (seconds) a worker looks whether the registries defined as data changed (one
# small query); a change made in the same worker is seen at once.
GEOPORTAL_REGISTRY_RECHECK_SECONDS = env.float("GEOPORTAL_REGISTRY_RECHECK_SECONDS", default=2.0)

# Mail (campaign reminders and decisions): EMAIL_URL (django-environ's form, e.g.
# smtp+tls://user:password@host:587) in production; without it mail is written to files
# under var/mail, so that `make run` shows what would be sent.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.path("GEOPORTAL_MAIL_DIR", default=BASE_DIR / "var" / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="geoportal@localhost")
# The portal's public address, for links in mail (no request there to build them from).
GEOPORTAL_SITE_URL = env.str("GEOPORTAL_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Citizen reports (reports/): at most this many reports per hour from one address and per
# email address, and follow requests per hour from one address (counted in the database, so
# across every worker); a confirmation link is valid this many days.
GEOPORTAL_REPORTS_PER_ADDRESS_HOUR = env.int("GEOPORTAL_REPORTS_PER_ADDRESS_HOUR", default=5)
GEOPORTAL_REPORTS_PER_EMAIL_HOUR = env.int("GEOPORTAL_REPORTS_PER_EMAIL_HOUR", default=3)
GEOPORTAL_ALERTS_PER_ADDRESS_HOUR = env.int("GEOPORTAL_ALERTS_PER_ADDRESS_HOUR", default=10)
GEOPORTAL_REPORTS_LINK_DAYS = env.int("GEOPORTAL_REPORTS_LINK_DAYS", default=7)
