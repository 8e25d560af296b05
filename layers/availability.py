"""When the database is away (restarting, unreachable), say so: 503 with Retry-After, not a
500. Django reconnects by itself at the next request (``CONN_HEALTH_CHECKS``), so once the
database is back the next request succeeds; a write that was under way was rolled back by
PostgreSQL with its transaction, so nothing is half-written.

A query the web's time budget cancelled (``statement_timeout``, SQLSTATE 57014) is a 503
too, saying to ask for less: the worker is free again at once, and the connection stays
usable (the cancelled statement's transaction is rolled back)."""

import logging

import psycopg
from django.conf import settings
from django.core import checks
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from psycopg.errors import QueryCanceled

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


# Django's wrappers, and psycopg's own errors for what runs on the raw cursor (COPY).
_UNAVAILABLE = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)


def _cancelled(exception: BaseException) -> bool:
    """Whether PostgreSQL cancelled the statement (the time budget), not lost the line."""
    return isinstance(exception, QueryCanceled) or isinstance(exception.__cause__, QueryCanceled)


def statement_timeout_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The web's query budget must end before gunicorn kills the worker (its timeout),
    else an expensive request is a killed worker and a 502, not a 503."""
    budget = float(getattr(settings, "STATEMENT_TIMEOUT_S", 0) or 0)
    request = float(settings.GEOPORTAL_REQUEST_TIMEOUT_S)
    if budget <= 0 or budget < request:
        return []
    return [
        checks.Error(
            f"GEOPORTAL_STATEMENT_TIMEOUT_S ({budget:g}) must be below"
            f" GEOPORTAL_REQUEST_TIMEOUT_S ({request:g}), gunicorn's timeout.",
            id="geoportal.E020",
        )
    ]


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, _UNAVAILABLE):
            return None
        if _cancelled(exception):
            logger.warning("query over the time budget: %s %s", request.method, request.path)
            message = _(
                "This request needs more time than the portal gives one request; ask for"
                " less (a smaller area, a closer zoom, fewer features) or try again later."
            )
            code = "timeout"
        else:
            logger.warning("database unavailable: %s", str(exception).strip().splitlines()[:1])
            message = _("The database is not answering just now; try again in a few seconds.")
            code = "unavailable"
        wants_json = request.path.startswith(("/api/", "/ogc/", "/tiles/")) or "json" in (
            request.headers.get("Accept", "")
        )
        if wants_json:
            response = JsonResponse({"detail": message, "code": code}, status=503)
        else:
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
