"""``/ogc/``: OGC API – Features, downloads and the DCAT catalogue (no language prefix)."""

from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, path, re_path, resolve

from layers.ogcapi.exceptions import NotFound
from layers.ogcapi.views import collections, downloads, items, landing
from layers.ogcapi.views.base import ogc_endpoint

app_name = "ogcapi"


@ogc_endpoint
def not_found(request, rest=""):
    """An OGC 404 for unknown paths; a trailing slash is forgiven (clients add them)."""
    if rest.endswith("/"):
        try:
            resolve(request.path.rstrip("/"))
        except Resolver404:
            pass
        else:
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(
                request.path.rstrip("/") + (f"?{query}" if query else "")
            )
    raise NotFound(f"There is no resource /ogc/{rest}.")


urlpatterns = [
    path("", landing.landing, name="landing"),
    path("conformance", landing.conformance, name="conformance"),
    path("api", landing.openapi, name="openapi"),
    path("catalogue", downloads.catalogue, name="dcat"),
    path("collections", collections.collections, name="collections"),
    path("collections/<str:collection_id>", collections.collection, name="collection"),
    path("collections/<str:collection_id>/queryables", collections.queryables, name="queryables"),
    path("collections/<str:collection_id>/items", items.items, name="items"),
    path("collections/<str:collection_id>/items/<str:feature_id>", items.item, name="item"),
    path(
        "collections/<str:collection_id>/download/<str:name>",
        downloads.download,
        name="download",
    ),
    # Anything else under /ogc/ is an OGC 404, not the site's HTML page.
    re_path(r"^(?P<rest>.+)$", not_found),
]
