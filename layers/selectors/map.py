"""Reads of the public map: its filters, the list beside the map, search, and record pages.

Every read starts from ``registry_public_queryset`` (published only, sensitive places
generalised). Filters come from an allowlist declared here per registry — a client never
names an ORM lookup — and the tiles, the list and the permalink all speak the same filter
keys, so the map and the list always show the same records.
"""

import datetime
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.gis.db.models.functions import PointOnSurface
from django.contrib.gis.geos import Polygon
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from layers.models.heritage import HeritageType, Significance
from layers.models.trees import GreenAreaKind, Species, TreeCondition
from layers.models.waste import Container, Fraction, WasteSiteKind
from layers.registry import REGISTRIES, Registry
from layers.rules.accessibility import Category, ProfileAnswer, TrafficLight
from layers.selectors.public import registry_public_queryset

Choices = list[tuple[str, str]]


class MapFilterError(ValueError):
    """A filter value outside the allowlist."""


@dataclass(frozen=True)
class MapFilter:
    """One filter of one map layer: its key in URLs, its label, its allowed values and how
    it narrows the public queryset. ``multiple`` filters accept comma-separated values and
    are drawn as checkbox groups; the others as one select or (``flag``) one checkbox."""

    key: str
    label: Promise
    choices: Callable[[], Choices]
    apply: Callable[[QuerySet, list[str]], QuerySet]
    multiple: bool = True
    flag: bool = False
    # Choices read from the database may grow between page load and request; they are
    # validated as plain strings instead of against a fixed list.
    open_values: bool = False


def _static(choices) -> Callable[[], Choices]:
    return lambda: [(value, str(label)) for value, label in choices]


def _in(field: str) -> Callable[[QuerySet, list[str]], QuerySet]:
    return lambda qs, values: qs.filter(**{f"{field}__in": values})


PROFILES = {
    "wheelchair": _("wheelchair users"),
    "low_vision": _("blind or low-vision visitors"),
    "hearing": _("deaf or hard-of-hearing visitors"),
    "stroller": _("parents with strollers"),
}


def _profiles(qs: QuerySet, values: list[str]) -> QuerySet:
    # Every chosen profile must be fully served: "limited" is not enough to plan a visit on.
    return qs.filter(**{profile: ProfileAnswer.YES for profile in values})


def _species_choices() -> Choices:
    return [
        (latin, f"{name_uk} ({latin})")
        for latin, name_uk in Species.objects.order_by("name_uk").values_list(
            "latin_name", "name_uk"
        )
    ]


def _fractions(qs: QuerySet, values: list[str]) -> QuerySet:
    # A site qualifies when it takes every chosen fraction ("glass and batteries").
    for fraction in values:
        qs = qs.filter(Exists(Container.objects.filter(site=OuterRef("pk"), fraction=fraction)))
    return qs


MAP_FILTERS: dict[str, tuple[MapFilter, ...]] = {
    "accessibility": (
        MapFilter("rating", _("Rating"), _static(TrafficLight.choices), _in("traffic_light")),
        MapFilter("profile", _("Fully accessible for"), _static(PROFILES.items()), _profiles),
        MapFilter("category", _("Category"), _static(Category.choices), _in("category")),
    ),
    "trees": (
        MapFilter("condition", _("Condition"), _static(TreeCondition.choices), _in("condition")),
        MapFilter(
            "species",
            _("Species"),
            _species_choices,
            _in("species__latin_name"),
            multiple=False,
            open_values=True,
        ),
        MapFilter(
            "hazardous",
            _("Hazardous trees only"),
            _static([("1", _("Hazardous trees only"))]),
            lambda qs, values: qs.filter(is_hazardous=True),
            multiple=False,
            flag=True,
        ),
    ),
    "green-areas": (MapFilter("kind", _("Kind"), _static(GreenAreaKind.choices), _in("kind")),),
    "heritage": (
        MapFilter(
            "type",
            _("Type"),
            _static(HeritageType.choices),
            lambda qs, values: qs.filter(types__overlap=values),
        ),
        MapFilter(
            "significance", _("Significance"), _static(Significance.choices), _in("significance")
        ),
    ),
    "protection-zones": (),
    "waste-sites": (
        MapFilter("fraction", _("Accepts"), _static(Fraction.choices), _fractions),
        MapFilter("kind", _("Kind of site"), _static(WasteSiteKind.choices), _in("kind")),
    ),
}


