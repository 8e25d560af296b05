import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import layers.admin.waste  # noqa: F401  (registered before the admin URLs are first built)
from layers.hromada import hromada_profile
from layers.models import Status
from layers.models.waste import (
    Container,
    Fraction,
    WasteSite,
    WasteSiteKind,
)

pytestmark = pytest.mark.django_db


def centre(dx: float = 0.0) -> Point:
    lat, lon = hromada_profile().map_center
    return Point(lon + dx, lat, srid=4326)


def site(**fields) -> WasteSite:
    values = {"name": "Контейнерний майданчик", "geom": centre()}
    values.update(fields)
    obj = WasteSite(**values)
    obj.full_clean()
    obj.save()
    return obj


def container(site: WasteSite, **fields) -> Container:
    values = {"fraction": Fraction.MIXED, "count": 2, "volume_l": 1100, "collection_days": [1, 3]}
    values.update(fields)
    return Container(site=site, **values)


def test_operator_defaults_to_the_setting(settings):
    assert site().operator == "КП «Спецкомунтранс»"
    settings.GEOPORTAL_DEFAULT_WASTE_OPERATOR = "КП «Інший оператор»"
    assert WasteSite(geom=centre()).operator == "КП «Інший оператор»"


def test_unknown_site_kind_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        WasteSite(name="X", geom=centre(), kind="landfill").full_clean()
    assert "kind" in excinfo.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        WasteSite(name="X", geom=centre(), kind="landfill").save()


def test_a_site_outside_the_hromada_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        WasteSite(name="X", geom=Point(30.5, 50.45, srid=4326)).full_clean()
    assert [e.code for e in excinfo.value.error_dict["geom"]] == ["outside_hromada"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"count": 0}, "count"),
        ({"volume_l": 0}, "volume_l"),
        ({"volume_l": 1_000_000}, "volume_l"),
        ({"fraction": "asbestos"}, "fraction"),
        ({"collection_days": [0]}, "collection_days"),
        ({"collection_days": [1, 8]}, "collection_days"),
    ],
)
def test_container_validation(fields, field):
    obj = container(site(), **fields)
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert field in excinfo.value.error_dict


@pytest.mark.parametrize(
    "fields",
    [
        {"count": 0},
        {"volume_l": 0},
        {"volume_l": 1_000_000},
        {"fraction": "asbestos"},
        {"collection_days": [0]},
        {"collection_days": [2, 8]},
    ],
)
def test_database_refuses_bad_containers(fields):
    obj = container(site(), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()
    assert not Container.objects.exists()


def test_collection_days_are_stored_sorted_and_once():
    obj = container(site(), collection_days=[5, 1, 5, 3])
    obj.full_clean()
    obj.save()
    obj.refresh_from_db()
    assert obj.collection_days == [1, 3, 5]


def test_on_request_containers_have_no_collection_days():
    obj = container(site(), fraction=Fraction.BATTERIES, volume_l=30, count=1, collection_days=[])
    obj.full_clean()
    obj.save()


def test_accepted_fractions_come_from_the_containers():
    yard = site()
    for fraction, days in ((Fraction.GLASS, [4]), (Fraction.MIXED, [1, 3]), (Fraction.GLASS, [2])):
        container(yard, fraction=fraction, collection_days=days).save()
    empty = site(name="Бібліотека речей", kind=WasteSiteKind.LIBRARY_OF_THINGS)

    assert yard.accepted_fractions() == ["glass", "mixed"]
    assert yard.collection_schedule() == {"glass": [2, 4], "mixed": [1, 3]}
    annotated = {s.pk: s.fractions for s in WasteSite.objects.with_fractions()}
    assert annotated == {yard.pk: ["glass", "mixed"], empty.pk: []}
    assert list(WasteSite.objects.accepting(Fraction.GLASS)) == [yard]
    assert not WasteSite.objects.accepting(Fraction.BATTERIES).exists()


def test_nearest_site_that_takes_batteries():
    near = site(name="near", geom=centre(0.002))
    far = site(name="far", geom=centre(0.02))
    other = site(name="glass only", geom=centre(0.0001))
    for s in (near, far):
        container(s, fraction=Fraction.BATTERIES, volume_l=30, count=1, collection_days=[]).save()
    container(other, fraction=Fraction.GLASS).save()
    found = list(WasteSite.objects.accepting(Fraction.BATTERIES).nearest(centre()))
    assert found == [near, far]
    assert found[0].distance.m < found[1].distance.m


def test_admin_pages_render(admin_client):
    yard = site(status=Status.PUBLISHED)
    container(yard).save()
    for url in (
        "/admin/layers/wastesite/",
        "/admin/layers/wastesite/?fraction=mixed",
        "/admin/layers/wastesite/add/",
        f"/admin/layers/wastesite/{yard.pk}/change/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    assert "Контейнерний майданчик" in admin_client.get("/admin/layers/wastesite/").text


def test_admin_saves_containers_with_their_days(admin_client):
    yard = site()
    url = f"/admin/layers/wastesite/{yard.pk}/change/"
    data = {
        "name": yard.name,
        "kind": WasteSiteKind.CONTAINER_SITE,
        "address": "",
        "geom": yard.geom.json,
        "operator": yard.operator,
        "opening_hours": "",
        "verified_on": "",
        "source": "",
        "notes": "",
        "base_version": yard.version,
        "containers-TOTAL_FORMS": "1",
        "containers-INITIAL_FORMS": "0",
        "containers-0-fraction": "glass",
        "containers-0-count": "2",
        "containers-0-volume_l": "1500",
        "containers-0-collection_days": ["4", "2"],
        "layers-photo-content_type-object_id-TOTAL_FORMS": "0",
        "layers-photo-content_type-object_id-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert list(yard.containers.values_list("fraction", "collection_days")) == [("glass", [2, 4])]
