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
    if not registry.is_builtin:
        kind = registry.geometry_types[0]
        return Point(*CENTRE, srid=4326) if kind == "Point" else Polygon(SQUARE, srid=4326)
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
    if not registry.is_builtin:
        return {"values": sample_values()} if registry.id == SAMPLE_ID else {}
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
    return registry.new_record(**values)


def published_record(registry: Registry, *, status: str = "published", **overrides):
    """A valid record of the registry saved in ``status`` (published by default) directly,
    not through the workflow: for tests of what reads records (pages, tiles, OGC, stamps)."""
    record = make_record(registry, **overrides)
    record.status = status
    record.save()
    return record


def registry_resolve(registry_id: str, request=None) -> Registry:
    """The registry of a parametrised test: the sample data-defined one is created first."""
    from layers.registry import registry_get

    if registry_id == SAMPLE_ID:
        sample_definition_create()
    return registry_get(registry_id)


def registry_ids() -> tuple[str, ...]:
    """The built-in registries and the sample registry defined as data."""
    from layers.registry import BUILTIN_REGISTRIES

    return (*[r.id for r in BUILTIN_REGISTRIES], SAMPLE_ID)


# --- A registry defined as data, with one field of every type -----------------------------

SAMPLE_ID = "test-playgrounds"
STAFF_ONLY = ("phone", "email", "inspector_note")


def sample_definition_create():
    """The data-defined registry the parametrised tests cover besides the built-in ones:
    one field of every type, three of them staff-only, made through the services."""
    from layers.datasets import services
    from layers.models import ChoiceItem, ChoiceList, FieldDefinition, RegistryDefinition

    existing = RegistryDefinition.objects.filter(slug=SAMPLE_ID).first()
    if existing is not None:
        return existing
    surface = services.choice_list_save(
        choice_list=ChoiceList(slug="test-surface", title_uk="Покриття", title_en="Surface")
    )
    ages = services.choice_list_save(
        choice_list=ChoiceList(slug="test-ages", title_uk="Вік", title_en="Ages")
    )
    for choice_list, values in ((surface, ("rubber", "sand", "grass")), (ages, ("a0_3", "a3_7"))):
        for order, value in enumerate(values):
            services.choice_item_save(
                item=ChoiceItem(
                    choice_list=choice_list,
                    value=value,
                    label_uk=f"{value} (uk)",
                    label_en=value.replace("_", "–").lstrip("a"),
                    order=order,
                )
            )
    definition = services.definition_save(
        definition=RegistryDefinition(
            slug=SAMPLE_ID,
            title_uk="Тестові майданчики",
            title_en="Test playgrounds",
            geometry_kind="point",
            style_field="surface",
            is_public=True,
            shown_by_default=True,
        )
    )
    fields = [
        dict(name="title", type="text", required=True, max_length=80, in_popup=True),
        dict(name="description", type="long_text"),
        dict(name="equipment", type="integer", min_value=0, max_value=500),
        dict(name="area", type="decimal", decimal_places=1, min_value=0, unit="m²"),
        dict(name="fenced", type="boolean"),
        dict(name="opened_on", type="date"),
        dict(name="surface", type="choice", choice_list=surface, required=True, in_popup=True),
        dict(name="ages", type="multiple_choice", choice_list=ages),
        dict(name="website", type="url"),
        dict(name="phone", type="phone", is_public=False),
        dict(name="email", type="email", is_public=False),
        dict(name="inspector_note", type="text", is_public=False),
        dict(name="nearest_tree", type="reference", reference_registry="trees"),
    ]
    for order, spec in enumerate(fields):
        services.field_save(
            field=FieldDefinition(
                registry=definition,
                label_uk=spec["name"].replace("_", " ") + " (uk)",
                label_en=spec["name"].replace("_", " "),
                order=order,
                **spec,
            )
        )
    return definition


def sample_values(**overrides) -> dict:
    """Stored values of a valid record of the sample registry (keys are the field names)."""
    return {"title": "Майданчик", "surface": "rubber", **overrides}


