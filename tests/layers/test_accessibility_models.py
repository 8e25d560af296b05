"""Validation of accessible objects, the assessment service and the demo generator."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.exceptions import FieldError, ValidationError
from django.forms import modelform_factory
from django.urls import path

from layers.demo import DEMO_SOURCE, DemoContext
from layers.demo import accessibility as demo
from layers.geometry import geometry_validate
from layers.models.accessibility import (
    AccessibleObject,
    Assessment,
    AssessmentAnswer,
    ChecklistCriterion,
)
from layers.models.base import Status
from layers.rules.accessibility import Category, ObjectGroup, TrafficLight
from layers.services.accessibility import accessible_object_derive, assessment_item
from layers.services.checklist import checklist_load

pytestmark = pytest.mark.django_db


def registered_admins() -> dict:
    """The accessibility ModelAdmins, as ``layers.admin.accessibility`` registers them."""
    from layers.admin import accessibility as module

    return {
        model: type(model_admin)
        for model, model_admin in admin.site._registry.items()
        if type(model_admin).__module__ == module.__name__
    }


LON, LAT = 26.9965, 49.4216  # the centre of Khmelnytskyi


def square(lon: float, lat: float, size: float = 0.0003) -> Polygon:
    return Polygon(
        ((lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat)),
        srid=4326,
    )


def new_object(**values) -> AccessibleObject:
    return AccessibleObject(
        name="Ліцей № 1",
        category=Category.EDUCATION,
        geom=Point(LON, LAT, srid=4326),
        **values,
    )


def saved_object(**values) -> AccessibleObject:
    obj = new_object(**values)
    obj.full_clean()
    obj.save()
    return obj


def test_an_object_with_a_footprint_inside_the_hromada_is_accepted():
    obj = new_object(footprint=MultiPolygon(square(LON, LAT), srid=4326), door_width_cm=90)

    obj.full_clean()
    obj.save()

    assert AccessibleObject.objects.get().footprint.num_geom == 1


@pytest.mark.parametrize(
    ("footprint", "message"),
    [
        (MultiPolygon(square(30.52, 50.45), srid=4326), "outside the hromada"),  # Kyiv
        (
            MultiPolygon(
                Polygon(
                    (
                        (LON, LAT),
                        (LON + 0.001, LAT + 0.001),
                        (LON + 0.001, LAT),
                        (LON, LAT + 0.001),
                        (LON, LAT),
                    ),
                    srid=4326,
                ),
                srid=4326,
            ),
            "not valid",
        ),  # a bow tie: self-intersecting
        (MultiPolygon(square(LON, 200), srid=4326), "not a longitude and latitude"),
        (MultiPolygon(square(1e300, LAT), srid=4326), "not a longitude and latitude"),
        (MultiPolygon(srid=4326), "empty"),
    ],
)
def test_a_bad_footprint_is_rejected_on_its_field_and_nothing_is_saved(footprint, message):
    obj = new_object()
    obj.footprint = footprint

    with pytest.raises(ValidationError) as caught:
        obj.full_clean()

    errors = caught.value.message_dict
    assert list(errors) == ["footprint"]
    assert message in errors["footprint"][0]
    assert AccessibleObject.objects.count() == 0


def test_a_point_outside_the_hromada_is_rejected():
    obj = new_object()
    obj.geom = Point(30.52, 50.45, srid=4326)

    with pytest.raises(ValidationError, match="outside the hromada"):
        obj.full_clean()
    assert AccessibleObject.objects.count() == 0


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"ramp_slope_percent": 150}, "between 0 and 100 percent"),
        ({"door_width_cm": 0}, "above 0 cm"),
        ({"lift_cabin_depth_cm": 0}, "above 0 cm"),
        ({"threshold_height_cm": 80}, "threshold up to 50 cm"),
        ({"floors": 0}, "at least one floor"),
        ({"award_year": 1995}, "start in 2021"),
        ({"microgrant_year": 3000}, "start in 2021"),
        ({"entrance_step_free": True, "entrance_steps_count": 2}, "cannot have steps"),
    ],
)
def test_implausible_attributes_are_rejected_with_a_clear_message(values, message):
    with pytest.raises(ValidationError) as caught:
        new_object(**values).full_clean()

    assert message in str(caught.value)


def test_derived_values_are_not_editable_in_forms():
    with pytest.raises(FieldError, match="non-editable"):
        modelform_factory(AccessibleObject, fields=["name", "traffic_light"])
    derived = ("traffic_light", "wheelchair", "low_vision", "hearing", "stroller")
    for name in derived:
        assert AccessibleObject._meta.get_field(name).editable is False
    assert Assessment._meta.get_field("status").editable is False


def test_refresh_rating_derives_and_stores_the_profile_answers():
    obj = saved_object(entrance_step_free=True, door_width_cm=95, hearing_loop=False)
    assert obj.traffic_light == TrafficLight.GREY  # nothing derived yet

    accessible_object_derive(obj)
    obj.save()

    stored = AccessibleObject.objects.get(pk=obj.pk)
    assert (stored.traffic_light, stored.wheelchair) == ("green", "yes")
    assert (stored.hearing, stored.low_vision, stored.stroller) == ("no", "unknown", "yes")
    assert stored.version == 1


@pytest.fixture
def checklist():
    return checklist_load().template


def building_criteria(template):
    return list(
        ChecklistCriterion.objects.filter(
            section__template=template, section__object_group=ObjectGroup.BUILDINGS
        )
    )


def _record(obj, **item) -> None:
    """Record a year's checklist of ``obj`` through the editing services, as its editor."""
    from django.contrib.auth import get_user_model

    from layers.editing import services
    from layers.editing.models import Role
    from layers.editing.parts import parts_read
    from layers.registry import registry_get

    registry = registry_get("accessibility")
    editor, _new = get_user_model().objects.get_or_create(username="assessor")
    services.role_grant(user=editor, registry=registry, role=Role.EDITOR)
    obj.refresh_from_db()
    new = assessment_item(obj=obj, **item)
    kept = [i for i in parts_read(registry, obj)["assessments"] if i["year"] != new["year"]]
    services.record_update(
        registry=registry,
        record=obj,
        user=editor,
        values={},
        parts={"assessments": [*kept, new]},
        base_version=obj.version,
    )


