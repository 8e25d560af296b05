"""The registry list: the one declaration that admin, API, OGC collections, tiles, the map
and the parametrised tests iterate. Adding a registry = one model + one entry here."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import F, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Public properties every registry publishes: output name -> queryset attribute.
COMMON_PROPERTIES = {
    "name": "name",
    "address": "address",
    "verified_on": "verified_on",
    "source": "source",
    "updated_at": "updated_at",
}


def _with_species_names(queryset):
    return queryset.annotate(
        species_latin=F("species__latin_name"), species_uk=F("species__name_uk")
    )


def _with_fractions(queryset):
    return queryset.with_fractions()


@dataclass(frozen=True)
class Registry:
    """One registry published as a map layer and an open-data collection.

    ``properties`` maps each public property (the name the public sees, in GeoJSON, CSV,
    tiles, pages) to an attribute of ``selectors.public.registry_public_queryset`` — a model
    field or an annotation added by ``annotate``. Nothing else of a record is ever public.
    ``tile_properties`` are the few the map needs to style and filter big layers.
    ``tile_point_spacing_px``: below zoom 15 a point layer's tile keeps one point per square
    of this many screen pixels (see ``tiles.sql``); a dense layer is drawn the same with far
    fewer points, a sparse one loses none.
    """

    id: str  # the collection id used in every URL
    model_label: str  # "app_label.ModelName", resolved lazily so this module imports early
    title: Promise
    description: Promise
    properties: dict[str, str] = field(default_factory=dict)
    tile_properties: tuple[str, ...] = ()
    tile_point_spacing_px: int = 1
    annotate: Callable[[QuerySet], QuerySet] | None = None

    @property
    def model(self):
        return apps.get_model(self.model_label)


def _props(*names: str, **renamed: str) -> dict[str, str]:
    return {**COMMON_PROPERTIES, **{n: n for n in names}, **renamed}


REGISTRIES: tuple[Registry, ...] = (
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
            "microgrant_year",
            "award_year",
            "traffic_light",
            "wheelchair",
            "low_vision",
            "hearing",
            "stroller",
        ),
        tile_properties=(
            "name",
            "category",
            "traffic_light",
            "wheelchair",
            "low_vision",
            "hearing",
            "stroller",
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
        tile_properties=("species_latin", "species_uk", "condition", "is_hazardous", "height_m"),
        # Drawn as 5-pixel dots from zoom 14: one per 4 x 4 pixels is the same carpet of
        # green, and a zoom-14 tile of a dense city holds 4,096 trees at most, not 20,000.
        tile_point_spacing_px=4,
        annotate=_with_species_names,
    ),
    Registry(
        "green-areas",
        "layers.GreenArea",
        _("Green areas"),
        _("Parks, squares, boulevards, street plantings and forest parks."),
        properties=_props("kind", "balance_holder", "area_m2"),
        tile_properties=("name", "kind"),
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
        tile_properties=("name", "types", "significance"),
    ),
    Registry(
        "protection-zones",
        "layers.ProtectionZone",
        _("Heritage protection zones"),
        _("Protection zones of cultural heritage objects."),
        properties=_props("kind", "decision_body", "decision_date", "decision_number"),
        tile_properties=("name", "kind"),
    ),
    Registry(
        "waste-sites",
        "layers.WasteSite",
        _("Waste sites"),
        _("Container sites, separate-collection and recycling points, and their containers."),
        properties=_props("kind", "operator", "opening_hours", "fractions"),
        tile_properties=("name", "kind", "fractions"),
        annotate=_with_fractions,
    ),
)

_BY_ID = {registry.id: registry for registry in REGISTRIES}


def registry_get(registry_id: str) -> Registry:
    """Return the registry with this collection id; KeyError if there is none."""
    return _BY_ID[registry_id]


def registry_for_model(model) -> Registry:
    label = model._meta.label
    return next(registry for registry in REGISTRIES if registry.model_label == label)
