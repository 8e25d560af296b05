"""The accessibility registry's exchange formats as whole-layer files and single features:
A11yJSON, a table of OpenStreetMap tags and the checklist table. Its entry declares them
(``Registry.extra_downloads``); the download view serves them like the common files.

Every builder reads the registry's public queryset (published records) and only the
registry's public properties, so nothing staff-only can leave; the shapes themselves are
pure functions (``layers.rules.a11yjson``, ``layers.rules.osm_tags``) or the checklist
table (``layers.selectors.checklist_table``).
"""

import csv
import datetime
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

from django.urls import reverse
from django.utils import timezone

from layers.ogcapi import http
from layers.ogcapi.downloads import layer_queryset
from layers.ogcapi.families import base_id
from layers.ogcapi.licence import data_licence, data_source
from layers.ogcapi.links import link
from layers.registry import Registry
from layers.rules.a11yjson import place_info
from layers.rules.osm_tags import TAGS, osm_tags
from layers.selectors.checklist_table import checklist_table

# Seven decimals of a degree: about a centimetre, the precision OSM stores.
COORDINATE_DECIMALS = 7


def _public_records(registry: Registry, queryset=None) -> Iterator[tuple[str, tuple, dict]]:
    """(public id, (lon, lat), public values by property name) of each published record,
    by name: a stable order, so that two versions of a file compare line by line."""
    attributes = registry.properties
    rows = (
        (queryset if queryset is not None else layer_queryset(registry))
        .order_by("name", "public_id")
        .values("public_id", "public_geom", *dict.fromkeys(attributes.values()))
    )
    for row in rows:
        geom = row["public_geom"]
        point = geom if geom.geom_type == "Point" else geom.point_on_surface
        lon_lat = (round(point.x, COORDINATE_DECIMALS), round(point.y, COORDINATE_DECIMALS))
        values = {name: row[attribute] for name, attribute in attributes.items()}
        yield str(row["public_id"]), lon_lat, values


def _record_page(portal_url: str, registry: Registry, public_id: str) -> str:
    """The record's public page (in the active language), as A11yJSON's ``infoPageUrl``."""
    collection = base_id(registry)
    path = reverse("layers:record", kwargs={"collection": collection, "public_id": public_id})
    return urljoin(portal_url, path)


def _place(registry: Registry, portal_url: str, record) -> dict:
    public_id, (lon, lat), values = record
    return place_info(
        values,
        public_id=public_id,
        lon=lon,
        lat=lat,
        info_url=_record_page(portal_url, registry, public_id),
    )


# --- A11yJSON -------------------------------------------------------------------------------
def a11yjson_write(registry: Registry, path: Path, *, portal_url: str, collection_url: str) -> None:
    """The layer as a GeoJSON FeatureCollection of A11yJSON ``PlaceInfo`` features, with
    the licence and source as the GeoJSON download has them."""
    licence = data_licence(registry)
    features = [_place(registry, portal_url, record) for record in _public_records(registry)]
    document = {
        "type": "FeatureCollection",
        "name": registry.id,
        "title": str(registry.title),
        "license": licence.spdx,
        "source": data_source(portal_url),
        "timeStamp": timezone.now().isoformat(),
        "features": features,
        "numberReturned": len(features),
        "links": [
            link(licence.url, "license", http.HTML, licence.title),
            link(collection_url, "collection", http.JSON, str(registry.title)),
            link("https://a11yjson.org/", "describedby", http.HTML, "A11yJSON"),
        ],
    }
    with path.open("w", encoding="utf-8") as out:
        json.dump(document, out, ensure_ascii=False)


def a11yjson_item(registry: Registry, public_id: uuid.UUID, *, portal_url: str) -> dict | None:
    """One published record as an A11yJSON ``PlaceInfo``; None if there is none."""
    queryset = layer_queryset(registry).filter(public_id=public_id)
    record = next(_public_records(registry, queryset), None)
    return None if record is None else _place(registry, portal_url, record)


# --- OpenStreetMap tags ---------------------------------------------------------------------
def osm_tags_write(registry: Registry, path: Path, *, portal_url: str, collection_url: str) -> None:
    """A CSV of the tags per object (``layers.rules.osm_tags``) for mappers to compare:
    id, name, lat, lon, then a column per tag (empty: unknown)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "name", "lat", "lon", *TAGS])
        for public_id, (lon, lat), values in _public_records(registry):
            tags = osm_tags(values)
            writer.writerow([public_id, values.get("name", ""), lat, lon, *tags.values()])


# --- The checklist table --------------------------------------------------------------------
def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def checklist_write(
    registry: Registry, path: Path, *, portal_url: str, collection_url: str
) -> None:
    """The checklist table of the published objects' latest assessments as CSV. The first
    header row is the columns' stable codes (what a program reads; a criterion is
    ``<section code>/<criterion code>``), the second what they mean, in the active language
    (what a person reads: a program skips it); answers are ``yes``, ``no``,
    ``not_applicable``, empty when not answered."""
    table = checklist_table(objects=layer_queryset(registry))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([column.key for column in table.columns])
        writer.writerow([column.label for column in table.columns])
        for row in table.rows:
            writer.writerow([_cell(row[column.key]) for column in table.columns])
