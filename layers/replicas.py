"""Public reads on read replicas: PostgreSQL's own streaming replication, Django's router.

``DATABASE_REPLICA_URLS`` (settings) names hot standbys as ``replica``, ``replica2``, …
The middleware marks a request as a public read — a GET or HEAD of the map, its JSON, the
tiles or the OGC API (downloads included) — unless the browser wrote something a moment
ago: every writing request (POST, PUT, PATCH, DELETE) sets a short-lived cookie, and while
it lasts that visitor's reads stay on the primary, so an editor sees their change at once
whatever the replicas' lag. The router sends a marked request's reads to a replica (one
chosen per request) and everything else, every write and every migration to the primary.

Raw SQL (tiles, GeoJSON) asks ``read_alias()`` for its connection; the tile cache writes
its built tiles to the primary whatever served the read.
"""

import random
import re
from contextvars import ContextVar

from django.conf import settings

WROTE_COOKIE = "geoportal_wrote"
_read_alias: ContextVar[str | None] = ContextVar("geoportal_read_alias", default=None)
# The public reads, after an optional language prefix: the map page, its JSON, tiles, OGC.
_PUBLIC_READ = re.compile(r"^/(?:[a-z]{2}/)?(?:$|map/|tiles/|ogc/)")
_SAFE = ("GET", "HEAD")
_WRITING = ("POST", "PUT", "PATCH", "DELETE")


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def read_alias() -> str:
    """The connection this request's reads use: a replica for a public read, else the
    primary (``default``)."""
    return _read_alias.get() or "default"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return _read_alias.get()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied: every object is in every one

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # a standby is read-only; it replays the primary's schema


class PublicReadsMiddleware:
    """Marks public reads for the router and keeps a writer's next reads on the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        replicas = replica_aliases()
        public = (
            replicas
            and request.method in _SAFE
            and _PUBLIC_READ.match(request.path_info)
            and WROTE_COOKIE not in request.COOKIES
        )
        token = _read_alias.set(random.choice(replicas) if public else None)  # noqa: S311
        try:
            response = self.get_response(request)
        finally:
            _read_alias.reset(token)
        if request.method in _WRITING and replicas:
            # Longer than a replica's lag in practice; the writer's reads stay on the primary.
            response.set_cookie(
                WROTE_COOKIE,
                "1",
                max_age=settings.GEOPORTAL_REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
