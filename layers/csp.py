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


def _images() -> list[str]:
    img = ["'self'", "data:"]
    for url in (settings.GEOPORTAL_BASEMAP_URL, settings.MEDIA_URL, settings.STATIC_URL):
        origin = _origin(url)
        if origin and origin not in img:
            img.append(origin)
    return img


def csp_header(nonce: str, *, kind: str = "page") -> str:
    """The policy of an HTML page: ``page`` (the portal's own pages: no inline script but the
    nonce's, no inline style), ``admin`` (Django's admin and its map widgets run inline
    scripts and styles) or ``docs`` (ReDoc inserts its styles and runs a worker from a blob).
    Every kind keeps other origins' scripts, plugins, framing and foreign form targets out."""
    script = ["'self'", f"'nonce-{nonce}'"]
    style = ["'self'"]
    extra: dict[str, list[str]] = {}
    if kind == "admin":
        script, style = ["'self'", "'unsafe-inline'"], ["'self'", "'unsafe-inline'"]
    elif kind == "docs":
        style = ["'self'", "'unsafe-inline'"]
        extra = {"worker-src": ["'self'", "blob:"]}
    directives = {
        "default-src": ["'self'"],
        "script-src": script,
        "style-src": style,
        "img-src": _images(),
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **extra,
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


# Features no page of the portal uses are switched off; the map's "near me" needs location.
PERMISSIONS_POLICY = "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)"


def csp_protect(view):
    """Give the request a nonce (``request.csp_nonce``) and the response the policy."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.csp_nonce = secrets.token_urlsafe(18)
        response = view(request, *args, **kwargs)
        response.setdefault("Content-Security-Policy", csp_header(request.csp_nonce))
        return response

    return wrapped


class SecurityHeadersMiddleware:
    """Every response gets a Permissions-Policy; every HTML page a Content-Security-Policy
    (the one its view set with ``csp_protect``, else the policy of its kind). Django's
    SecurityMiddleware adds nosniff and the Referrer-Policy, XFrameOptionsMiddleware
    X-Frame-Options."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not hasattr(request, "csp_nonce"):
            request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if response.get("Content-Type", "").startswith("text/html"):
            path = request.path_info
            kind = (
                "admin" if "/admin/" in path else "docs" if path.startswith("/api/docs") else "page"
            )
            response.setdefault("Content-Security-Policy", csp_header(request.csp_nonce, kind=kind))
        return response
