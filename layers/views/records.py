"""One public page per published record: every public property, photos, a small map."""

import json
import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from layers.csp import csp_protect
from layers.models import Assessment, Photo
from layers.models.datasets import FieldType
from layers.models.waste import Container, Fraction, Weekday
from layers.registry import public_registry_get
from layers.rules.opening_hours import opening_hours_text
from layers.selectors.accessibility import accessibility_freshness
from layers.selectors.map import (
    property_display,
    property_label,
    record_public_get,
    record_title,
    registry_page_links,
)
from layers.symbols import legend_symbol

# Shown in the page's header or elsewhere, not in the table of properties.
_NOT_IN_TABLE = {"name", "verified_on", "updated_at"}
# The accessibility page leads with the rating, then the details a visitor checks.
# The answers per need first (what the map colours by), the one-glance rating after them.
_RATING = ("wheelchair", "low_vision", "hearing", "stroller", "traffic_light")


def _field_type(registry, name: str) -> str:
    """What kind of contact a property holds: a registry defined as data says so in its
    field spec; built-in registries by the model field (EmailField) or the name ``phone``."""
    spec = registry.spec(name) if hasattr(registry, "spec") else None
    if spec is not None:
        return spec.type
    if name == "phone" or name.endswith("_phone"):
        return FieldType.PHONE
    try:
        field = registry.model._meta.get_field(registry.properties.get(name, name))
    except FieldDoesNotExist:  # an annotated property has no model field
        return ""
    return FieldType.EMAIL if isinstance(field, models.EmailField) else ""


def _tel_href(phone: str) -> str:
    """``tel:`` with the digits only (and a leading +): phones dial "+380 (382) 65-12-34"
    as written, but the RFC 3966 form is what every dialer takes."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 3:
        return ""
    return "tel:" + ("+" if phone.strip().startswith("+") else "") + digits


def _href(registry, name: str, value) -> str:
    """A link for the value when it is one: a web address, a phone or an email."""
    if not isinstance(value, str) or not value:
        return ""
    if value.startswith(("https://", "http://")):
        return value
    kind = _field_type(registry, name)
    if kind == FieldType.PHONE:
        return _tel_href(value)
    if kind == FieldType.EMAIL and "@" in value:
        return "mailto:" + value
    return ""


def _rows(registry, record: dict, names) -> list[dict]:
    today = timezone.localdate()
    return [
        {
            "name": name,
            "label": property_label(registry, name),
            "value": property_display(registry, name, record.get(name)),
            "href": _href(registry, name, record.get(name)),
            # OSM opening hours in words for the hromada's current week (raw kept beside).
            "hours": opening_hours_text(record[name], today=today)
            if name == "opening_hours" and record.get(name)
            else None,
            "raw": record.get(name),
        }
        for name in names
    ]


def _photos(registry, pk: int):
    content_type = ContentType.objects.get_for_model(registry.model)
    return list(Photo.objects.filter(content_type=content_type, object_id=pk).shown())


def _collection_schedule(pk: int) -> list[dict]:
    """Per container group of a waste site: fraction, count, volume, collection days."""
    fractions = dict(Fraction.choices)
    days = dict(Weekday.choices)
    return [
        {
            "fraction": str(fractions.get(c.fraction, c.fraction)),
            "count": c.count,
            "volume_l": c.volume_l,
            "days": ", ".join(str(days[d]) for d in c.collection_days),
        }
        for c in Container.objects.filter(site_id=pk).order_by("fraction", "id")
    ]


def accessibility_sections(registry, record: dict) -> dict:
    """The accessibility page leads with the rating, says how fresh the latest official
    assessment and the on-site verification are, links the printable card (of the latest
    assessment and of each earlier one)."""
    freshness = accessibility_freshness(record)
    card_url = reverse("layers:accessibility-card", kwargs={"public_id": record["public_id"]})
    latest_year = freshness.assessment.year if freshness.assessment else None
    years = Assessment.objects.filter(accessible_object_id=record["pk"]).order_by("-year")
    rating = _rows(registry, record, _RATING)
    # Each answer with the map's symbol of it (the one-glance rating has none on the map).
    for row in rating:
        if row["name"] in registry.style_options:
            row["symbol"] = legend_symbol(registry, row["raw"] or "unknown")
    return {
        "rating": rating,
        "assessment": freshness.assessment,
        "freshness": freshness,
        "card_url": card_url,
        "card_years": [
            {"year": year, "url": f"{card_url}?year={year}"}
            for year in years.values_list("year", flat=True)
            if year != latest_year
        ],
        # The date of the last assessment is told with its status, beside the rating.
        "not_in_table": (*_RATING, "last_assessed_on"),
    }


def waste_sections(registry, record: dict) -> dict:
    """A waste site's page shows its containers and collection days."""
    return {"schedule": _collection_schedule(record["pk"])}


def _big_map_url(registry, record: dict, geometry) -> str:
    """The public map centred on the record with its layer on and the record selected (its
    popup open), as the map's permalink says it (``map=``, ``layers=``, ``select=``)."""
    home = reverse("layers:home")
    if geometry is None:
        return f"{home}#layers={registry.id}"
    point = geometry if geometry.geom_type == "Point" else geometry.point_on_surface
    zoom = max(17, registry.min_zoom or 0)
    return (
        f"{home}#map={zoom}/{point.y:.5f}/{point.x:.5f}&layers={registry.id}"
        f"&select={registry.id}:{record['public_id']}"
    )


def _map_strings() -> dict[str, str]:
    """Leaflet's own words on the small map, in the page's language."""
    return {
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
        "leafletTitle": _("A JavaScript library for interactive maps"),
    }


def _description(registry, record: dict, title: str) -> str:
    parts = [str(registry.title) + ": " + title]
    if record.get("address"):
        parts.append(record["address"])
    for name in registry.list_properties:
        value = property_display(registry, name, record.get(name))
        if value and value != title:
            parts.append(f"{property_label(registry, name)}: {value}")
    return ". ".join(parts)[:300]


@csp_protect
@require_safe
def record_detail(request, collection: str, public_id):
    try:
        registry = public_registry_get(collection)
    except KeyError:
        raise Http404(_("No such registry.")) from None
    record = record_public_get(registry, public_id)
    if record is None:
        raise Http404(_("No such published record."))
    title = record_title(registry, record)
    # The registry's own sections of its page (its entry names the function).
    sections = (
        import_string(registry.page_sections)(registry, record) if registry.page_sections else {}
    )
    hidden = {*_NOT_IN_TABLE, *sections.get("not_in_table", ())}
    names = [name for name in registry.properties if name not in hidden]
    geometry = record["public_geom"]
    photos = _photos(registry, record["pk"])
    context = {
        "registry": registry,
        "record": record,
        "title": title,
        "description": _description(registry, record, title),
        "rating": sections.get("rating", []),
        "rows": _rows(registry, record, names),
        "verified_on": property_display(registry, "verified_on", record.get("verified_on")),
        "updated_at": property_display(registry, "updated_at", record.get("updated_at")),
        "photos": photos,
        "assessment": sections.get("assessment"),
        "schedule": sections.get("schedule", []),
        "sections": sections,
        "public_pages": registry_page_links(registry),
        "geometry": json.loads(geometry.geojson) if geometry else None,
        "big_map_url": _big_map_url(registry, record, geometry),
        "map_strings": _map_strings(),
        "og_image": request.build_absolute_uri(photos[0].image.url) if photos else "",
        "canonical": request.build_absolute_uri(request.path),
    }
    return render(request, "layers/record.html", context)
