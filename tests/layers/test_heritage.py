# Ukrainian sample text: its one-letter words are Cyrillic on purpose.
import datetime

import pytest
from django.contrib.gis.geos import LineString, MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import layers.admin.heritage  # noqa: F401  (registered before the admin URLs are first built)
from layers.hromada import hromada_profile
from layers.models import Status
from layers.models.heritage import (
    HeritageObject,
    HeritageType,
    ProtectionZone,
    ProtectionZoneKind,
    Significance,
    heritage_generalise,
)

pytestmark = pytest.mark.django_db


def centre(dx: float = 0.0, dy: float = 0.0) -> Point:
    lat, lon = hromada_profile().map_center
    return Point(lon + dx, lat + dy, srid=4326)


def square(dx: float = 0.0, size: float = 0.002) -> Polygon:
    c = centre(dx)
    x, y = c.x, c.y
    return Polygon(((x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)), srid=4326)


def heritage(**fields) -> HeritageObject:
    values = {
        "name": "Свято-Покровська церква",
        "geom": centre(),
        "types": [HeritageType.ARCHITECTURE],
        "significance": Significance.LOCAL,
        "protection_number": "123-Хм",
    }
    values.update(fields)
    return HeritageObject(**values)


def saved(**fields) -> HeritageObject:
    obj = heritage(**fields)
    obj.full_clean()
    obj.save()
    return obj


def error_codes(excinfo, field: str) -> list[str]:
    return [e.code for e in excinfo.value.error_dict[field]]


def test_valid_object_with_several_types_is_saved():
    obj = saved(
        types=[HeritageType.ARCHITECTURE, HeritageType.HISTORY, HeritageType.URBAN_PLANNING],
        dating="кінець XIX ст.",
        year_from=1880,
        year_to=1900,
        wikidata_id="Q42",
        wikipedia_url="https://uk.wikipedia.org/wiki/Хмельницький",
    )
    obj.refresh_from_db()
    assert obj.types == ["architecture", "history", "urban_planning"]
    assert HeritageObject.objects.filter(types__contains=["history"]).count() == 1


@pytest.mark.parametrize("geom", [square(), MultiPolygon(square(), square(0.01))])
def test_object_may_be_a_polygon_or_multipolygon(geom):
    obj = saved(geom=geom)
    assert obj.geom.geom_type == geom.geom_type


def test_a_line_is_not_a_heritage_geometry():
    c = centre()
    with pytest.raises(ValidationError) as excinfo:
        heritage(geom=LineString((c.x, c.y), (c.x + 0.001, c.y), srid=4326)).full_clean()
    assert error_codes(excinfo, "geom") == ["wrong_type"]


@pytest.mark.parametrize(
    ("types", "code"),
    [([], "blank"), (["castle"], "item_invalid"), (["history", "history"], "duplicate_type")],
)
def test_types_must_be_a_non_empty_list_of_known_types(types, code):
    with pytest.raises(ValidationError) as excinfo:
        heritage(types=types).full_clean()
    assert code in error_codes(excinfo, "types")
    assert not HeritageObject.objects.exists()


@pytest.mark.parametrize("types", [[], ["castle"], ["architecture", "ARCHITECTURE"]])
def test_database_refuses_unknown_or_missing_types(types):
    with pytest.raises(IntegrityError), transaction.atomic():
        heritage(types=types).save()


@pytest.mark.parametrize("value", ["Q1", "Q42", "Q12345678"])
def test_wikidata_id_accepts_q_numbers(value):
    heritage(wikidata_id=value).full_clean()


@pytest.mark.parametrize("value", ["q42", "Q0", "Q12a", "P31", "42", "Q 42"])
def test_wikidata_id_refuses_anything_else(value):
    with pytest.raises(ValidationError) as excinfo:
        heritage(wikidata_id=value).full_clean()
    assert "bad_wikidata_id" in error_codes(excinfo, "wikidata_id")
    with pytest.raises(IntegrityError), transaction.atomic():
        heritage(wikidata_id=value).save()


@pytest.mark.parametrize(
    "url",
    [
        "http://uk.wikipedia.org/wiki/X",
        "https://example.org/wiki/X",
        "https://wikipedia.org.evil.com/",
    ],
)
def test_wikipedia_link_must_be_a_wikipedia_article(url):
    with pytest.raises(ValidationError) as excinfo:
        heritage(wikipedia_url=url).full_clean()
    assert "not_wikipedia" in error_codes(excinfo, "wikipedia_url")


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"year_from": 1900, "year_to": 1880}, "year_to", "years_reversed"),
        ({"year_from": -60000}, "year_from", "min_value"),
        ({"year_to": datetime.date.today().year + 1}, "year_to", "future"),
        (
            {"listing_date": datetime.date.today() + datetime.timedelta(days=1)},
            "listing_date",
            "future",
        ),
    ],
)
def test_dating_and_decision_dates_are_checked(fields, field, code):
    with pytest.raises(ValidationError) as excinfo:
        heritage(**fields).full_clean()
    assert code in error_codes(excinfo, field)


def test_bce_dating_is_accepted():
    heritage(
        types=[HeritageType.ARCHAEOLOGY], dating="IV тис. до н. е.", year_from=-4000, year_to=-3001
    ).full_clean()