def test_recording_an_assessment_derives_its_status_and_the_traffic_light(checklist):
    obj = saved_object(entrance_step_free=True)  # the attributes alone would say green
    criteria = building_criteria(checklist)
    answers = {c: "yes" for c in criteria} | {criteria[0]: "no"}

    _record(
        obj,
        year=2025,
        template=checklist,
        answers=answers,
        assessed_on=datetime.date(2025, 7, 1),
    )

    assessment = Assessment.objects.get()
    assert assessment.status == "not_barrier_free"
    assert assessment.answers.count() == len(criteria)
    obj.refresh_from_db()
    assert obj.traffic_light == TrafficLight.RED  # the official assessment decides

    # Recording the same year again replaces it; the newest year decides the colour.
    _record(
        obj,
        year=2025,
        template=checklist,
        answers={c: "yes" for c in criteria},
        assessed_on=datetime.date(2025, 8, 1),
    )
    assert Assessment.objects.get().status == "barrier_free"
    obj.refresh_from_db()
    assert obj.traffic_light == TrafficLight.GREEN


@pytest.mark.parametrize(
    "problem", ["missing", "foreign", "all_not_applicable", "wrong_year", "bad_answer"]
)
def test_a_bad_checklist_is_refused_and_nothing_is_saved(checklist, problem):
    obj = saved_object()
    criteria = building_criteria(checklist)
    answers = {c: "yes" for c in criteria}
    assessed_on = datetime.date(2025, 7, 1)
    if problem == "missing":
        answers.pop(criteria[0])
    elif problem == "foreign":
        stop = ChecklistCriterion.objects.filter(
            section__object_group=ObjectGroup.TRANSPORT_STOPS
        ).first()
        answers[stop] = "yes"
    elif problem == "all_not_applicable":
        answers = {c: "not_applicable" for c in criteria}
    elif problem == "bad_answer":
        answers[criteria[0]] = "maybe"
    else:
        assessed_on = datetime.date(2024, 7, 1)

    with pytest.raises(ValidationError):
        _record(obj, year=2025, template=checklist, answers=answers, assessed_on=assessed_on)

    assert Assessment.objects.count() == 0
    assert AssessmentAnswer.objects.count() == 0
    assert AccessibleObject.objects.get().traffic_light == TrafficLight.GREY


