"""``/ogc/``: OGC API – Features, downloads and the DCAT catalogue (no language prefix)."""

from django.urls import Resolver404, path, re_path, resolve
from django.views.decorators.csrf import csrf_exempt

from layers.ogcapi.exceptions import NotFound
from layers.ogcapi.views import collections, downloads, items, landing, passports, simple, tiles
from layers.ogcapi.views.base import ogc_endpoint

app_name = "ogcapi"


@csrf_exempt  # delegates to views that refuse every write with a 405
def not_found(request, rest=""):
    """A path with a trailing slash is served as the path without it (clients add them, and
    QGIS does not follow redirects); anything else unknown is an OGC 404."""
    if rest.endswith("/"):
        try:
            match = resolve(request.path.rstrip("/"))
        except Resolver404:
            pass
        else:
            if match.func is not not_found:
                return match.func(request, *match.args, **match.kwargs)
    return _unknown(request, rest)


@ogc_endpoint
def _unknown(request, rest):
    raise NotFound(f"There is no resource /ogc/{rest}.")


urlpatterns = [
    path("", landing.landing, name="landing"),
    path("conformance", landing.conformance, name="conformance"),
    path("api", landing.openapi, name="openapi"),
    path("catalogue", downloads.catalogue, name="dcat"),
    path("passports", passports.passports, name="passports"),
    path("passports.csv", passports.passports, {"as_csv": True}, name="passports-csv"),
    path(
        "collections/<str:collection_id>/structure",
        passports.dataset_structure,
        name="structure",
    ),
    path(
        "collections/<str:collection_id>/structure.csv",
        passports.dataset_structure,
        {"as_csv": True},
        name="structure-csv",
    ),
    path("collections", collections.collections, name="collections"),
    path("tileMatrixSets", tiles.matrix_sets, name="tmss"),
    path("tileMatrixSets/<str:matrix_set>", tiles.matrix_set, name="tms"),
    path("collections/<str:collection_id>/tiles", tiles.collection_tilesets, name="tilesets"),
    path(
        "collections/<str:collection_id>/tiles/<str:matrix_set>",
        tiles.collection_tileset,
        name="tileset",
    ),
    path(
        "collections/<str:collection_id>/tiles/<str:matrix_set>/<int:z>/<int:y>/<int:x>",
        tiles.collection_tile,
        name="tile",
    ),
    # A collection that is not a registry (citizen reports) has views of its own: by_kind
    # sends its id there (layers/ogcapi/simple.py says why).
    path(
        "collections/<str:collection_id>",
        simple.by_kind(collections.collection, simple.collection),
        name="collection",
    ),
    path(
        "collections/<str:collection_id>/queryables",
        simple.by_kind(collections.queryables, simple.queryables),
        name="queryables",
    ),
    path(
        "collections/<str:collection_id>/items",
        simple.by_kind(items.items, simple.items),
        name="items",
    ),
    path(
        "collections/<str:collection_id>/items/<str:feature_id>",
        simple.by_kind(items.item, simple.item),
        name="item",
    ),
    path(
        "collections/<str:collection_id>/download/<str:name>",
        downloads.download,
        name="download",
    ),
    # Anything else under /ogc/ is an OGC 404, not the site's HTML page.
    re_path(r"^(?P<rest>[\s\S]+)$", not_found),  # any character, a newline too
]
