"""When the database is away (restarting, unreachable), say so: 503 with Retry-After, not a
500. Django reconnects by itself at the next request (``CONN_HEALTH_CHECKS``), so once the
database is back the next request succeeds; a write that was under way was rolled back by
PostgreSQL with its transaction, so nothing is half-written."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable: %s", str(exception).strip().splitlines()[:1])
        message = _("The database is not answering just now; try again in a few seconds.")
        wants_json = request.path.startswith(("/api/", "/ogc/", "/tiles/")) or "json" in (
            request.headers.get("Accept", "")
        )
        if wants_json:
            response = JsonResponse({"detail": message, "code": "unavailable"}, status=503)
        else:
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
