"""Loading the hromada's settlements from the OpenStreetMap export and the curated list of
names and populations (``data/sdg/settlements.toml``); idempotent like ``load_boundary``.

The export is messy on purpose: polygons and multipolygons are taken as they are, a closed
LineString (a relation drawn as one way) becomes the polygon it outlines and takes its name
from the relation, and Points (the villages' centres) are left out. The city is not in the
file; its area is the hromada boundary minus the villages.
"""

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.core.exceptions import ValidationError
from django.db import transaction

from geoportal.env import BASE_DIR
from layers.hromada import hromada_profile
from layers.models import Hromada
from sdg.models import Settlement

SETTLEMENTS_FILE = BASE_DIR / "data" / "sdg" / "settlements.toml"
CITY_KEY = "city"
_SOURCE = "© OpenStreetMap contributors (ODbL 1.0)"


@dataclass(frozen=True)
class Outline:
    key: str  # "relation/<id>"
    name: str
    properties: dict
    geom: MultiPolygon


def _relation(properties: dict) -> tuple[str, dict]:
    """The OSM relation a feature stands for: its own id, or the one it is a member of."""
    own = str(properties.get("@id", ""))
    if own.startswith("relation/"):
        return own, properties
    for member in properties.get("@relations") or []:
        return f"relation/{member['rel']}", member.get("reltags", {})
    return own, properties


def outlines_read(path: Path) -> list[Outline]:
    """The settlement polygons of the export, each once."""
    collection = json.loads(path.read_text(encoding="utf-8"))
    found: dict[str, Outline] = {}
    for feature in collection.get("features", []):
        geometry = feature.get("geometry") or {}
        geom = GEOSGeometry(json.dumps(geometry), srid=4326)
        if geom.geom_type == "LineString":
            if not geom.closed or geom.num_points < 4:
                continue  # an open line outlines nothing
            geom = Polygon(geom.coords, srid=4326)
        if geom.geom_type == "Polygon":
            geom = MultiPolygon(geom, srid=4326)
        if geom.geom_type != "MultiPolygon":
            continue  # centres of villages, labels
        if not geom.valid:
            raise ValidationError(f"{path.name}: invalid polygon ({geom.valid_reason})")
        key, tags = _relation(feature.get("properties") or {})
        name = tags.get("name:uk") or tags.get("name")
        if not name or key in found:
            continue
        found[key] = Outline(key, name, tags, geom)
    return list(found.values())


def _curated() -> dict:
    return tomllib.loads(SETTLEMENTS_FILE.read_text(encoding="utf-8"))


def _values(outline_name: str, tags: dict, curated: dict, geom, *, remainder=False) -> dict:
    population = curated.get("population")
    if population is None and str(tags.get("population", "")).isdigit():
        population = int(tags["population"])
    return {
        "name_uk": curated.get("name_uk", outline_name),
        "name_en": curated.get("name_en", tags.get("name:en", outline_name)),
        "koatuu": str(tags.get("koatuu", "")),
        "katottg": curated.get("katottg", ""),
        "population": population,
        "population_year": curated.get("population_year"),
        "population_source": curated.get("population_source", ""),
        "geom": geom,
        "remainder": remainder,
        "source": _SOURCE,
    }


def _upsert(key: str, values: dict) -> bool:
    settlement = Settlement.objects.filter(key=key).first()
    if settlement is not None:
        same = settlement.geom.equals_exact(values["geom"], 1e-9) and all(
            getattr(settlement, name) == value for name, value in values.items() if name != "geom"
        )
        if same:
            return False
    else:
        settlement = Settlement(key=key)
    for name, value in values.items():
        setattr(settlement, name, value)
    settlement.full_clean()
    settlement.save()
    return True


@transaction.atomic
def settlements_load() -> dict[str, int]:
    """Store the configured hromada's settlements; counts of loaded, unchanged, removed.
    A hromada without a settlements list (another deployment) loads nothing."""
    curated = _curated()
    profile = hromada_profile()
    if curated.get("hromada") != profile.code:
        return {"loaded": 0, "unchanged": 0, "removed": 0}
    outlines = outlines_read(BASE_DIR / "data" / curated["file"])
    counts = {"loaded": 0, "unchanged": 0, "removed": 0}
    listed = curated.get("settlements", {})
    for outline in outlines:
        changed = _upsert(
            outline.key,
            _values(outline.name, outline.properties, listed.get(outline.key, {}), outline.geom),
        )
        counts["loaded" if changed else "unchanged"] += 1
    boundary = Hromada.objects.get(code=profile.code).geom
    villages = MultiPolygon([p for o in outlines for p in o.geom], srid=4326).unary_union
    rest = boundary.difference(villages)
    if rest.geom_type == "Polygon":
        rest = MultiPolygon(rest, srid=4326)
    rest = MultiPolygon([p for p in rest if p.area > 1e-9], srid=4326)  # slivers of edges
    city = curated.get(CITY_KEY, {})
    changed = _upsert(
        CITY_KEY, _values(city.get("name_uk", profile.name_uk), {}, city, rest, remainder=True)
    )
    counts["loaded" if changed else "unchanged"] += 1
    keys = [outline.key for outline in outlines] + [CITY_KEY]
    counts["removed"], _ = Settlement.objects.exclude(key__in=keys).delete()
    return counts