def snapshot():
    objects = list(AccessibleObject.objects.order_by("public_id").values())
    assessments = list(Assessment.objects.order_by("accessible_object__public_id", "year").values())
    answers = list(
        AssessmentAnswer.objects.order_by("assessment_id", "criterion_id").values_list(
            "assessment_id", "criterion_id", "answer"
        )
    )
    return objects, assessments, answers


def test_demo_generation_is_deterministic_and_idempotent():
    ctx = DemoContext(counts={"accessible_objects": 40})

    counts = demo.generate(ctx)
    first = snapshot()
    again = demo.generate(DemoContext(counts={"accessible_objects": 40}))

    assert counts == again
    assert counts["accessible_objects"] == 40
    assert counts["assessments"] > 0 and counts["assessment_answers"] > 0
    assert snapshot() == first


def test_demo_objects_are_plausible_and_marked_as_demo():
    demo.generate(DemoContext(counts={"accessible_objects": 40}))

    objects = list(AccessibleObject.objects.all())
    assert {o.source for o in objects} == {DEMO_SOURCE}
    statuses = [o.status for o in objects]
    assert statuses.count(Status.DRAFT) >= 1
    assert statuses.count(Status.PUBLISHED) >= 35
    assert all(o.address.startswith("м. Хмельницький, ") for o in objects)
    for obj in objects:
        geometry_validate(obj.geom, types=("Point",))
        if obj.footprint is not None:
            geometry_validate(obj.footprint, types=("MultiPolygon",))
            assert obj.footprint.contains(obj.geom)
        obj.full_clean()  # every constraint and validator holds
    # The stored rating is what the service derives.
    for obj in objects:
        before = obj.traffic_light, obj.wheelchair, obj.low_vision, obj.hearing, obj.stroller
        accessible_object_derive(obj)
        assert (obj.traffic_light, obj.wheelchair, obj.low_vision, obj.hearing, obj.stroller) == (
            before
        )
    assert len({o.traffic_light for o in objects}) >= 3
    for assessment in Assessment.objects.all():
        assert assessment.assessed_on.year == assessment.year
        assert 6 <= assessment.assessed_on.month <= 8  # the monitoring runs June to August


# The admin is wired into the project's site by the integrator; here it is mounted on a site
# of its own so that its pages can be checked in isolation.
admin_site = AdminSite(name="a11y_admin_test")
for model, model_admin in registered_admins().items():
    admin_site.register(model, model_admin)
urlpatterns = [path("a11y-admin/", admin_site.urls)]


@pytest.mark.urls(__name__)
def test_admin_pages_render_with_a_map_widget(admin_client):
    demo.generate(DemoContext(counts={"accessible_objects": 5}))
    obj = AccessibleObject.objects.first()
    assessment = Assessment.objects.first()

    pages = [
        "/a11y-admin/layers/accessibleobject/",
        "/a11y-admin/layers/accessibleobject/?traffic_light__exact=green&q=Хмельницький",
        "/a11y-admin/layers/accessibleobject/add/",
        f"/a11y-admin/layers/accessibleobject/{obj.pk}/change/",
        "/a11y-admin/layers/assessment/",
        "/a11y-admin/layers/checklisttemplate/",
        "/a11y-admin/layers/checklistsection/",
        "/a11y-admin/layers/checklistcriterion/",
    ]
    if assessment:
        pages.append(f"/a11y-admin/layers/assessment/{assessment.pk}/change/")
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    html = admin_client.get(f"/a11y-admin/layers/accessibleobject/{obj.pk}/change/").content
    assert b"leaflet" in html.lower()
