"""The registry list: the one declaration that the admin, API, OGC collections, tiles, the
map, record pages, demo data and the parametrised tests iterate.

Two kinds implement one interface (``Registry``): the built-in registries below, each backed
by its own model, and the registries defined as data (``layers.datasets.registry``), which
an administrator creates in the browser. Everything the portal needs per registry — public
properties, map style and z-order, popup, list and filter attributes, the tables its change
stamp watches, its demo content — is on the entry, so adding either kind touches one place.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import F, QuerySet
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from layers.editing.part_kinds import ASSESSMENTS, CONTAINERS, PHOTOS, TREE_LOG, ZONE_LINKS
from layers.symbols import SYMBOL_ORDER

# Public properties every registry publishes: output name -> queryset attribute.
COMMON_PROPERTIES = {
    "name": "name",
    "address": "address",
    "verified_on": "verified_on",
    "source": "source",
    "updated_at": "updated_at",
}

# The map's geometry kinds and the GeoJSON types of each.
KIND_TYPES = {
    "point": ("Point",),
    "line": ("LineString", "MultiLineString"),
    "polygon": ("Polygon", "MultiPolygon"),
}


def _with_species_names(queryset):
    return queryset.annotate(
        species_latin=F("species__latin_name"), species_uk=F("species__name_uk")
    )


def _with_fractions(queryset):
    return queryset.with_fractions()


@dataclass(frozen=True, eq=False)
class Drawing:
    """How the map draws a layer's features (the map's JavaScript reads it as JSON).

    ``radius``: (from zoom, pixels) pairs, highest zoom first; ``emphasis``: a boolean
    tile property that gets a heavier outline (hazardous trees). ``shapes``: the point
    symbol of each value of the colouring property (a name of ``layers.symbols.SYMBOLS``),
    so that a value is told by its shape as well as its colour; values without one take
    the catalogue's unused shapes in order; the legend swatches take the same shapes.
    """

    radius: tuple[tuple[int, float], ...] = ((16, 7), (14, 5.5), (0, 4.5))
    fill_opacity: float = 1.0
    weight: float = 1.2
    stroke: str = "#1b1b1b"
    dash: tuple[int, ...] = ()
    emphasis: str = ""
    shapes: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "radius": [list(pair) for pair in self.radius],
            "fillOpacity": self.fill_opacity,
            "weight": self.weight,
            "stroke": self.stroke,
            "dash": list(self.dash),
            "emphasis": self.emphasis,
            "shapes": dict(self.shapes),
        }


AREA = Drawing(fill_opacity=0.35, weight=1.5)

POINT_SHAPES = SYMBOL_ORDER


@dataclass(frozen=True, eq=False)
class StatusBadge:
    """A status shown in words in the popup beside the colour, not as the colour: the
    accessibility layer's official assessment, which says something else than whether a
    visitor with a given need gets in.

    ``property``: the property holding the status; ``date_property``: a property
    (ISO date) whose year the badge names, and without which the status is not official
    (``missing`` is shown instead); ``labels``: the status values in plain words;
    ``text``: ``%(year)s`` and ``%(status)s`` put together.
    """

    property: str
    date_property: str
    labels: dict[str, Promise]
    text: Promise
    missing: Promise
    explanation: Promise = ""

    def as_json(self) -> dict:
        return {
            "property": self.property,
            "dateProperty": self.date_property,
            "labels": {value: str(label) for value, label in self.labels.items()},
            "text": str(self.text),
            "missing": str(self.missing),
        }


@dataclass(frozen=True, eq=False)
class ExtraDownload:
    """A whole-layer file a registry offers besides the four every registry has (GeoJSON,
    CSV, GeoPackage, Shapefile): served at ``…/download/<format>`` and
    ``…/download/<collection>.<suffix>``, built once per state like them
    (``layers.ogcapi.files``), linked from the collection and listed in the catalogue.

    ``build``: a dotted path to ``(registry, path, *, portal_url, collection_url) -> None``,
    which writes the whole file from the registry's published records (its public queryset)
    to ``path``. ``item``: a dotted path to ``(registry, public_id, *, portal_url) -> dict |
    None``, one published record in the format, served as ``…/items/<id>?f=<format>``
    (empty: the format is for the whole layer only). ``stamp``: a dotted path to
    ``(registry) -> str``, the state of what the file reads besides the registry's own
    tables (which the registry's change stamp follows), e.g. related tables without a stamp.
    """

    format: str  # the short name in URLs
    suffix: str  # the file is <collection id>.<suffix>; its last part picks the tool's driver
    media_type: str
    title: Promise
    file_type: str  # the EU file-type code (the catalogue's dct:format)
    build: str
    item: str = ""
    stamp: str = ""
    by_language: bool = False  # its text depends on the language (else one file for all)
    conforms_to: str = ""  # the specification the file follows (the catalogue's dct:conformsTo)


@dataclass(frozen=True, eq=False)
class Registry:
    """One registry published as a map layer and an open-data collection.

    ``properties`` maps each public property (the name the public sees, in GeoJSON, CSV,
    tiles, pages) to an attribute of ``selectors.public.registry_public_queryset`` — a model
    field or an annotation added by ``annotate``. Nothing else of a record is ever public.
    ``tile_properties`` are only what the map's style reads (``style_by``, ``style_options``,
    the drawing's ``emphasis``): short codes that MVT stores once per tile; the filters run
    on the server and a popup fetches its record's values by the feature's integer id
    (``tiles.features``), so nothing long or unique per feature rides in a tile.
    ``tile_point_spacing_px``: below zoom 15 a point layer's tile keeps one point per square
    of this many screen pixels (see ``tiles.sql``); a dense layer is drawn the same with far
    fewer points, a sparse one loses none.

    The map: ``style_by`` (the property whose value picks the colour in ``colours``, else
    ``colour``; with ``style_options``, the visitor chooses which of those properties, all
    sharing one set of values, colours the layer, ``style_by`` first; ``style_filter`` names
    the layer's filter whose values are those properties, so that filtering by one colours
    by it), ``legend_labels`` (the style values in plain words, for the legend and the
    popup), ``status_badge`` (a ``StatusBadge``), ``popup`` (properties shown on click,
    fetched then), ``list_properties`` (shown in the list and search results), ``filters`` (a
    dotted path to a function returning the layer's ``MapFilter``s), ``z_order`` (higher is
    drawn on top), ``min_zoom``.
    ``demo``: a dotted path to the module whose ``generate(ctx)`` makes its demo records.
    """

    id: str  # the collection id used in every URL
    model_label: str  # "app_label.ModelName", resolved lazily so this module imports early
    title: Promise
    description: Promise
    properties: dict[str, str] = field(default_factory=dict)
    tile_properties: tuple[str, ...] = ()
    tile_point_spacing_px: int = 1
    # Below this zoom the layer's tiles are counts per cell from the overview the database
    # keeps (``tiles.overview``; 0: none): a city-wide tile costs milliseconds at any size.
    overview_below_zoom: int = 0
    annotate: Callable[[QuerySet], QuerySet] | None = None
    geometry_kind: str = "point"  # point, line, polygon or mixed
    style_by: str = ""
    colour: str = "#555555"
    colours: dict[str, str] = field(default_factory=dict)
    drawing: Drawing = field(default_factory=Drawing)
    popup: tuple[str, ...] = ()
    list_properties: tuple[str, ...] = ()
    title_properties: tuple[str, ...] = ()  # what names a record that has no name
    filters: str = ""
    z_order: int = 50
    min_zoom: int = 0
    shown_by_default: bool = False
    demo: str = ""
    page_sections: str = ""  # dotted path: (registry, record) -> extra parts of its page
    # The registry's own public pages besides its records' (URL name, link text), linked
    # from its layer on the map and from its records' pages.
    public_pages: tuple[tuple[str, Promise], ...] = ()
    duplicate_check: str = ""  # dotted path: (geom=, exclude=) -> near-duplicate warnings
    # Dotted path: (record) -> None, sets the record's derived values from its own values and
    # its parts; the write services call it before every save of a record, on every path.
    derive: str = ""
    # What belongs to a record besides its columns (``layers.editing.parts``): reviewed,
    # versioned and restored with it; every write of them goes through the services.
    parts: tuple = ()
    # Dotted path: (user, record) -> bool, whether the user answers for the record (an
    # object's owner): such a user may propose changes of ``steward_fields`` to the
    # published record, which a reviewer decides as any other change.
    stewards: str = ""
    steward_fields: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    # EU data themes (DataTheme codes) of the catalogue's dcat:theme.
    themes: tuple[str, ...] = ("REGI",)
    # The public date properties the OGC API's ``datetime`` selects on and the collection's
    # temporal extent spans: one (an instant) or two (the start and end of an interval; an
    # empty end is still open). The last change when the registry has no time of its own.
    temporal: tuple[str, ...] = ("updated_at",)
    licence: str = ""  # SPDX id; empty: the portal's (GEOPORTAL_DATA_LICENSE)
    department: str = ""
    contact_email: str = ""
    update_frequency: str = "IRREG"
    # Files in formats of its own field besides the common four (``ExtraDownload``).
    extra_downloads: tuple[ExtraDownload, ...] = ()
    is_public: bool = True  # False: staff see it, the public and open data do not
    # Set only on an open-data view of one geometry family of a mixed registry
    # (``layers.ogcapi.families``): the GeoJSON types the view is narrowed to.
    geometry_only: tuple[str, ...] = ()
    # The map's colouring choices (see the class docstring).
    style_options: tuple[str, ...] = ()
    style_filter: str = ""
    legend_labels: dict[str, Promise] = field(default_factory=dict)
    status_badge: StatusBadge | None = None
    # The map's one-step question "the nearest site that takes glass": the key of the map
    # filter whose value the visitor picks, and the question's words before that value.
    nearest_filter: str = ""
    nearest_label: Promise = ""

    @property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def is_builtin(self) -> bool:
        return True

    def objects(self) -> QuerySet:
        """Every record of this registry, whatever its state (staff reads start here)."""
        return self.model.objects.all()

    def new_record(self, **values):
        """An unsaved record of this registry."""
        return self.model(**values)

    @property
    def geometry_types(self) -> tuple[str, ...]:
        """The GeoJSON types the registry's ``geom`` takes (the geometry validator's list)."""
        return self.geometry_only or tuple(self.model.GEOMETRY_TYPES)

    @property
    def history_model(self):
        """The event model that database triggers fill for the registry's table."""
        return apps.get_model("layers", f"{self.model.__name__}History")

    @property
    def stamp_scope(self) -> str:
        """What narrows the registry's own table in ``layers_changestamp`` ('' for all)."""
        return ""

    def map_filters(self) -> tuple:
        return import_string(self.filters)(self) if self.filters else ()

    def user_stewards(self, user, record) -> bool:
        return bool(self.stewards) and import_string(self.stewards)(user, record)

    def derive_values(self, record) -> None:
        """Set the record's derived values (``derive``) before it is saved."""
        if self.derive:
            import_string(self.derive)(record)

    def demo_generate(self, ctx) -> dict[str, int]:
        """Make the registry's demo records; counts by what was made."""
        return importlib.import_module(self.demo).generate(ctx) if self.demo else {}


