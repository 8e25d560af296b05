"""Writes of the green-plantings registry: the species catalogue, trees and their log,
and the real protected natural sites of the State Register of Geographic Names."""

# Ukrainian names and the botanical hybrid sign are meant, not look-alike Latin letters.

import csv
import datetime
import json
import math
import uuid
from decimal import Decimal
from pathlib import Path

from django.contrib.gis.geos import MultiPolygon, Point
from django.db import transaction

from geoportal.env import BASE_DIR
from layers.models.base import Status
from layers.models.trees import GreenArea, GreenAreaKind, Species, Tree, TreeEventKind
from layers.projection import in_metres, in_wgs84

SPECIES_CSV = BASE_DIR / "data" / "species.csv"
PROTECTED_SITES_GEOJSON = (
    BASE_DIR / "data" / "protected-sites" / "pzo-khmelnytska-miska-hromada.geojson"
)
PROTECTED_SITES_SOURCE = (
    "Державний реєстр географічних назв, реєстр. № {number} (через gontsa/geonames-ua), CC BY 4.0"
)
# Stable public ids for records loaded from a register, keyed by the register's own number.
REGISTER_NAMESPACE = uuid.UUID("0c9b3e4e-7d1a-4f26-8a57-3b2f6c1d9e84")

_SPECIES_FIELDS = (
    "name_uk",
    "name_en",
    "coniferous",
    "max_height_m",
    "max_trunk_diameter_cm",
    "max_crown_diameter_m",
)


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


def species_seed(*, path: Path = SPECIES_CSV) -> int:
    """Create or update the species catalogue from its CSV seed; return the row count.

    Upserts on the Latin name, so running it again changes nothing and species that
    maintainers added by hand are kept.
    """
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    species = [
        Species(
            latin_name=row["latin_name"].strip(),
            name_uk=row["name_uk"].strip(),
            name_en=row["name_en"].strip(),
            coniferous=row["coniferous"].strip() == "yes",
            max_height_m=_decimal(row["max_height_m"]),
            max_trunk_diameter_cm=_decimal(row["max_trunk_diameter_cm"]),
            max_crown_diameter_m=_decimal(row["max_crown_diameter_m"]),
        )
        for row in rows
    ]
    for item in species:
        item.full_clean(validate_unique=False)
    Species.objects.bulk_create(
        species,
        update_conflicts=True,
        unique_fields=["latin_name"],
        update_fields=list(_SPECIES_FIELDS),
    )
    return len(species)


@transaction.atomic
def tree_remove(
    *,
    tree: Tree,
    removed_on: datetime.date,
    act_number: str,
    user,
    base_version: int,
    description: str = "",
):
    """Record a tree's removal: the record stays (its planting site is history), dated by the
    removal act, which is added to its log — one change through the editing workflow
    (applied to a draft, waiting for review on a published tree)."""
    from layers.editing import services
    from layers.editing.parts import parts_read
    from layers.registry import registry_for_model

    registry = registry_for_model(Tree)
    act = {
        "occurred_on": removed_on.isoformat(),
        "kind": TreeEventKind.REMOVAL_ACT,
        "act_number": act_number,
        "description": description,
    }
    return services.record_update(
        registry=registry,
        record=tree,
        user=user,
        values={"removed_on": removed_on},
        parts={"events": [*parts_read(registry, tree)["events"], act]},
        base_version=base_version,
    )


# --- Real protected natural sites ---------------------------------------------------------

# Register name -> species, for the protected trees (botanical natural monuments).
_PROTECTED_SPECIES = {
    "Бук червоний": "Fagus sylvatica",
    "Липа звичайна": "Tilia × europaea",
    "Алея каштана кінського": "Aesculus hippocastanum",
    "Горіх чорний": "Juglans nigra",
}
# Approximate radius, in metres, drawn around a register point that stands for an area.
_APPROXIMATE_RADIUS_M = {GreenAreaKind.SQUARE: 40, GreenAreaKind.PARK: 120}

_NUMBER, _NAME, _KIND = "Реєстраційний номер", "Унормована назва", "Вид географічного об'єкту"


def _approximate_area(point: Point, radius_m: float) -> MultiPolygon:
    circle = in_metres(point).buffer(radius_m, quadsegs=4)
    return MultiPolygon(in_wgs84(circle), srid=4326)


def protected_sites_load(*, path: Path = PROTECTED_SITES_GEOJSON) -> dict[str, object]:
    """Load the protected natural sites of the hromada as real registry records.

    Botanical natural monuments become protected trees; parks and squares become green
    areas drawn as a small circle around the register's point (the register gives only a
    point, and the notes say so). Other kinds (animal colonies, forest reserves) belong to no
    registry of this portal and are skipped with the reason. Upserts on ids derived from the
    register numbers, so loading again changes nothing. Species must be seeded first.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    species = {s.latin_name: s for s in Species.objects.all()}
    trees, areas, skipped = [], [], []
    for feature in data["features"]:
        props = feature["properties"]
        number = props[_NUMBER].strip()
        name = " ".join(props[_NAME].split())
        kind = props[_KIND].strip()
        lon, lat = feature["geometry"]["coordinates"]
        if not (math.isfinite(lon) and math.isfinite(lat)):
            skipped.append((number, name, "no usable coordinates"))
            continue
        point = Point(lon, lat, srid=4326)
        common = {
            "public_id": uuid.uuid5(REGISTER_NAMESPACE, f"pzo:{number}"),
            "name": name,
            "status": Status.PUBLISHED,
            "source": PROTECTED_SITES_SOURCE.format(number=number),
        }
        if kind == "ботанічна пам'ятка природи" and name in _PROTECTED_SPECIES:
            notes = (
                f"Ботанічна пам'ятка природи місцевого значення (реєстр. № {number}). "
                "Координати з реєстру приблизні; розміри й стан не обстежено."
            )
            if name.startswith("Алея"):
                notes += (
                    " Це алея: реєстр дає одну точку, тож запис позначає всю алею до "
                    "інвентаризації її окремих дерев."
                )
            trees.append(
                Tree(
                    **common,
                    geom=point,
                    species=species[_PROTECTED_SPECIES[name]],
                    protected=True,
                    notes=notes,
                )
            )
        elif kind == "парк":
            area_kind = GreenAreaKind.SQUARE if name.startswith("Сквер") else GreenAreaKind.PARK
            radius = _APPROXIMATE_RADIUS_M[area_kind]
            areas.append(
                GreenArea(
                    **common,
                    geom=_approximate_area(point, radius),
                    kind=area_kind,
                    notes=(
                        f"Парк-пам'ятка садово-паркового мистецтва місцевого значення "
                        f"(реєстр. № {number}). Реєстр дає лише точку: межа — приблизне коло "
                        f"радіусом {radius} м навколо неї, площа умовна; уточніть межу."
                    ),
                )
            )
        else:
            skipped.append((number, name, f"«{kind}» is not a tree or an urban green area"))

    for record in (*trees, *areas):
        record.full_clean(validate_unique=False, validate_constraints=False)
    record_fields = ["name", "status", "source", "notes", "geom"]
    Tree.objects.bulk_create(
        trees,
        update_conflicts=True,
        unique_fields=["public_id"],
        update_fields=[*record_fields, "species", "protected"],
    )
    GreenArea.objects.bulk_create(
        areas,
        update_conflicts=True,
        unique_fields=["public_id"],
        update_fields=[*record_fields, "kind"],
    )
    return {"trees": len(trees), "green_areas": len(areas), "skipped": skipped}
