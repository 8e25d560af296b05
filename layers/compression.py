"""gzip for the app's own data answers (tiles, GeoJSON, JSON), so `make run` and any
deployment without nginx in front send a z14 tree tile in a third of its bytes.

Only those media types: an HTML page carries the CSRF token next to text an attacker may
put in the URL, and compressing the two together leaks the token through the length
(BREACH). And only answers that hold nobody's secret: those marked ``Cache-Control:
public`` (tiles, their records, TileJSON; the OGC API compresses its own), and any data
answer to a request without a session cookie (a resident's phone: the map's list and
search JSON); a signed-in editor's API answers are left as they are. Those need none of
Django's random padding either. Files (downloads, byte ranges) are left alone: they are
sent from disk, and the download view has its own gzip copy. A streamed FeatureCollection
stays streamed: each chunk is compressed as it comes.
"""

from django.conf import settings
from django.http import FileResponse
from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = frozenset(
    {
        "application/vnd.mapbox-vector-tile",
        "application/json",
        "application/geo+json",
        "application/schema+json",
        "application/vnd.oai.openapi+json",
        "application/problem+json",
    }
)


def _media_type(response) -> str:
    return response.get("Content-Type", "").split(";", 1)[0].strip().lower()


class DataGZipMiddleware(GZipMiddleware):
    max_random_bytes = 0  # no secret in these bodies to hide (see the module docstring)

    def process_response(self, request, response):
        if response.status_code != 200 or isinstance(response, FileResponse):
            return response
        if _media_type(response) not in COMPRESSED_TYPES:
            return response
        public = "public" in response.get("Cache-Control", "").lower()
        if not public and settings.SESSION_COOKIE_NAME in request.COOKIES:
            return response
        return super().process_response(request, response)