def map_filters(registry: Registry) -> tuple[MapFilter, ...]:
    return MAP_FILTERS.get(registry.id, ())


def map_filters_parse(registry: Registry, params: Mapping[str, str]) -> dict[str, list[str]]:
    """Read this layer's filters from query parameters (``key=a,b``); unknown keys are
    ignored, unknown values refused with ``MapFilterError``."""
    parsed: dict[str, list[str]] = {}
    for spec in map_filters(registry):
        raw = params.get(spec.key, "")
        values = [v.strip() for v in raw.split(",") if v.strip()] if raw else []
        if not values:
            continue
        if not spec.multiple and len(values) > 1:
            raise MapFilterError(f"{spec.key}: one value only")
        if len(values) > 50 or any(len(v) > 120 for v in values):
            raise MapFilterError(f"{spec.key}: too many or too long values")
        if not spec.open_values:
            allowed = {value for value, _label in spec.choices()}
            unknown = [v for v in values if v not in allowed]
            if unknown:
                raise MapFilterError(f"{spec.key}: unknown value {unknown[0]!r}")
        parsed[spec.key] = sorted(set(values))
    return parsed


def bbox_parse(raw: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` in WGS 84 → a tuple; ``MapFilterError`` if malformed."""
    try:
        west, south, east, north = (float(part) for part in raw.split(","))
    except ValueError:
        raise MapFilterError("bbox: four comma-separated numbers") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise MapFilterError("bbox: finite numbers only")
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise MapFilterError("bbox: west,south,east,north within WGS 84")
    return west, south, east, north


def map_queryset(
    registry: Registry,
    *,
    filters: Mapping[str, list[str]] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
) -> QuerySet:
    """The published records of a layer narrowed by parsed filters and a WGS 84 bbox."""
    queryset = registry_public_queryset(registry)
    specs = {spec.key: spec for spec in map_filters(registry)}
    for key, values in (filters or {}).items():
        queryset = specs[key].apply(queryset, values)
    if bbox is not None:
        # && on the published geometry: for most registries that is ``geom`` itself, so the
        # GiST index serves it; generalised heritage places are matched where the public sees them.
        queryset = queryset.filter(public_geom__bboverlaps=Polygon.from_bbox(bbox))
    return queryset


# --- Presenting values ------------------------------------------------------------------------

_EXTRA_LABELS = {
    "species_latin": _("species (Latin name)"),
    "species_uk": _("species (Ukrainian name)"),
    "fractions": _("fractions accepted"),
    "updated_at": _("last changed"),
}
_EXTRA_CHOICES = {"fractions": Fraction.choices}
_UNIT_PROPERTIES = {"area_m2": " m²"}


def _model_field(registry: Registry, name: str):
    attr = registry.properties.get(name, name)
    for candidate in (name, attr):
        try:
            return registry.model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
    return None


def property_label(registry: Registry, name: str) -> str:
    """The translated label of a public property (the model's verbose name, units included)."""
    if name in _EXTRA_LABELS:
        return str(_EXTRA_LABELS[name])
    field = _model_field(registry, name)
    return str(field.verbose_name) if field is not None else name


def property_choices(registry: Registry, name: str) -> dict[str, str]:
    if name in _EXTRA_CHOICES:
        return {value: str(label) for value, label in _EXTRA_CHOICES[name]}
    field = _model_field(registry, name)
    if isinstance(field, ArrayField):
        field = field.base_field
    if field is not None and field.choices:
        return {str(value): str(label) for value, label in field.flatchoices}
    return {}


def property_display(registry: Registry, name: str, value) -> str:
    """A public value as the page shows it: choices as their labels, booleans as yes/no,
    dates and numbers in the active language's format. Empty values give ''."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    choices = property_choices(registry, name)
    if isinstance(value, list | tuple):
        return ", ".join(choices.get(str(v), str(v)) for v in value)
    if choices:
        return choices.get(str(value), str(value))
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, float):
        value = round(value)
    if isinstance(value, int | Decimal):
        return formats.number_format(value, use_l10n=True) + _UNIT_PROPERTIES.get(name, "")
    return str(value)


# The few attributes the list and search show for each layer, besides name and address.
KEY_PROPERTIES: dict[str, tuple[str, ...]] = {
    "accessibility": ("category", "traffic_light", "wheelchair"),
    "trees": ("species_uk", "species_latin", "condition", "height_m"),
    "green-areas": ("kind", "area_m2"),
    "heritage": ("types", "significance", "dating"),
    "protection-zones": ("kind",),
    "waste-sites": ("kind", "fractions"),
}


def record_title(registry: Registry, values: Mapping) -> str:
    """What to call a record: its name, or for unnamed trees their species and number."""
    if values.get("name"):
        return values["name"]
    if registry.id == "trees":
        parts = [values.get("species_uk") or "", values.get("inventory_number") or ""]
        return " ".join(p for p in parts if p) or str(_("Tree"))
    return str(registry.title)


def record_url(registry: Registry, public_id) -> str:
    return reverse("layers:record", kwargs={"collection": registry.id, "public_id": str(public_id)})


def _row(registry: Registry, values: Mapping) -> dict:
    point = values.get("map_point")
    attributes = []
    for name in KEY_PROPERTIES.get(registry.id, ()):
        text = property_display(registry, name, values.get(name))
        if text:
            attributes.append({"label": property_label(registry, name), "value": text})
    return {
        "collection": registry.id,
        "id": str(values["public_id"]),
        "title": record_title(registry, values),
        "address": values.get("address") or "",
        "url": record_url(registry, values["public_id"]),
        "attributes": attributes,
        "lon": round(point.x, 6) if point else None,
        "lat": round(point.y, 6) if point else None,
    }


def _list_values(registry: Registry, queryset: QuerySet) -> tuple[QuerySet, dict[str, str]]:
    wanted = {"name", "address", "inventory_number", *KEY_PROPERTIES.get(registry.id, ())}
    fields = {
        name: registry.properties[name]
        for name in wanted
        if name in registry.properties and registry.properties[name] != name
    }
    plain = [name for name in wanted if registry.properties.get(name) == name]
    renamed = {f"p_{name}": F(attr) for name, attr in fields.items()}
    rows = queryset.annotate(map_point=PointOnSurface("public_geom")).values(
        "public_id", "map_point", *plain, **renamed
    )
    return rows, {f"p_{name}": name for name in fields}


def _rename(row: dict, renames: dict[str, str]) -> dict:
    return {renames.get(key, key): value for key, value in row.items()}


def map_list(
    registry: Registry,
    *,
    filters: Mapping[str, list[str]] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    page: int = 1,
    page_size: int = 20,
) -> dict:
    """One page of a layer's records matching the filters in the bbox, ordered by name.

    No total count: on a 500,000-tree layer counting every match in a city-wide bbox costs
    more than the page itself, and "more" is all the list needs to know.
    """
    queryset = map_queryset(registry, filters=filters, bbox=bbox).order_by("name", "id")
    rows, renames = _list_values(registry, queryset)
    start = (page - 1) * page_size
    chunk = [_rename(row, renames) for row in rows[start : start + page_size + 1]]
    return {
        "collection": registry.id,
        "title": str(registry.title),
        "page": page,
        "results": [_row(registry, row) for row in chunk[:page_size]],
        "next_page": page + 1 if len(chunk) > page_size else None,
    }


def map_search(query: str, *, registries: Iterable[Registry] = REGISTRIES, limit: int = 5):
    """Records of every layer whose name or address contains ``query``, ``limit`` per layer.

    On a very large layer a trigram index on name and address keeps this fast (see the
    report of the map work: ``CREATE INDEX … USING gin (name gin_trgm_ops)``).
    """
    query = query.strip()[:100]
    if len(query) < 2:
        return []
    results = []
    for registry in registries:
        address_attr = registry.properties.get("address", "address")
        condition = Q(name__icontains=query) | Q(**{f"{address_attr}__icontains": query})
        queryset = registry_public_queryset(registry).filter(condition).order_by("name", "id")
        rows, renames = _list_values(registry, queryset)
        results.extend(_row(registry, _rename(row, renames)) for row in rows[:limit])
    return results


# --- Record pages -----------------------------------------------------------------------------


def record_public_get(registry: Registry, public_id) -> dict | None:
    """The public values of one published record (``properties`` names), its public
    geometry and primary key; None when there is no such published record."""
    attrs = dict(registry.properties)
    renamed = {f"p_{name}": F(attr) for name, attr in attrs.items() if name != attr}
    plain = [name for name, attr in attrs.items() if name == attr]
    row = (
        registry_public_queryset(registry)
        .filter(public_id=public_id)
        .values("pk", "public_id", "public_geom", *plain, **renamed)
        .first()
    )
    if row is None:
        return None
    return _rename(row, {key: key[2:] for key in renamed})
