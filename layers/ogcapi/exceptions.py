"""OGC-style exceptions: a JSON body ``{"code": ..., "description": ...}``.

Cited schema: OGC API – Features Part 1, ``openapi/schemas/exception.yaml``
(http://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/schemas/exception.yaml).
"""

from django.http import JsonResponse


class OGCAPIError(Exception):
    """A client error that a view turns into an OGC exception response."""

    status = 400
    code = "InvalidParameterValue"

    def __init__(self, description: str, *, code: str | None = None):
        super().__init__(description)
        self.description = description
        if code:
            self.code = code


class InvalidParameter(OGCAPIError):
    status = 400
    code = "InvalidParameterValue"


class UnknownParameter(OGCAPIError):
    status = 400
    code = "UnknownParameter"


class NotFound(OGCAPIError):
    status = 404
    code = "NotFound"


class NotAcceptable(OGCAPIError):
    status = 406
    code = "NotAcceptable"


class MethodNotAllowed(OGCAPIError):
    status = 405
    code = "MethodNotAllowed"


def exception_response(error: OGCAPIError) -> JsonResponse:
    """The JSON response for ``error``; never a page, so API clients can always parse it."""
    return JsonResponse(
        {"code": error.code, "description": error.description},
        status=error.status,
        json_dumps_params={"ensure_ascii": False},
    )
