"""Every registry refuses bad geometries the same way, on every path data comes in:
model validation (services, importers) and the admin's map-widget form."""

import json
import math

import pytest
from django.contrib.admin.sites import site
from django.contrib.gis.geos import LineString, MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from layers.registry import BUILTIN_REGISTRIES
from tests.factories import CENTRE, SQUARE, make_record, registry_ids

BOWTIE = ((26.996, 49.421), (26.997, 49.422), (26.997, 49.421), (26.996, 49.422), (26.996, 49.421))


def _shift(coords, dx=0.0, dy=0.0, replace=None):
    out = [(x + dx, y + dy) for x, y in coords]
    if replace is not None:
        out[1] = replace
        if len(out) > 2:
            out[-1] = out[0]
    return tuple(out)


def bad_geometry(kind: str, case: str):
    """A GEOS geometry of ``kind`` (or, for 'wrong type', another kind) broken as ``case``."""
    if case == "wrong type":
        return LineString(CENTRE, (26.997, 49.422), srid=4326)
    if kind == "Point":
        x, y = CENTRE
        coords = {
            "outside the hromada": (30.52, 50.45),  # Kyiv
            "latitude of 200": (x, 200.0),
            "coordinate of 1e300": (1e300, y),
            "NaN": (math.nan, y),
        }
        if case == "empty":
            return Point(srid=4326)
        if case == "self-intersecting":
            return Polygon(BOWTIE, srid=4326)  # a point registry: refused as the wrong type
        return Point(*coords[case], srid=4326)
    ring = {
        "outside the hromada": _shift(SQUARE, dx=3.5, dy=1.0),
        "latitude of 200": _shift(SQUARE, replace=(26.997, 200.0)),
        "coordinate of 1e300": _shift(SQUARE, replace=(1e300, 49.4212)),
        "NaN": _shift(SQUARE, replace=(math.nan, 49.4212)),
        "self-intersecting": BOWTIE,
    }
    polygon = Polygon(srid=4326) if case == "empty" else Polygon(ring[case], srid=4326)
    return (
        MultiPolygon(srid=4326)
        if case == "empty" and kind == "MultiPolygon"
        else (MultiPolygon(polygon, srid=4326) if kind == "MultiPolygon" else polygon)
    )


def as_geojson_text(geom) -> str:
    """GeoJSON as a browser would send it, written without handing the geometry to GEOS."""

    def coords(g):
        if g.geom_type == "Point":
            return [] if g.empty else list(g.coords)
        if g.geom_type == "LineString":
            return [list(p) for p in g.coords]
        if g.geom_type == "Polygon":
            return [[list(p) for p in ring] for ring in g.coords]
        return [[[list(p) for p in ring] for ring in part] for part in g.coords]

    return json.dumps({"type": geom.geom_type, "coordinates": coords(geom)})


CASES = [
    "outside the hromada",
    "latitude of 200",
    "coordinate of 1e300",
    "NaN",
    "empty",
    "self-intersecting",
    "wrong type",
]
EXPECTED_CODES = {
    "outside the hromada": {"outside_hromada"},
    "latitude of 200": {"out_of_range"},
    "coordinate of 1e300": {"out_of_range"},
    "NaN": {"not_finite"},
    "empty": {"empty", "bad_position", "bad_ring"},
    "self-intersecting": {"invalid", "wrong_type"},
    "wrong type": {"wrong_type"},
}


def _field_kind(registry) -> str:
    geom_type = registry.model._meta.get_field("geom").geom_type
    return {"POINT": "Point", "MULTIPOLYGON": "MultiPolygon", "POLYGON": "Polygon"}.get(
        geom_type, registry.geometry_types[0]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("registry", registry_ids(), indirect=True)
def test_model_validation_refuses_bad_geometry_and_saves_nothing(registry, case):
    geom = bad_geometry(_field_kind(registry), case)
    try:
        record = make_record(registry, geom=geom)
    except TypeError:
        # Django itself refuses a geometry of another type on a typed field.
        assert case in {"wrong type", "self-intersecting"}
        return

    with pytest.raises(ValidationError) as caught:
        record.full_clean()

    errors = caught.value.error_dict["geom"]
    assert {error.code for error in errors} & EXPECTED_CODES[case], errors
    assert all(str(message) for message in caught.value.messages)
    assert not registry.objects().exists()


# Registries defined as data are edited in the editor and the API, not in the admin (whose
# record admins are per model); their editor form is covered in tests/datasets.
@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("registry", [r.id for r in BUILTIN_REGISTRIES], indirect=True)
def test_admin_map_form_refuses_bad_geometry_with_a_clear_message(registry, case, admin_user):
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    model_admin = site._registry[registry.model]
    form_class = model_admin.get_form(request)
    geom_text = as_geojson_text(bad_geometry(_field_kind(registry), case))
    valid = make_record(registry)
    data = {
        name: (value.pk if hasattr(value, "pk") else value)
        for name, value in {**valid.__dict__, "species": getattr(valid, "species", None)}.items()
        if name in form_class.base_fields and value is not None
    }
    if "types" in data:
        data["types"] = ",".join(data["types"])

    form = form_class(data={**data, "geom": geom_text})

    assert not form.is_valid()
    assert "geom" in form.errors, form.errors
    assert {e.code for e in form.errors.as_data()["geom"]} & EXPECTED_CODES[case]
    assert not registry.objects().exists()


@pytest.mark.django_db
@pytest.mark.parametrize("registry", registry_ids(), indirect=True)
def test_a_valid_record_of_every_registry_is_accepted(registry):
    record = make_record(registry)

    record.full_clean()
    record.save()

    assert registry.objects().get(public_id=record.public_id).geom.valid
