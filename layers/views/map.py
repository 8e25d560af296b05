"""The public map page and the JSON it reads besides the tiles: the list and search."""

import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import PrefixNode, static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from layers.csp import csp_protect
from layers.registry import public_registries, public_registry_get
from layers.selectors.boundary import hromada_boundary_geojson
from layers.selectors.distance import point_parse
from layers.selectors.map import (
    MapFilterError,
    bbox_parse,
    map_filters,
    map_filters_parse,
    map_list,
    map_nearest,
    property_choices,
    property_label,
    registry_page_links,
)
from layers.selectors.search import map_search
from layers.selectors.summary import collection_summary
from layers.symbols import css_name, drawing_json, legend_symbol
from layers.tiles.sql import MAX_ZOOM

LIST_PAGE_SIZE = 20
# How many answers the nearest question gives: the nearest, and a choice of others.
NEAREST_COUNT = 3


def _style_labels(registry) -> dict[str, str]:
    """The values the layer is coloured by in the words the legend and popup use: the
    entry's plain ``legend_labels`` where it has them, else the property's choices."""
    if not registry.style_by:
        return {}
    labels = property_choices(registry, registry.style_by)
    labels.update({value: str(label) for value, label in registry.legend_labels.items()})
    return labels


def _legend(registry) -> list[dict]:
    """The values the layer is coloured by, with their labels and symbols (SVG in the shape
    the map draws; the layer stylesheet gives the colours)."""
    return [
        {"value": value, "label": label, "symbol": legend_symbol(registry, value)}
        for value, label in _style_labels(registry).items()
    ]


def _style_options(registry) -> list[dict]:
    """What the visitor may colour the layer by (the needs of the accessibility layer)."""
    return [
        {"value": name, "label": property_label(registry, name)} for name in registry.style_options
    ]


def _layers_config(registries) -> list[dict]:
    layers = []
    for registry in registries:
        shown = ("name", *registry.popup)
        choices = {name: property_choices(registry, name) for name in registry.popup}
        # The properties the layer may be coloured by read as the legend does.
        for name in {registry.style_by, *registry.style_options} & set(registry.popup):
            choices[name] = _style_labels(registry)
        badge = registry.status_badge
        layers.append(
            {
                "id": registry.id,
                "title": str(registry.title),
                "geometry": registry.geometry_kind,
                # A layer with an overview is drawn at every zoom: counts, then records.
                "minZoom": 0 if registry.overview_below_zoom else registry.min_zoom,
                "overviewBelow": registry.overview_below_zoom,
                "zIndex": registry.z_order,
                "styleBy": registry.style_by,
                # With each value's point shape, line dashes and area hatching.
                "drawing": drawing_json(registry),
                "popup": list(registry.popup),
                "labels": {name: property_label(registry, name) for name in shown},
                "choices": choices,
                "styleOptions": [option["value"] for option in _style_options(registry)],
                "styleFilter": registry.style_filter,
                "badge": badge.as_json() if badge else None,
                "filters": [spec.key for spec in map_filters(registry)],
                "visible": registry.shown_by_default,
                # Where its published records are (lon/lat), null when it has none: the
                # map asks for no tile away from them (a layer of one district, an empty
                # layer: no requests at all).
                "extent": _extent(registry),
            }
        )
    return layers


def _extent(registry) -> list[float] | None:
    extent = collection_summary(registry).bbox
    return [round(value, 6) for value in extent] if extent else None


# The colour chooser of a layer (radio buttons in its panel), laid out like the legend.
_STYLE_CHOOSER_RULES = (
    ".style-chooser { border: 0; margin: 0.25rem 0 0 1.5rem; padding: 0; }",
    ".style-chooser legend { font-weight: 600; padding: 0; font-size: 0.9rem; }",
    ".style-chooser .check { margin: 0.1rem 0; }",
    ".legend-caption { margin: 0.25rem 0 0 1.5rem; font-size: 0.9rem; font-weight: 600; }",
    ".layer-explanation { margin: 0.25rem 0 0.25rem 1.5rem; font-size: 0.85rem; }",
    ".popup-badge { display: inline-block; margin: 0.25rem 0; padding: 0.1rem 0.4rem;"
    " border: 1px solid #1b1b1b; border-radius: 0.25rem; background: #fff; font-size: 0.85rem; }",
)


