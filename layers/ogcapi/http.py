"""HTTP plumbing shared by every OGC endpoint: format negotiation, CORS, conditional requests
and gzip. Applied per response here rather than by middleware, so that the streamed GeoJSON
gets a streaming gzip and the rest of the site is unaffected."""

import hashlib
import re
import zlib
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string
from django.utils.translation import get_language

from layers.ogcapi.exceptions import InvalidParameter, NotAcceptable

JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"
OPENAPI_JSON = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA_JSON = "application/schema+json"
JSON_LD = "application/ld+json"

_F_VALUES = {"json": JSON, "html": HTML, "geojson": GEOJSON}
CORS_EXPOSED = (
    "ETag, Last-Modified, Content-Crs, Link, Content-Disposition, Content-Language, "
    "Content-Length, Content-Range, Accept-Ranges"
)
_GZIP_ACCEPTED = re.compile(r"\bgzip\b")
# Level 1: the streamed GeoJSON must keep pace with PostGIS; it still shrinks ~6x.
STREAM_GZIP_LEVEL = 1


def negotiate(request: HttpRequest, *, json_type: str = JSON) -> str:
    """``"json"`` or ``"html"``: the ``f`` parameter wins, then the Accept header; JSON when
    the client does not say (GDAL, curl)."""
    f = request.GET.get("f")
    if f is not None:
        if f not in _F_VALUES:
            raise InvalidParameter(f"f={f!r}: use one of json, html.")
        return "html" if f == "html" else "json"
    if "HTTP_ACCEPT" not in request.META:
        return "json"
    preferred = request.get_preferred_type([json_type, JSON, GEOJSON, HTML])
    if preferred is None:
        raise NotAcceptable("This resource is available as JSON and HTML only.")
    return "html" if preferred == HTML else "json"


def cors(response: HttpResponseBase) -> HttpResponseBase:
    """Open data: any web page may read it (GET only; nothing here depends on cookies)."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = CORS_EXPOSED
    return response


def preflight_response() -> HttpResponse:
    """The answer to a CORS preflight (a GET with If-None-Match or Accept-Language needs one)."""
    response = HttpResponse(status=204)
    response["Allow"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = (
        "Accept, Accept-Language, If-None-Match, If-Modified-Since, Range, If-Range"
    )
    response["Access-Control-Max-Age"] = "86400"
    return cors(response)


def representation_etag(stamp: str, request: HttpRequest, media_type: str) -> str:
    """A strong ETag for this representation of a resource whose data is at ``stamp``: the
    same data, query, format and language give the same tag, on any worker or host."""
    query = sorted(request.GET.lists())
    key = f"{stamp}|{request.path}|{query}|{media_type}|{get_language()}"
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def not_modified(
    request: HttpRequest, *, etag: str, last_modified: datetime | None
) -> HttpResponseBase | None:
    """A 304 when the client's copy is current (If-None-Match wins over If-Modified-Since,
    RFC 9110 §13.2.2); otherwise None."""
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    return response


def set_validators(
    response: HttpResponseBase, *, etag: str, last_modified: datetime | None
) -> HttpResponseBase:
    # Compressed bytes are another representation than the identity ones (ranges and
    # If-Range refer to the identity bytes): a weak tag, as GZipMiddleware gives.
    response["ETag"] = "W/" + etag if response.get("Content-Encoding") == "gzip" else etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    # Revalidate every time: a change to the layer must show at once, a 304 costs little.
    response["Cache-Control"] = "public, no-cache"
    return response


def _gzip_stream(chunks: Iterable[bytes]) -> Iterator[bytes]:
    compressor = zlib.compressobj(STREAM_GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    for chunk in chunks:
        data = compressor.compress(chunk)
        if data:
            yield data
    yield compressor.flush()


def accepts_gzip(request: HttpRequest) -> bool:
    return bool(_GZIP_ACCEPTED.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def gzip(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Compress the response when the client accepts gzip, as django's GZipMiddleware would
    (a streaming compressor for streamed bodies). A later GZipMiddleware sees the
    Content-Encoding and leaves it alone."""
    patch_vary_headers(response, ("Accept-Encoding",))
    if response.has_header("Content-Encoding") or response.status_code != 200:
        return response
    if not accepts_gzip(request):
        return response
    if response.streaming:
        response.streaming_content = _gzip_stream(response.streaming_content)
        del response["Content-Length"]
    else:
        if len(response.content) < 200:
            return response
        compressed = compress_string(response.content)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response["Content-Length"] = str(len(response.content))
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        # The compressed bytes differ from the identity ones: a weak tag (as GZipMiddleware).
        response["ETag"] = "W/" + etag
    response["Content-Encoding"] = "gzip"
    return response
