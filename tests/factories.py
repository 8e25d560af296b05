"""Minimal valid records of every registry, for tests parametrised over the registry list."""

from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from layers.models.trees import Species
from layers.registry import Registry

# A spot in the centre of Khmelnytskyi and a small square around it.
CENTRE = (26.9965, 49.4216)
SQUARE = (
    (26.9960, 49.4212),
    (26.9970, 49.4212),
    (26.9970, 49.4220),
    (26.9960, 49.4220),
    (26.9960, 49.4212),
)


def valid_geometry(registry: Registry):
    """A valid geometry that the registry's ``geom`` field takes, inside the hromada."""
    field_type = registry.model._meta.get_field("geom").geom_type
    if field_type == "MULTIPOLYGON":
        return MultiPolygon(Polygon(SQUARE), srid=4326)
    kind = registry.model.GEOMETRY_TYPES[0]
    return Point(*CENTRE, srid=4326) if kind == "Point" else Polygon(SQUARE, srid=4326)


def _species() -> Species:
    species, _ = Species.objects.get_or_create(
        latin_name="Tilia cordata",
        defaults={
            "name_uk": "Липа серцелиста",
            "name_en": "Small-leaved lime",
            "max_height_m": 30,
            "max_trunk_diameter_cm": 150,
            "max_crown_diameter_m": 20,
        },
    )
    return species


def required_values(registry: Registry) -> dict:
    """Values of the registry's required non-geometry fields (model attributes)."""
    return {
        "accessibility": lambda: {"name": "ЦНАП"},
        "trees": lambda: {"species": _species()},
        "green-areas": lambda: {"name": "Сквер", "kind": "square"},
        "heritage": lambda: {
            "name": "Пам'ятка",
            "types": ["architecture"],
            "significance": "local",
        },
        "protection-zones": lambda: {"name": "Охоронна зона"},
        "waste-sites": lambda: {"name": "Майданчик"},
    }[registry.id]()


def make_record(registry: Registry, **overrides):
    """An unsaved, valid record of the registry."""
    values = {"geom": valid_geometry(registry), **required_values(registry), **overrides}
    return registry.model(**values)