@require_safe
def layer_styles(request):
    """The colours of every layer and of each value it is coloured by, as CSS custom
    properties and legend swatch classes: the map reads the same properties, so the
    legend and the map cannot disagree. Generated from the registry entries."""
    lines = [":root {"]
    rules = []
    # The swatches' shapes are in their SVG (``layers.symbols.legend_symbol``); here only
    # the colours, which the map's JavaScript reads too.
    for registry in public_registries():
        rid = css_name(registry.id)
        lines.append(f"  --c-{rid}: {registry.colour};")
        rules.append(f".swatch-{rid} {{ --swatch: var(--c-{rid}); }}")
        for value, colour in registry.colours.items():
            name = f"{rid}-{css_name(value)}"
            lines.append(f"  --c-{name}: {colour};")
            rules.append(f".swatch-{rid}--{css_name(value)} {{ --swatch: var(--c-{name}); }}")
    lines.append("}")
    rules.extend(_STYLE_CHOOSER_RULES)
    response = HttpResponse("\n".join(lines + rules) + "\n", content_type="text/css")
    response["Cache-Control"] = "public, max-age=60"
    return response


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
        "recordLoadFailed": _("This record could not be loaded."),
        "linkCopied": _("The link is copied."),
        "linkShared": _("The link is shared."),
        "linkNotCopied": _("The link could not be copied: copy it from the address bar."),
        "shareLink": _("Share the link"),
        # Leaflet's own words, in the page's language.
        "zoomInButton": _("Zoom in"),
        "zoomOutButton": _("Zoom out"),
        "closePopup": _("Close the popup"),
        "leafletTitle": _("A JavaScript library for interactive maps"),
        "noLayers": _("Switch on a layer to list its records."),
        "colouredBy": _("Colour and shape: %(need)s"),
        "searchMore": _(
            "%(layer)s: showing the first %(shown)s, there are more. "
            "Add a word to narrow the search."
        ),
        "fromYou": _("%(distance)s from you"),
        "fromCentre": _("%(distance)s from the map centre"),
        "nearestFirst": _("Nearest to you first."),
        "nearestFromYou": _("%(question)s %(value)s: %(title)s, %(distance)s from you."),
        "nearestFromCentre": _(
            "%(question)s %(value)s: %(title)s, %(distance)s from the map centre."
        ),
        "nearestNone": _("%(question)s %(value)s: none found."),
        "nearestOthers": _("Next nearest"),
        "yes": _("yes"),
        "no": _("no"),
    }


@csp_protect
@require_safe
def home(request):
    """The public map: every registry a layer, filters, list, search, near me, permalink."""
    published = public_registries()
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
        # A tile feature's record (popup values, public id) by its MVT id or public id.
        "featureUrl": reverse("tiles:feature", kwargs={"collection": "c", "fid": 0}).replace(
            "/c/features/0.json", "/{collection}/features/{key}.json"
        ),
        "listUrl": reverse("layers:map-list"),
        "searchUrl": reverse("layers:map-search"),
        "nearestUrl": reverse("layers:map-nearest"),
        "layers": _layers_config(published),
        "strings": _strings(),
    }
    context = {
        "boundary": hromada_boundary_geojson(),
        "map_config": config,
        "layer_blocks": [
            {
                "registry": registry,
                "legend": _legend(registry),
                "style_options": _style_options(registry),
                "explanation": registry.status_badge.explanation if registry.status_badge else "",
                "filters": [
                    {"spec": spec, "choices": spec.choices()} for spec in map_filters(registry)
                ],
                "visible": registry.shown_by_default,
                "min_zoom": 0 if registry.overview_below_zoom else registry.min_zoom,
                "pages": registry_page_links(registry),
            }
            for registry in published
        ],
        "import_map": _import_map(),
        "map_modules": list(_map_module_urls().values()),
        "nearest_questions": _nearest_questions(published),
    }
    return render(request, "layers/map.html", context)


