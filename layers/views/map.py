"""The public map page and the JSON it reads besides the tiles: the list and search."""

import json

from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import PrefixNode, static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from layers.csp import csp_protect
from layers.registry import REGISTRIES, registry_get
from layers.selectors.boundary import hromada_boundary_geojson
from layers.selectors.map import (
    MapFilterError,
    bbox_parse,
    map_filters,
    map_filters_parse,
    map_list,
    map_search,
    property_choices,
    property_label,
)
from layers.tiles.sql import MAX_ZOOM

# How each layer is drawn and which tile attributes its popup shows (in this order).
LAYER_STYLE = {
    "accessibility": (
        "traffic_light",
        ("category", "traffic_light", "wheelchair", "low_vision", "hearing", "stroller"),
    ),
    "trees": ("condition", ("species_uk", "species_latin", "condition", "height_m")),
    "green-areas": ("kind", ("kind",)),
    "heritage": ("significance", ("types", "significance")),
    "protection-zones": ("kind", ("kind",)),
    "waste-sites": ("kind", ("kind", "fractions")),
}
# Big point layers are drawn from this zoom on; below it the layer says "zoom in".
LAYER_MIN_ZOOM = {"trees": 14}
DEFAULT_LAYERS = ("accessibility", "green-areas", "heritage", "waste-sites")
LIST_PAGE_SIZE = 20


def _legend(registry) -> list[dict]:
    """The values the layer is coloured by, with their labels (CSS gives the colours)."""
    style_property = LAYER_STYLE[registry.id][0]
    return [
        {"value": value, "label": label}
        for value, label in property_choices(registry, style_property).items()
    ]


def _layers_config() -> list[dict]:
    layers = []
    for registry in REGISTRIES:
        style_property, popup = LAYER_STYLE[registry.id]
        shown = ("name", *popup)
        layers.append(
            {
                "id": registry.id,
                "title": str(registry.title),
                "geometry": _geometry_kind(registry),
                "minZoom": LAYER_MIN_ZOOM.get(registry.id, 0),
                "styleBy": style_property,
                "popup": list(popup),
                "labels": {name: property_label(registry, name) for name in shown},
                "choices": {name: property_choices(registry, name) for name in popup},
                "filters": [spec.key for spec in map_filters(registry)],
                "visible": registry.id in DEFAULT_LAYERS,
            }
        )
    return layers


def _geometry_kind(registry) -> str:
    geom_type = registry.model._meta.get_field("geom").geom_type.upper()
    return {"POINT": "point", "MULTIPOLYGON": "polygon", "POLYGON": "polygon"}.get(
        geom_type, "mixed"
    )


def _strings() -> dict[str, str]:
    return {
        "openRecord": _("Open the record page"),
        "showOnMap": _("Show on map"),
        "showMore": _("Show more"),
        "loading": _("Loading…"),
        "nothingHere": _("Nothing in the visible area matches the filters."),
        "zoomIn": _("Zoom in to see this layer on the map."),
        "hereYouAre": _("You are here"),
        "locating": _("Finding your location…"),
        "located": _("The map shows your location."),
        "locationFailed": _("Your location is not available."),
        "noResults": _("Nothing found."),
        "searchTooShort": _("Type at least two characters."),
        "loadFailed": _("The records could not be loaded."),
        "linkCopied": _("The link is copied."),
        "noLayers": _("Switch on a layer to list its records."),
        "yes": _("yes"),
        "no": _("no"),
    }


@csp_protect
@require_safe
def home(request):
    """The public map: every registry a layer, filters, list, search, near me, permalink."""
    tile_sample = reverse("tiles:tile", kwargs={"collection": "c", "z": 0, "x": 0, "y": 0})
    record_sample = reverse(
        "layers:record",
        kwargs={"collection": "c", "public_id": "00000000-0000-0000-0000-000000000000"},
    )
    config = {
        "maxZoom": min(MAX_ZOOM, 19),
        "tileUrl": tile_sample.replace("/c/0/0/0.pbf", "/{collection}/{z}/{x}/{y}.pbf"),
        "recordUrl": record_sample.replace("/c/", "/{collection}/").replace(
            "00000000-0000-0000-0000-000000000000", "{id}"
        ),
        "listUrl": reverse("layers:map-list"),
        "searchUrl": reverse("layers:map-search"),
        "layers": _layers_config(),
        "strings": _strings(),
    }
    context = {
        "boundary": hromada_boundary_geojson(),
        "map_config": config,
        "layer_blocks": [
            {
                "registry": registry,
                "legend": _legend(registry),
                "filters": [
                    {"spec": spec, "choices": spec.choices()} for spec in map_filters(registry)
                ],
                "visible": registry.id in DEFAULT_LAYERS,
                "min_zoom": LAYER_MIN_ZOOM.get(registry.id, 0),
            }
            for registry in REGISTRIES
        ],
        "import_map": _import_map(),
    }
    return render(request, "layers/map.html", context)


# The map's own ES modules import each other by relative path; the import map sends those
# URLs to the hashed (long-cached) files that the manifest storage writes.
MAP_MODULES = ("controls.js", "list.js", "mvt-layer.js", "permalink.js", "popup.js", "dom.js")


def _import_map() -> str:
    """The import map of the map page, as JSON safe inside a <script> element."""
    imports = {
        "pbf": static("vendor/pbf/index.js"),
        "@mapbox/point-geometry": static("vendor/point-geometry/index.js"),
        "@mapbox/vector-tile": static("vendor/vector-tile/index.js"),
    }
    prefix = PrefixNode.handle_simple("STATIC_URL")
    for name in MAP_MODULES:
        imports[f"{prefix}layers/map/{name}"] = static(f"layers/map/{name}")
    text = json.dumps({"imports": imports})
    # As json_script does: no "</script>" or "<!--" can ever close the element early.
    return mark_safe(  # noqa: S308 - static URLs, escaped below
        text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    )


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@require_safe
def list_json(request):
    """One page of one layer's records in a bbox, with the map's filters of that layer:
    ``?collection=trees&bbox=w,s,e,n&condition=hazardous&page=2``."""
    try:
        registry = registry_get(request.GET.get("collection", ""))
    except KeyError:
        return _bad_request("collection: unknown")
    try:
        filters = map_filters_parse(registry, request.GET)
        bbox = bbox_parse(request.GET["bbox"]) if request.GET.get("bbox") else None
        page = int(request.GET.get("page", "1"))
    except (MapFilterError, ValueError) as exc:
        return _bad_request(str(exc))
    if not 1 <= page <= 1000:
        return _bad_request("page: 1 to 1000")
    body = map_list(registry, filters=filters, bbox=bbox, page=page, page_size=LIST_PAGE_SIZE)
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@require_safe
def search_json(request):
    """Records of every layer whose name or address contains ``q``."""
    results = map_search(request.GET.get("q", ""))
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