def _props(*names: str, **renamed: str) -> dict[str, str]:
    return {**COMMON_PROPERTIES, **{n: n for n in names}, **renamed}


_FILTERS = "layers.selectors.map_filters"
# What an accessible object offers a visitor (A11yJSON's entrance, lift, services): public,
# and what its owner may propose to change.
_ACCESSIBILITY_FEATURES = (
    "floors",
    "entrance_step_free",
    "entrance_steps_count",
    "entrance_step_height_cm",
    "ramp_present",
    "ramp_slope_percent",
    "door_width_cm",
    "threshold_height_cm",
    "door_automatic",
    "call_button",
    "lift_present",
    "lift_cabin_width_cm",
    "lift_cabin_depth_cm",
    "lift_working",
    "toilet_accessible",
    "parking_disabled_spaces",
    "tactile_guidance",
    "braille_signs",
    "hearing_loop",
    "staff_trained",
)
_EXCHANGE = "layers.ogcapi.exchange"


BUILTIN_REGISTRIES: tuple[Registry, ...] = (
    Registry(
        "accessibility",
        "layers.AccessibleObject",
        _("Accessibility of buildings and places"),
        _("Buildings and places that serve the public, with their barrier-free assessment."),
        properties=_props(
            "category",
            "owner",
            "phone",
            "website",
            *_ACCESSIBILITY_FEATURES,
            "microgrant_year",
            "award_year",
            "last_assessed_on",
            "traffic_light",
            "wheelchair",
            "low_vision",
            "hearing",
            "stroller",
        ),
        tile_properties=("wheelchair", "low_vision", "hearing", "stroller"),
        # Coloured by what a visitor with the chosen need meets (wheelchair users first, as
        # Wheelmap does), not by the official status, which answers another question and is
        # shown in words beside it (``status_badge``).
        style_by="wheelchair",
        style_options=("wheelchair", "low_vision", "hearing", "stroller"),
        style_filter="profile",
        # Blue, orange, dark plum and grey, each shape its own: told apart under protanopia,
        # deuteranopia and tritanopia and at least 3:1 on the base map
        # (tests/layers/test_map_colours.py).
        colours={"yes": "#0a5db8", "limited": "#b35300", "no": "#6a1b52", "unknown": "#767676"},
        drawing=Drawing(
            radius=((16, 8), (14, 6.5), (0, 5.5)),
            stroke="#ffffff",
            weight=1.5,
            shapes={"yes": "circle", "limited": "diamond", "no": "square", "unknown": "ring"},
        ),
        legend_labels={
            "yes": _("accessible"),
            "limited": _("partly accessible"),
            "no": _("not accessible"),
            "unknown": _("not known"),
        },
        status_badge=StatusBadge(
            "traffic_light",
            "last_assessed_on",
            labels={
                "green": _("barrier-free"),
                "yellow": _("partially barrier-free"),
                "red": _("not barrier-free"),
            },
            text=_("Official assessment %(year)s: %(status)s"),
            missing=_("No official assessment yet"),
            explanation=_(
                "Colour and shape show whether a visitor with the chosen need can get in "
                "and use the place, from the place's measured features. The official "
                "assessment (the city's yearly barrier-free checklist) is another question: "
                "it is shown in words when you open a place, and you can filter by it."
            ),
        ),
        popup=("category", "wheelchair", "low_vision", "hearing", "stroller"),
        list_properties=("category", "wheelchair"),
        filters=f"{_FILTERS}.accessibility_filters",
        # The traffic light and the per-profile answers follow the attributes and assessments.
        derive="layers.services.accessibility.accessible_object_derive",
        # The accessibility points are the map's main subject: drawn on top.
        z_order=60,
        shown_by_default=True,
        demo="layers.demo.accessibility",
        parts=(ASSESSMENTS, PHOTOS),
        stewards="layers.campaigns.access.user_stewards",
        # What an owner knows of the object and may propose (not its place or name).
        steward_fields=(
            "phone",
            "email",
            "website",
            *_ACCESSIBILITY_FEATURES,
        ),
        page_sections="layers.views.records.accessibility_sections",
        public_pages=(
            ("layers:accessibility-awards", _("“Accessible business” award and micro-grants")),
        ),
        keywords=("accessibility", "безбар'єрність"),
        themes=("SOCI", "REGI"),
        update_frequency="ANNUAL",
        # It leaves the portal in the formats accessibility tools read, too.
        extra_downloads=(
            ExtraDownload(
                "a11yjson",
                "a11yjson.geojson",
                "application/geo+json",
                _("A11yJSON (GeoJSON)"),
                file_type="GEOJSON",
                build=f"{_EXCHANGE}.a11yjson_write",
                item=f"{_EXCHANGE}.a11yjson_item",
                by_language=True,  # its source note and record links: in the reader's language
                conforms_to="https://a11yjson.org/",
            ),
            ExtraDownload(
                "osm-tags",
                "osm-tags.csv",
                "text/csv",
                _("OpenStreetMap tags (CSV)"),
                file_type="CSV",
                build=f"{_EXCHANGE}.osm_tags_write",
            ),
            ExtraDownload(
                "checklist",
                "checklist.csv",
                "text/csv",
                _("Barrier-free checklist (CSV)"),
                file_type="CSV",
                build=f"{_EXCHANGE}.checklist_write",
                # Assessments, answers and checklist templates have no change stamp of their own.
                stamp="layers.selectors.checklist_table.checklist_table_stamp",
                by_language=True,  # its second header row names the columns in words
            ),
        ),
    ),
    Registry(
        "trees",
        "layers.Tree",
        _("Trees"),
        _("The electronic registry of green plantings: individual trees and their condition."),
        properties=_props(
            "species_latin",
            "species_uk",
            "trunk_diameter_cm",
            "height_m",
            "crown_diameter_m",
            "planting_year",
            "condition",
            "is_hazardous",
            "recommended_action",
            "inventory_number",
            "balance_holder",
            "protected",
            "planted_on",
            "removed_on",
        ),
        tile_properties=("condition", "is_hazardous"),
        # Drawn as 5-pixel dots from zoom 14: one per 4 x 4 pixels is the same carpet of
        # green, and a zoom-14 tile of a dense city holds 4,096 trees at most, not 20,000.
        tile_point_spacing_px=4,
        # Below the zoom the dots start at, counts per cell: where the trees are, at once.
        overview_below_zoom=14,
        annotate=_with_species_names,
        style_by="condition",
        # Every map colour: 3:1 on the base map and told apart under the common colour-vision
        # deficiencies (tests/layers/test_map_colours.py), hence the muted, dark values.
        colour="#337733",
        colours={
            "good": "#337733",
            "satisfactory": "#555544",
            "unsatisfactory": "#997766",
            "hazardous": "#cc0011",
            "dead": "#332222",
        },
        drawing=Drawing(
            radius=((18, 6), (16, 4.5), (15, 3.5), (0, 2.5)),
            weight=0.5,
            stroke="rgba(0,0,0,0.55)",
            emphasis="is_hazardous",
            shapes={
                "good": "circle",
                "satisfactory": "square",
                "unsatisfactory": "diamond",
                "hazardous": "triangle",
                "dead": "plus",
            },
        ),
        popup=("species_uk", "species_latin", "condition", "height_m"),
        list_properties=("species_uk", "species_latin", "condition", "height_m"),
        title_properties=("species_uk", "inventory_number"),
        filters=f"{_FILTERS}.tree_filters",
        z_order=40,
        # Big point layers are drawn from this zoom on; below it the layer says "zoom in".
        min_zoom=14,
        demo="layers.demo.trees",
        duplicate_check="layers.selectors.trees.tree_duplicate_warnings",
        parts=(TREE_LOG, PHOTOS),
        keywords=("trees", "зелені насадження"),
        themes=("ENVI",),
        temporal=("planted_on", "removed_on"),
    ),
    Registry(
        "green-areas",
        "layers.GreenArea",
        _("Green areas"),
        _("Parks, squares, boulevards, street plantings and forest parks."),
        properties=_props("kind", "balance_holder", "area_m2"),
        tile_properties=("kind",),
        geometry_kind="polygon",
        style_by="kind",
        colour="#337733",
        colours={
            "park": "#337733",
            "square": "#668877",
            "boulevard": "#778800",
            "street_planting": "#556655",
            "forest_park": "#225522",
        },
        drawing=AREA,
        popup=("kind",),
        list_properties=("kind", "area_m2"),
        filters=f"{_FILTERS}.green_area_filters",
        z_order=20,
        shown_by_default=True,
        demo="layers.demo.trees",
        keywords=("parks", "зелені зони"),
        themes=("ENVI",),
        parts=(PHOTOS,),
    ),
    Registry(
        "heritage",
        "layers.HeritageObject",
        _("Cultural heritage"),
        _("Immovable monuments and newly identified heritage objects."),
        properties=_props(
            "protection_number",
            "types",
            "significance",
            "dating",
            "year_from",
            "year_to",
            "listing_body",
            "listing_date",
            "listing_number",
            "condition",
            "description",
            "wikipedia_url",
            "wikidata_id",
            address="public_address",
        ),
        tile_properties=("significance",),
        geometry_kind="mixed",
        style_by="significance",
        colours={"national": "#662299", "local": "#aa1155", "newly_identified": "#cc5500"},
        drawing=Drawing(
            fill_opacity=0.45,
            weight=1.5,
            shapes={"national": "star", "local": "square", "newly_identified": "triangle"},
        ),
        popup=("types", "significance"),
        list_properties=("types", "significance", "dating"),
        filters=f"{_FILTERS}.heritage_filters",
        z_order=30,
        shown_by_default=True,
        demo="layers.demo.heritage",
        keywords=("heritage", "культурна спадщина"),
        themes=("EDUC",),
        temporal=("listing_date",),
        parts=(PHOTOS,),
    ),
    Registry(
        "protection-zones",
        "layers.ProtectionZone",
        _("Heritage protection zones"),
        _("Protection zones of cultural heritage objects."),
        properties=_props("kind", "decision_body", "decision_date", "decision_number"),
        tile_properties=("kind",),
        geometry_kind="polygon",
        style_by="kind",
        colour="#8822aa",
        colours={
            "protection": "#8822aa",
            "regulated_building": "#224466",
            "protected_landscape": "#007766",
            "cultural_layer": "#664433",
        },
        drawing=Drawing(fill_opacity=0.08, weight=2, dash=(6, 4)),
        popup=("kind",),
        list_properties=("kind",),
        z_order=10,
        demo="layers.demo.heritage",
        keywords=("heritage", "охоронні зони"),
        themes=("EDUC", "REGI"),
        temporal=("decision_date",),
        parts=(ZONE_LINKS, PHOTOS),
    ),
    Registry(
        "waste-sites",
        "layers.WasteSite",
        _("Waste sites"),
        _("Container sites, separate-collection and recycling points, and their containers."),
        properties=_props("kind", "operator", "opening_hours", "fractions"),
        tile_properties=("kind",),
        annotate=_with_fractions,
        style_by="kind",
        colour="#1177bb",
        colours={
            "container_site": "#1177bb",
            "separate_collection": "#006655",
            "recycling_reception": "#223399",
            "hazardous": "#bb2222",
            "bulky": "#553333",
            "library_of_things": "#6611dd",
            "repair": "#223344",
        },
        drawing=Drawing(
            shapes={
                "container_site": "circle",
                "separate_collection": "square",
                "recycling_reception": "diamond",
                "hazardous": "triangle",
                "bulky": "hexagon",
                "library_of_things": "star",
                "repair": "plus",
            },
        ),
        popup=("kind", "fractions"),
        list_properties=("kind", "fractions"),
        filters=f"{_FILTERS}.waste_filters",
        nearest_filter="fraction",
        nearest_label=_("Nearest site that takes"),
        z_order=50,
        shown_by_default=True,
        demo="layers.demo.waste",
        page_sections="layers.views.records.waste_sections",
        parts=(CONTAINERS, PHOTOS),
        keywords=("waste", "поводження з відходами"),
        themes=("ENVI",),
    ),
)