# --- Parts of records ---------------------------------------------------------------------


def tiny_jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, "JPEG")
    return out.getvalue()


def part_item(registry: Registry, part_name: str, record, user, n: int = 1) -> dict:
    """A valid new item of a part of ``record`` (saved), the ``n``-th of its kind; what an
    editor would add. A photo is uploaded (staged) first, as the editor's page does."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    if part_name == "containers":
        return {"fraction": "glass", "count": n, "volume_l": 1100, "collection_days": [1, 4]}
    if part_name == "events":
        return {
            "occurred_on": datetime.date(2026, 5, n).isoformat(),
            "kind": "inspection",
            "act_number": f"A-{n}",
            "description": "Огляд після бурі",
        }
    if part_name == "assessments":
        from layers.models.accessibility import ChecklistCriterion
        from layers.services.checklist import checklist_load

        template = checklist_load().template
        criteria = ChecklistCriterion.objects.filter(
            section__template=template, section__object_group=record.object_group
        ).values_list("pk", flat=True)
        return {
            "year": 2020 + n,
            "template": template.pk,
            "assessed_on": datetime.date(2020 + n, 7, 1).isoformat(),
            "assessed_by": "Комісія",
            "answers": {str(pk): "no" if i == 0 else "yes" for i, pk in enumerate(criteria)},
        }
    if part_name == "photos":
        from layers.services.photos import photo_add

        photo = photo_add(
            record=record,
            file=SimpleUploadedFile(f"p{n}.jpg", tiny_jpeg(), content_type="image/jpeg"),
            alt_text=f"Вигляд {n}",
            user=user,
        )
        return {
            "id": photo.pk,
            "position": n,
            "alt_text": photo.alt_text,
            "caption": "",
            "author": "",
            "licence": photo.licence,
        }
    if part_name == "heritage_objects":
        from layers.registry import registry_get

        heritage = published_record(registry_get("heritage"), name=f"Пам'ятка {n}")
        return {"public_id": str(heritage.public_id)}
    raise KeyError(part_name)


def registry_parts() -> list[tuple[str, str]]:
    """(registry id, part name) for every part every built-in registry declares, and the
    photos of the sample registry defined as data (every data-defined registry has them)."""
    from layers.registry import BUILTIN_REGISTRIES

    builtin = [(r.id, part.name) for r in BUILTIN_REGISTRIES for part in r.parts]
    return [*builtin, (SAMPLE_ID, "photos")]


def assessment_record(
    obj, *, year: int, fail: int = 0, assessed_on=None, assessed_by: str = "Комісія"
):
    """A complete checklist of ``obj`` for ``year`` saved directly — every criterion of its
    group "yes" but the first ``fail`` ones "no" — and the object's derived values (status,
    rating, date of last assessment) brought up to date: for tests of what reads
    assessments (record pages, cards, map filters), not of how they are written."""
    import datetime

    from layers.models.accessibility import (
        Assessment,
        AssessmentAnswer,
        ChecklistCriterion,
        ChecklistTemplate,
    )
    from layers.services.accessibility import accessible_object_derive, assessment_status_of
    from layers.services.checklist import checklist_load

    template = ChecklistTemplate.objects.first() or checklist_load().template
    criteria = ChecklistCriterion.objects.filter(
        section__template=template, section__object_group=obj.object_group
    )
    answers = {c: "no" if i < fail else "yes" for i, c in enumerate(criteria)}
    assessment = Assessment.objects.create(
        accessible_object=obj,
        year=year,
        template=template,
        assessed_on=assessed_on or datetime.date(year, 7, 1),
        assessed_by=assessed_by,
        status=assessment_status_of([(a, c.criticality) for c, a in answers.items()]),
    )
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(assessment=assessment, criterion=c, answer=a) for c, a in answers.items()
    )
    accessible_object_derive(obj)
    obj.save()
    return assessment
