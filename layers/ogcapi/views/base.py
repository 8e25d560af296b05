"""What every OGC endpoint does around its own work: methods, CORS, errors as OGC exception
bodies, conditional requests and gzip."""

import functools
import json
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from layers.ogcapi import http
from layers.ogcapi.exceptions import (
    InvalidParameter,
    MethodNotAllowed,
    NotFound,
    OGCAPIError,
    exception_response,
)
from layers.ogcapi.families import collection_get
from layers.registry import Registry
from layers.selectors.stamps import Stamp


def ogc_endpoint(view: Callable) -> Callable:
    """Wrap a view: GET/HEAD/OPTIONS only, client errors as OGC JSON, CORS and gzip on all."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if request.method == "OPTIONS":
            return http.preflight_response()
        try:
            if request.method not in ("GET", "HEAD"):
                raise MethodNotAllowed(f"{request.method} is not allowed; this API is read-only.")
            response = view(request, *args, **kwargs)
        except OGCAPIError as error:
            response = exception_response(error)
        except Http404 as error:
            response = exception_response(NotFound(str(error) or "Not found."))
        except ValidationError as error:
            # A value that passed our parsing but not the field's own (a safety net: 400).
            response = exception_response(InvalidParameter("; ".join(error.messages)))
        if response.status_code == 405:
            response["Allow"] = "GET, HEAD, OPTIONS"
        return http.gzip(request, http.cors(response))

    # Read-only and cookie-blind: a POST is refused above with 405 and an OGC body, not
    # with the CSRF middleware's HTML 403 page (nothing here can change state).
    wrapper.csrf_exempt = True
    return wrapper


def registry_or_404(collection_id: str) -> Registry:
    try:
        return collection_get(collection_id)
    except KeyError:
        raise NotFound(f"There is no collection {collection_id!r}.") from None


def json_response(data: dict, media_type: str = http.JSON, status: int = 200) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, default=str)
    return HttpResponse(body, content_type=f"{media_type}; charset=utf-8", status=status)


def html_response(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    response = render(request, f"layers/ogcapi/{template}", context)
    return response


def conditional(
    request: HttpRequest,
    stamp: Stamp | str,
    media_type: str,
    build: Callable[[], HttpResponseBase],
) -> HttpResponseBase:
    """A 304 when the client has this representation at this stamp; else ``build()`` with
    ETag and Last-Modified. Language and Accept change the representation: say so in Vary."""
    etag = http.representation_etag(str(stamp), request, media_type)
    last_modified = getattr(stamp, "last_modified", None)
    response = http.not_modified(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = build()
    http.set_validators(response, etag=etag, last_modified=last_modified)
    patch_vary_headers(response, ("Accept", "Accept-Language", "Cookie"))
    return response