def _nearest_questions(registries) -> list[dict]:
    """The map's "nearest site that takes …" questions: one per layer that declares one
    (``Registry.nearest_filter``), with the values of that filter to choose from."""
    questions = []
    for registry in registries:
        specs = [spec for spec in map_filters(registry) if spec.key == registry.nearest_filter]
        if specs:
            questions.append(
                {
                    "registry": registry,
                    "key": specs[0].key,
                    "label": registry.nearest_label,
                    "choices": specs[0].choices(),
                }
            )
    return questions


# The map's own ES modules import each other by relative path; the import map sends those
# URLs to the hashed (long-cached) files that the manifest storage writes.
MAP_MODULES = (
    "controls.js",
    "list.js",
    "mvt-layer.js",
    "permalink.js",
    "popup.js",
    "dom.js",
    "search.js",
)


def _map_module_urls() -> dict[str, str]:
    """Each module the map page imports, by the specifier it is imported as: its URL."""
    imports = {
        "pbf": static("vendor/pbf/index.js"),
        "@mapbox/point-geometry": static("vendor/point-geometry/index.js"),
        "@mapbox/vector-tile": static("vendor/vector-tile/index.js"),
    }
    prefix = PrefixNode.handle_simple("STATIC_URL")
    for name in MAP_MODULES:
        imports[f"{prefix}layers/map/{name}"] = static(f"layers/map/{name}")
    return imports


def _import_map() -> str:
    """The import map of the map page, as JSON safe inside a <script> element."""
    text = json.dumps({"imports": _map_module_urls()})
    # As json_script does: no "</script>" or "<!--" can ever close the element early.
    return mark_safe(  # noqa: S308 - static URLs, escaped below
        text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    )


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@require_safe
def list_json(request):
    """One page of one layer's records in a bbox, with the map's filters of that layer:
    ``?collection=trees&bbox=w,s,e,n&condition=hazardous&page=2``; with ``near=lat,lon``
    (the visitor's position) nearest first, each with its ``distance_m``."""
    try:
        registry = public_registry_get(request.GET.get("collection", ""))
    except KeyError:
        return _bad_request("collection: unknown")
    try:
        filters = map_filters_parse(registry, request.GET)
        bbox = bbox_parse(request.GET["bbox"]) if request.GET.get("bbox") else None
        near = point_parse(request.GET["near"]) if request.GET.get("near") else None
        page = int(request.GET.get("page", "1"))
    except (MapFilterError, ValueError) as exc:
        return _bad_request(str(exc))
    if not 1 <= page <= 1000:
        return _bad_request("page: 1 to 1000")
    body = map_list(
        registry, filters=filters, bbox=bbox, near=near, page=page, page_size=LIST_PAGE_SIZE
    )
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@require_safe
def search_json(request):
    """Records of every layer that match ``q`` (``layers.selectors.search``), with per
    layer how many are shown and whether there are more."""
    body = map_search(request.GET.get("q", ""))
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@require_safe
def nearest_json(request):
    """The map's nearest question: a layer's published records nearest a position that
    have one value of its ``nearest_filter``, nearest first, with metres:
    ``?collection=waste-sites&fraction=glass&near=49.42,26.99``."""
    try:
        registry = public_registry_get(request.GET.get("collection", ""))
    except KeyError:
        return _bad_request("collection: unknown")
    key = registry.nearest_filter
    if not key:
        return _bad_request("collection: this layer has no nearest question")
    try:
        filters = map_filters_parse(registry, request.GET)
        near = point_parse(request.GET.get("near", ""))
    except MapFilterError as exc:
        return _bad_request(str(exc))
    if len(filters.get(key, ())) != 1:
        return _bad_request(f"{key}: one value required")
    body = map_nearest(registry, filters=filters, near=near, limit=NEAREST_COUNT)
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