@pytest.mark.parametrize(
    "fields", [{"year_from": 1900, "year_to": 1880}, {"year_from": -60000}, {"year_to": 3000}]
)
def test_database_refuses_bad_years(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        heritage(**fields).save()


def test_newly_identified_object_has_no_protection_number():
    obj = heritage(significance=Significance.NEWLY_IDENTIFIED, protection_number="5-Хм")
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert "newly_identified_numbered" in error_codes(excinfo, "protection_number")
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()
    heritage(significance=Significance.NEWLY_IDENTIFIED, protection_number="").full_clean()


def test_protection_number_is_unique_among_current_records():
    saved(protection_number="77-Хм")
    with pytest.raises(ValidationError) as excinfo:
        heritage(protection_number="77-Хм").full_clean()
    assert "Another object has this protection number." in str(excinfo.value)


@pytest.mark.parametrize("value", ["<b>1</b>", "12 Хм", "1;DROP"])
def test_protection_number_format(value):
    with pytest.raises(ValidationError) as excinfo:
        heritage(protection_number=value).full_clean()
    assert "bad_protection_number" in error_codes(excinfo, "protection_number")


def test_public_geometry_of_an_ordinary_object_is_exact():
    obj = saved(geom=square(), status=Status.PUBLISHED)
    assert obj.public_geom().equals_exact(obj.geom, 1e-12)
    public = HeritageObject.objects.public().get(pk=obj.pk)
    assert public.public_geom.equals_exact(obj.geom, 1e-9)
    assert public.public_address == obj.address


def test_sensitive_object_is_public_only_as_a_grid_node_and_without_address():
    site = saved(
        types=[HeritageType.ARCHAEOLOGY],
        geom=square(0.03, size=0.001),
        address="с. Олешин, урочище",
        location_sensitive=True,
        status=Status.PUBLISHED,
    )
    public = site.public_geom()
    assert public.geom_type == "Point"
    srid = int(hromada_profile().projected_crs.removeprefix("EPSG:"))
    projected = public.transform(srid, clone=True)
    assert projected.x % 500 == pytest.approx(0, abs=0.01) or projected.x % 500 == pytest.approx(
        500, abs=0.01
    )
    assert projected.y % 500 == pytest.approx(0, abs=0.01) or projected.y % 500 == pytest.approx(
        500, abs=0.01
    )
    true_centre = site.geom.transform(srid, clone=True).centroid
    assert 0 < projected.distance(true_centre) <= 500 * 2**0.5 / 2 + 0.01
    assert site.public_address() == ""

    row = HeritageObject.objects.public().get(pk=site.pk)
    assert row.public_address == ""
    assert row.public_geom.distance(public) < 1e-6  # PostGIS computes the same node


def test_nearby_sensitive_sites_share_one_public_point():
    a = heritage_generalise(centre(0.03, 0.0))
    b = heritage_generalise(centre(0.03 + 0.0001, 0.0001))
    assert a.distance(b) < 1e-9


def test_drafts_are_not_public():
    saved(status=Status.DRAFT)
    assert not HeritageObject.objects.public().exists()


def test_zone_is_linked_to_its_objects():
    church = saved(name="Свято-Покровська церква", status=Status.PUBLISHED)
    house = saved(name="Будинок по вул. Проскурівській, 10", protection_number="124-Хм")
    zone = ProtectionZone(
        name="Охоронна зона",
        geom=MultiPolygon(square(-0.001, 0.004)),
        kind=ProtectionZoneKind.PROTECTION,
    )
    zone.full_clean()
    zone.save()
    zone.heritage_objects.set([church, house])
    assert set(church.protection_zones.all()) == {zone}


def test_zone_kind_is_checked():
    zone = ProtectionZone(name="Z", geom=MultiPolygon(square()), kind="fence")
    with pytest.raises(ValidationError) as excinfo:
        zone.full_clean()
    assert "invalid_choice" in error_codes(excinfo, "kind")
    with pytest.raises(IntegrityError), transaction.atomic():
        zone.save()


def test_zone_of_a_sensitive_site_is_not_public():
    site = saved(types=[HeritageType.ARCHAEOLOGY], geom=square(0.03), location_sensitive=True)
    zone = ProtectionZone.objects.create(
        name="Зона охорони культурного шару",
        geom=MultiPolygon(square(0.03, 0.004)),
        kind=ProtectionZoneKind.CULTURAL_LAYER,
        status=Status.PUBLISHED,
    )
    other = ProtectionZone.objects.create(
        name="Охоронна зона", geom=MultiPolygon(square()), status=Status.PUBLISHED
    )
    zone.heritage_objects.add(site)
    assert list(ProtectionZone.objects.public()) == [other]


@pytest.mark.parametrize("model", ["heritageobject", "protectionzone"])
def test_admin_pages_render(admin_client, model):
    obj = saved(status=Status.PUBLISHED)
    zone = ProtectionZone.objects.create(name="Z", geom=MultiPolygon(square()))
    zone.heritage_objects.add(obj)
    pk = obj.pk if model == "heritageobject" else zone.pk
    for url in (
        f"/admin/layers/{model}/",
        f"/admin/layers/{model}/add/",
        f"/admin/layers/{model}/{pk}/change/",
        f"/admin/layers/{model}/?type=archaeology" if model == "heritageobject" else "/admin/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
