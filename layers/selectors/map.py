"""Reads of the public map: its filters, the list beside the map, the nearest records, and
record pages (the search: ``layers.selectors.search``).

Every read starts from ``registry_public_queryset`` (published only, sensitive places
generalised). Filters come from the allowlist of each registry (``map_filters``) — a client
never names an ORM lookup — and the tiles, the list and the permalink all speak the same
filter keys, so the map and the list always show the same records.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.contrib.gis.db.models.functions import PointOnSurface
from django.contrib.gis.geos import Point, Polygon
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from layers.bbox import BBoxError, wgs84_bbox
from layers.models.waste import Fraction
from layers.registry import Registry
from layers.selectors.distance import by_distance
from layers.selectors.map_filters import MapFilter, MapFilterError
from layers.selectors.ordering import in_ukrainian_order
from layers.selectors.public import registry_public_queryset

__all__ = ["MapFilter", "MapFilterError"]


def map_filters(registry: Registry) -> tuple[MapFilter, ...]:
    return registry.map_filters()


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
        return wgs84_bbox(raw)
    except BBoxError as exc:
        raise MapFilterError(f"bbox: {exc}") from None


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
# The unit after a number, with a no-break space (Ukrainian writes м², English m²).
_UNIT_PROPERTIES = {"area_m2": _("m²")}
# Ukrainian typography groups the digits of numbers of five digits and more
# ("12 345", "1250"): four-digit values stay whole, so years (2025) never read "2 025".
_GROUPED_FROM = 10_000


def _model_field(registry: Registry, name: str):
    spec = registry.spec(name) if hasattr(registry, "spec") else None
    if spec is not None:
        return spec.model_field
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
        # Stored in UTC: shown as the hromada's clock reads it (TIME_ZONE), as templates do.
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, float):
        value = round(value)
    if isinstance(value, int | Decimal):
        text = formats.number_format(
            value, use_l10n=True, force_grouping=abs(value) >= _GROUPED_FROM
        )
        unit = _UNIT_PROPERTIES.get(name)
        return f"{text}\u00a0{unit}" if unit else text
    return str(value)


def record_title(registry: Registry, values: Mapping) -> str:
    """What to call a record: its name, or the registry's ``title_properties`` (an unnamed
    tree: its species and inventory number), or the registry's title."""
    if values.get("name"):
        return values["name"]
    parts = [str(values.get(name) or "") for name in registry.title_properties]
    return " ".join(p for p in parts if p) or str(registry.title)


def record_url(registry: Registry, public_id) -> str:
    return reverse("layers:record", kwargs={"collection": registry.id, "public_id": str(public_id)})


def registry_page_links(registry: Registry) -> list[dict]:
    """The registry's own public pages besides its records (``public_pages``) as links."""
    return [{"url": reverse(name), "label": str(label)} for name, label in registry.public_pages]


def _row(registry: Registry, values: Mapping, extra: Mapping) -> dict:
    point = values.get("map_point")
    attributes = []
    # The answers the map colours by read in the legend's plain words ("accessible").
    styled = {registry.style_by, *registry.style_options}
    for name in registry.list_properties:
        value = values.get(name)
        plain = registry.legend_labels.get(value) if name in styled else None
        text = str(plain) if plain else property_display(registry, name, value)
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
        **extra,
    }


def _list_values(
    registry: Registry, queryset: QuerySet, extra: tuple[str, ...]
) -> tuple[QuerySet, dict[str, str]]:
    wanted = {"name", "address", *registry.title_properties, *registry.list_properties}
    fields = {
        name: registry.properties[name]
        for name in wanted
        if name in registry.properties and registry.properties[name] != name
    }
    plain = [name for name in wanted if registry.properties.get(name) == name]
    renamed = {f"p_{name}": F(attr) for name, attr in fields.items()}
    rows = queryset.annotate(map_point=PointOnSurface("public_geom")).values(
        "public_id", "map_point", *plain, *extra, **renamed
    )
    return rows, {f"p_{name}": name for name in fields}


def _rename(row: dict, renames: dict[str, str]) -> dict:
    return {renames.get(key, key): value for key, value in row.items()}


def record_rows(
    registry: Registry,
    queryset: QuerySet,
    *,
    start: int = 0,
    stop: int,
    extra: tuple[str, ...] = (),
) -> list[dict]:
    """The list's and the search's rows of ``queryset[start:stop]`` (in its order), each
    with the queryset's annotations named in ``extra`` (``distance_m`` in whole metres)."""
    rows, renames = _list_values(registry, queryset, extra)
    found = []
    for row in rows[start:stop]:
        values = _rename(row, renames)
        kept = {name: values[name] for name in extra}
        if kept.get("distance_m") is not None:
            kept["distance_m"] = round(kept["distance_m"])
        found.append(_row(registry, values, kept))
    return found


def map_list(
    registry: Registry,
    *,
    filters: Mapping[str, list[str]] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    near: Point | None = None,
    page: int = 1,
    page_size: int = 20,
) -> dict:
    """One page of a layer's records matching the filters in the bbox: by name in Ukrainian
    alphabetical order, or nearest ``near`` first, each row with its ``distance_m``.

    No total count: on a 500,000-tree layer counting every match in a city-wide bbox costs
    more than the page itself, and "more" is all the list needs to know.
    """
    queryset = map_queryset(registry, filters=filters, bbox=bbox)
    if near is None:
        queryset, extra = queryset.order_by(in_ukrainian_order("name"), "id"), ()
    else:
        queryset, extra = by_distance(queryset, near), ("distance_m",)
    start = (page - 1) * page_size
    rows = record_rows(registry, queryset, start=start, stop=start + page_size + 1, extra=extra)
    return {
        "collection": registry.id,
        "title": str(registry.title),
        "page": page,
        "results": rows[:page_size],
        "next_page": page + 1 if len(rows) > page_size else None,
    }


def map_nearest(
    registry: Registry, *, filters: Mapping[str, list[str]], near: Point, limit: int = 3
) -> dict:
    """The ``limit`` published records of a layer nearest ``near`` that pass the filters
    (the map's question "nearest site that takes glass"), nearest first, with metres."""
    queryset = by_distance(map_queryset(registry, filters=filters), near)
    return {
        "collection": registry.id,
        "title": str(registry.title),
        "results": record_rows(registry, queryset, stop=limit, extra=("distance_m",)),
    }


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
