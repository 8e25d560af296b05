import pytest

from layers.demo import DEMO_SOURCE, DemoContext, heritage, waste
from layers.hromada import hromada_profile
from layers.models import HeritageObject, Hromada, ProtectionZone, Status, WasteSite
from layers.models.heritage import HeritageType
from layers.models.waste import Container, WasteSiteKind

pytestmark = pytest.mark.django_db

SMALL = {"heritage_objects": 30, "protection_zones": 4, "waste_sites": 40}


def generate(**counts) -> dict[str, int]:
    ctx = DemoContext(counts={**SMALL, **counts})
    return {**heritage.generate(ctx), **waste.generate(ctx)}


def snapshot(*, ids: bool = True) -> dict:
    """Everything the generator writes; with ``ids``, row ids and change stamps too."""

    def row(obj, *values):
        return ((obj.pk, obj.updated_at) if ids else ()) + values

    objects = {
        o.public_id: row(
            o,
            o.name,
            o.address,
            o.status,
            o.source,
            tuple(o.types),
            o.significance,
            o.dating,
            o.year_from,
            o.year_to,
            o.protection_number,
            o.listing_body,
            o.listing_date,
            o.listing_number,
            o.condition,
            o.owner,
            o.user,
            o.location_sensitive,
            o.geom.ewkt,
        )
        for o in HeritageObject.objects.all()
    }
    zones = {
        z.public_id: row(
            z,
            z.name,
            z.kind,
            z.decision_body,
            z.decision_date,
            z.decision_number,
            z.geom.ewkt,
            tuple(sorted(str(o.public_id) for o in z.heritage_objects.all())),
        )
        for z in ProtectionZone.objects.all()
    }
    sites = {
        s.public_id: row(
            s,
            s.name,
            s.address,
            s.kind,
            s.operator,
            s.opening_hours,
            s.status,
            s.geom.ewkt,
            tuple(
                ((c.pk,) if ids else ())
                + (c.fraction, c.count, c.volume_l, tuple(c.collection_days))
                for c in s.containers.order_by("id")
            ),
        )
        for s in WasteSite.objects.all()
    }
    return {"objects": objects, "zones": zones, "sites": sites}


def test_second_run_changes_nothing():
    first_counts = generate()
    first = snapshot()
    assert generate() == first_counts
    assert snapshot() == first


def test_generation_is_deterministic():
    generate()
    first = snapshot(ids=False)
    Container.objects.all().delete()
    WasteSite.objects.all().delete()
    ProtectionZone.objects.all().delete()
    HeritageObject.objects.all().delete()
    generate()
    assert snapshot(ids=False) == first


def test_counts_sources_and_statuses():
    counts = generate()
    assert counts["heritage objects"] == HeritageObject.objects.count() == 30
    assert counts["protection zones"] == ProtectionZone.objects.count() == 4
    assert counts["waste sites"] == WasteSite.objects.count() == 40
    assert counts["containers"] == Container.objects.count()
    for model in (HeritageObject, ProtectionZone, WasteSite):
        assert set(model.objects.values_list("source", flat=True)) == {DEMO_SOURCE}
        assert model.objects.filter(status=Status.PUBLISHED).exists()
    assert HeritageObject.objects.filter(status=Status.DRAFT).exists()


def test_every_geometry_is_valid_and_inside_the_boundary():
    generate()
    boundary = Hromada.objects.get(code=hromada_profile().code).geom
    for model in (HeritageObject, ProtectionZone, WasteSite):
        assert model.objects.count() > 0
        assert not model.objects.exclude(geom__coveredby=boundary).exists(), model
        assert not model.objects.filter(geom__isvalid=False).exists(), model


def test_archaeological_sites_are_location_sensitive_and_zones_are_linked():
    generate(heritage_objects=60)
    archaeology = HeritageObject.objects.filter(types__contains=[HeritageType.ARCHAEOLOGY])
    assert archaeology.exists()
    assert not archaeology.filter(location_sensitive=False).exists()
    assert not HeritageObject.objects.filter(
        location_sensitive=True, address__startswith="вул."
    ).exists()
    for zone in ProtectionZone.objects.all():
        linked = zone.heritage_objects.all()
        assert linked.exists()
        assert all(zone.geom.intersects(o.geom) for o in linked)
        assert not linked.filter(location_sensitive=True).exists()


def test_sites_have_one_to_six_containers_and_every_kind_appears():
    generate(waste_sites=150)
    for site in WasteSite.objects.prefetch_related("containers"):
        assert 1 <= len(site.containers.all()) <= 6, site
        for container in site.containers.all():
            assert container.count >= 1 and container.volume_l > 0
            assert container.collection_days == sorted(set(container.collection_days))
    assert set(WasteSite.objects.values_list("kind", flat=True)) == set(WasteSiteKind.values)
    fractions = list(Container.objects.values_list("fraction", flat=True))
    assert max(set(fractions), key=fractions.count) == "mixed"
    common = sum(fractions.count(f) for f in ("mixed", "plastic", "glass"))
    assert common > 0.75 * len(fractions)
    assert WasteSite.objects.accepting("batteries").exists()


def test_a_smaller_run_removes_the_surplus_demo_records():
    generate()
    generate(heritage_objects=20, protection_zones=2, waste_sites=25)
    assert HeritageObject.objects.count() == 20
    assert ProtectionZone.objects.count() == 2
    assert WasteSite.objects.count() == 25
    assert not Container.objects.filter(site__isnull=True).exists()
