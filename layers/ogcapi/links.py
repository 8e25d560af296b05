"""Links of the OGC API documents: absolute URLs of its endpoints and link objects. The
documents (landing, collections, DCAT, OpenAPI) and the views both build on these, so the
documents never import the views."""

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse


def url(request: HttpRequest, name: str, *args, **query) -> str:
    """The absolute URL of an OGC endpoint, with query parameters."""
    location = request.build_absolute_uri(reverse(f"ogcapi:{name}", args=args))
    query = {key: value for key, value in query.items() if value is not None}
    return f"{location}?{urlencode(query)}" if query else location


def link(href: str, rel: str, media_type: str, title: str = "", **extra) -> dict:
    """A link object (OGC API Common, link.yaml: href and rel required)."""
    result = {"href": href, "rel": rel, "type": media_type}
    if title:
        result["title"] = str(title)
    result.update(extra)
    return result