BUILTIN_IDS = frozenset(registry.id for registry in BUILTIN_REGISTRIES)
_BUILTIN_BY_ID = {registry.id: registry for registry in BUILTIN_REGISTRIES}


def registries() -> tuple[Registry, ...]:
    """Every registry: the built-in ones, then those defined as data (in their order)."""
    from layers.datasets.registry import data_registries

    return BUILTIN_REGISTRIES + data_registries()


def public_registries() -> tuple[Registry, ...]:
    """The registries on the public map and in open data."""
    return tuple(registry for registry in registries() if registry.is_public)


def public_registry_get(registry_id: str) -> Registry:
    """A registry the public may see; KeyError for unknown and non-public ones alike."""
    registry = registry_get(registry_id)
    if not registry.is_public:
        raise KeyError(registry_id)
    return registry


def registry_get(registry_id: str) -> Registry:
    """Return the registry with this collection id; KeyError if there is none."""
    builtin = _BUILTIN_BY_ID.get(registry_id)
    if builtin is not None:
        return builtin
    from layers.datasets.registry import data_registry_get

    return data_registry_get(registry_id)


def registry_for_record(record) -> Registry:
    """The registry a record belongs to."""
    definition_id = getattr(record, "definition_id", None)
    if definition_id is not None:
        from layers.datasets.registry import data_registry_for_definition

        return data_registry_for_definition(definition_id)
    return registry_for_model(type(record))


def registry_for_model(model) -> Registry:
    """The built-in registry of a model (data-defined registries share one model)."""
    label = model._meta.label
    return next(registry for registry in BUILTIN_REGISTRIES if registry.model_label == label)
