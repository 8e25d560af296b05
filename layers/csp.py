"""Content-Security-Policy for the public pages.

Pages carry no inline script: data reaches JavaScript through ``json_script`` blocks (which
browsers never execute) and ``data-*`` attributes. The one inline element that must be
allowed is the import map of the map's ES modules, which gets the per-request nonce.
Images may come from this site, ``data:`` URLs (Leaflet's own) and the configured base-map
tile host (``GEOPORTAL_BASEMAP_URL``), so the page still works when that host is down.
"""

import functools
import secrets
from urllib.parse import urlsplit

from django.conf import settings


def _origin(url: str) -> str | None:
    """The CSP source of an absolute URL template; ``{s}``-style placeholders in the host
    become a wildcard label (``https://*.tile.example.org``)."""
    parts = urlsplit(url.replace("{", "%7B").replace("}", "%7D"))
    if not parts.scheme or not parts.netloc:
        return None
    labels = ["*" if "%7B" in label else label for label in parts.netloc.split(".")]
    return f"{parts.scheme}://{'.'.join(labels)}"


def csp_header(nonce: str) -> str:
    img = ["'self'", "data:"]
    for url in (settings.GEOPORTAL_BASEMAP_URL, settings.MEDIA_URL, settings.STATIC_URL):
        origin = _origin(url)
        if origin and origin not in img:
            img.append(origin)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", f"'nonce-{nonce}'"],
        "style-src": ["'self'"],
        "img-src": img,
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def csp_protect(view):
    """Give the request a nonce (``request.csp_nonce``) and the response the policy."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.csp_nonce = secrets.token_urlsafe(18)
        response = view(request, *args, **kwargs)
        response.setdefault("Content-Security-Policy", csp_header(request.csp_nonce))
        return response

    return wrapped


class ContentSecurityPolicyMiddleware:
    """The same policy for every HTML page outside the admin (whose map widgets still use
    inline scripts). Optional: the public views are already decorated with ``csp_protect``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not hasattr(request, "csp_nonce"):
            request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        is_html = response.get("Content-Type", "").startswith("text/html")
        if is_html and "/admin/" not in request.path:
            response.setdefault("Content-Security-Policy", csp_header(request.csp_nonce))
        return response
