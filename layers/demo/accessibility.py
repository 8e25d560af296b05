"""Demo content of the accessibility registry: objects that serve the public in Khmelnytskyi,
their attributes (with the unknowns a real survey leaves), and yearly assessments made with
the seeded official checklist.

Names are generic ("Ліцей № 12", "Кав'ярня «Ранок»"), never real businesses, so that the demo
cannot be read as a claim about a real place; streets are real. Years are fixed (up to
``LATEST_YEAR``) rather than taken from the clock, so the output never changes.
"""

# Ukrainian names and addresses are the point of this module.

import datetime
import random
from decimal import Decimal

from django.contrib.gis.geos import MultiPolygon

from layers.demo import DEMO_SOURCE, DemoContext
from layers.geometry import geometry_validate
from layers.models.accessibility import (
    AccessibleObject,
    Assessment,
    AssessmentAnswer,
    ChecklistCriterion,
)
from layers.models.base import WORKFLOW_FIELDS, Status
from layers.rules.accessibility import (
    Answer,
    Category,
    NotAssessable,
    ObjectGroup,
    assessment_status,
    category_object_group,
)
from layers.services.accessibility import accessible_object_rating
from layers.services.checklist import checklist_load, checklist_seed_template

LATEST_YEAR = 2025

STREETS = (
    "вул. Проскурівська",
    "вул. Кам'янецька",
    "вул. Свободи",
    "просп. Миру",
    "вул. Зарічанська",
    "вул. Героїв Майдану",
    "вул. Подільська",
    "вул. Грушевського",
    "вул. Соборна",
    "вул. Шевченка",
    "вул. Інститутська",
    "вул. Володимирська",
    "вул. Тернопільська",
    "Львівське шосе",
    "Старокостянтинівське шосе",
)

# (category, weight, name patterns); "{n}" is a number, "{street}" a street without its type.
CATEGORIES = (
    (
        Category.SHOP,
        20,
        (
            "Магазин «Продукти»",
            "Супермаркет",
            "Книгарня",
            "Квіткова крамниця",
            "Магазин господарчих товарів",
            "Магазин одягу",
            "Магазин побутової техніки",
        ),
    ),
    (
        Category.CAFE,
        13,
        (
            "Кав'ярня «Ранок»",
            "Кав'ярня «Зерно»",
            "Піцерія",
            "Ресторан «Поділля»",
            "Їдальня",
            "Пекарня-кафе",
        ),
    ),
    (Category.PHARMACY, 8, ("Аптека № {n}", "Аптечний пункт")),
    (
        Category.HEALTH_CARE,
        8,
        (
            "Амбулаторія сімейної медицини № {n}",
            "Міська поліклініка № {n}",
            "Стоматологічна клініка",
            "Центр первинної медичної допомоги № {n}",
            "Консультативно-діагностичний центр",
        ),
    ),
    (
        Category.EDUCATION,
        10,
        (
            "Ліцей № {n}",
            "Гімназія № {n}",
            "Заклад дошкільної освіти № {n}",
            "Спеціалізована школа № {n}",
            "Центр позашкільної освіти",
        ),
    ),
    (
        Category.CULTURE,
        5,
        (
            "Бібліотека-філія № {n}",
            "Будинок культури",
            "Музей",
            "Кінотеатр",
            "Школа мистецтв № {n}",
        ),
    ),
    (Category.SPORT, 4, ("Спортивний комплекс", "Басейн", "ДЮСШ № {n}", "Фітнес-клуб")),
    (
        Category.SOCIAL_SERVICES,
        3,
        (
            "Територіальний центр соціального обслуговування",
            "Центр комплексної реабілітації",
            "Центр соціальних служб",
        ),
    ),
    (
        Category.ADMINISTRATIVE_SERVICES,
        3,
        (
            "Центр надання адміністративних послуг",
            "ЦНАП: віддалене робоче місце № {n}",
            "Сервісний центр",
        ),
    ),
    (Category.BANK, 6, ("Відділення банку", "Відділення банку № {n}")),
    (Category.POST, 3, ("Відділення поштового зв'язку № {n}",)),
    (Category.HOTEL, 2, ("Готель «Проскурів»", "Хостел", "Готель «Поділля»")),
    (Category.TRANSPORT_STOP, 9, ("Зупинка «{street}»", "Зупинка «{street}, {n}»")),
    (Category.TRANSPORT_HUB, 1, ("Приміська залізнична станція", "Залізнична платформа")),
    (Category.PARK, 3, ("Сквер на {street}", "Парк відпочинку", "Дитячий майданчик")),
    (Category.OTHER, 2, ("Нотаріальна контора", "Перукарня", "Копі-центр")),
)

# Who owns what: public services belong to the city's departments, the rest is private.
OWNERS = {
    Category.HEALTH_CARE: "Управління охорони здоров'я Хмельницької міської ради",
    Category.EDUCATION: "Департамент освіти та науки Хмельницької міської ради",
    Category.CULTURE: "Управління культури і туризму Хмельницької міської ради",
    Category.SPORT: "Управління молоді та спорту Хмельницької міської ради",
    Category.SOCIAL_SERVICES: "Департамент соціального захисту населення",
    Category.ADMINISTRATIVE_SERVICES: "Хмельницька міська рада",
    Category.TRANSPORT_STOP: "КП «Хмельницькелектротранс»",
    Category.PARK: "КП по зеленому будівництву і благоустрою міста",
    Category.TRANSPORT_HUB: "Регіональна філія «Південно-Західна залізниця»",
    Category.POST: "АТ «Укрпошта»",
    Category.BANK: "Банківська установа (акціонерне товариство)",
}
PRIVATE_OWNERS = (
    "ФОП Коваленко О. М.",
    "ФОП Мельник І. В.",
    "ТОВ «Поділля-Сервіс»",
    "ТОВ «Проскурів-Трейд»",
    "ФОП Бондар Н. П.",
    "ПП «Хмельницький дім»",
)
# The city's programmes are for small businesses.
BUSINESSES = {Category.SHOP, Category.CAFE, Category.PHARMACY, Category.HOTEL, Category.OTHER}
# Public services are assessed more often (the procedure obliges their managers).
ASSESSED_SHARE = {True: 0.75, False: 0.35}


def _maybe(rng: random.Random, known: float, value):
    """``value`` when surveyed, else None: real surveys leave gaps."""
    return value if rng.random() < known else None


def _decimal(value: float) -> Decimal:
    return Decimal(f"{value:.1f}")


def _attributes(rng: random.Random, category: str, quality: float) -> dict:
    """Descriptive attributes of one object; ``quality`` (0–1) is how well it is adapted."""
    group = category_object_group(category)
    if group != ObjectGroup.BUILDINGS and category != Category.TRANSPORT_HUB:
        # Stops and parks: an outdoor place, reached at street level or not.
        return {
            "entrance_step_free": _maybe(rng, 0.85, rng.random() < 0.4 + 0.5 * quality),
            "tactile_guidance": _maybe(rng, 0.7, rng.random() < quality * 0.6),
            "braille_signs": _maybe(rng, 0.6, rng.random() < quality * 0.3),
        }
    floors = rng.choices((1, 2, 3, 4, 5, 9), weights=(30, 25, 20, 10, 10, 5))[0]
    a: dict = {"floors": _maybe(rng, 0.9, floors)}
    step_free = rng.random() < 0.15 + 0.6 * quality
    a["entrance_step_free"] = _maybe(rng, 0.85, step_free)
    if not step_free:
        single_low = rng.random() < 0.2
        a["entrance_steps_count"] = _maybe(rng, 0.8, 1 if single_low else rng.randint(1, 7))
        height = rng.uniform(3, 7) if single_low else rng.uniform(12, 18)
        a["entrance_step_height_cm"] = _maybe(rng, 0.6, _decimal(height))
        ramp = rng.random() < 0.2 + 0.7 * quality
        a["ramp_present"] = _maybe(rng, 0.9, ramp)
        if ramp:
            a["ramp_slope_percent"] = _maybe(rng, 0.7, _decimal(rng.uniform(4, 16)))
        a["call_button"] = _maybe(rng, 0.6, rng.random() < 0.6 * quality)
    widths = (70, 75, 80, 85, 90, 100, 120, 140)
    a["door_width_cm"] = _maybe(rng, 0.7, widths[min(7, int(rng.random() * 4 + quality * 5))])
    a["threshold_height_cm"] = _maybe(
        rng, 0.6, _decimal(rng.choice((0, 1, 2, 2, 3, 5)) * (1.2 - quality))
    )
    a["door_automatic"] = _maybe(rng, 0.7, rng.random() < 0.1 + 0.4 * quality)
    if floors >= 2:
        lift = rng.random() < (0.9 if floors >= 5 else 0.15 + 0.4 * quality)
        a["lift_present"] = _maybe(rng, 0.85, lift)
        if lift:
            a["lift_cabin_width_cm"] = _maybe(rng, 0.6, rng.choice((80, 100, 110, 110, 120)))
            a["lift_cabin_depth_cm"] = _maybe(rng, 0.6, rng.choice((120, 140, 150, 210)))
            a["lift_working"] = _maybe(rng, 0.8, rng.random() < 0.9)
    else:
        a["lift_present"] = False
    a["toilet_accessible"] = _maybe(rng, 0.6, rng.random() < 0.7 * quality)
    a["parking_disabled_spaces"] = _maybe(rng, 0.5, rng.choice((0, 0, 1, 1, 2, 3)))
    a["tactile_guidance"] = _maybe(rng, 0.6, rng.random() < 0.5 * quality)
    a["braille_signs"] = _maybe(rng, 0.6, rng.random() < 0.5 * quality)
    a["hearing_loop"] = _maybe(rng, 0.55, rng.random() < 0.25 * quality)
    a["staff_trained"] = _maybe(rng, 0.65, rng.random() < 0.3 + 0.5 * quality)
    if category in BUSINESSES:
        if rng.random() < 0.1:
            a["microgrant_year"] = rng.randint(2022, LATEST_YEAR)
        if rng.random() < 0.05 + 0.1 * quality:
            a["award_year"] = rng.randint(2023, LATEST_YEAR)
    return a


def _identity(rng: random.Random, ctx: DemoContext, i: int) -> dict:
    category, _weight, patterns = rng.choices(CATEGORIES, weights=[c[1] for c in CATEGORIES])[0]
    street = rng.choice(STREETS)
    bare_street = street.split(". ", 1)[-1]
    name = rng.choice(patterns).format(n=rng.randint(1, 40), street=bare_street)
    owner = OWNERS.get(category) or rng.choice(PRIVATE_OWNERS)
    phone = f"+380 382 {rng.randint(60, 79)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    return {
        "public_id": ctx.public_id("accessibility", i),
        "category": category,
        "name": name,
        "address": f"м. Хмельницький, {street}, {rng.randint(1, 160)}",
        "owner": owner,
        "phone": _maybe(rng, 0.7, phone) or "",
        "email": f"object{i}@example.org" if rng.random() < 0.3 else "",
        "source": DEMO_SOURCE,
        # A handful of records are still being prepared by the editors.
        "status": Status.DRAFT if i % 40 == 13 else Status.PUBLISHED,
        "verified_on": datetime.date(LATEST_YEAR, 1, 1)
        - datetime.timedelta(days=rng.randint(0, 900)),
    }


def _geometries(rng: random.Random, ctx: DemoContext, category: str) -> dict:
    point_m = ctx.random_point_m(rng)
    geom = geometry_validate(ctx.to_wgs84(point_m), types=("Point",))
    footprint = None
    is_building = category_object_group(category) == ObjectGroup.BUILDINGS
    if is_building and rng.random() < 0.35:
        blob = ctx.blob_m(rng, point_m, rng.uniform(8, 30), vertices=8)
        if ctx.inside(blob):
            polygon = geometry_validate(ctx.to_wgs84(blob), types=("Polygon",))
            footprint = MultiPolygon(polygon, srid=4326)
    return {"geom": geom, "footprint": footprint}


def _assessments(rng, category, quality, criteria) -> list[tuple[int, datetime.date, dict]]:
    """Yearly checklists for 1–3 of the last years; objects improve a little each year."""
    public = category not in BUSINESSES and category != Category.BANK
    if not criteria or rng.random() >= ASSESSED_SHARE[public]:
        return []
    years = range(LATEST_YEAR - rng.randint(0, 2), LATEST_YEAR + 1)
    result = []
    for year in years:
        p_yes = min(0.97, 0.35 + 0.6 * quality + 0.05 * (year - LATEST_YEAR + 2))
        answers = {}
        for criterion in criteria:
            draw = rng.random()
            if draw < 0.08:
                answers[criterion] = Answer.NOT_APPLICABLE
            else:
                answers[criterion] = Answer.YES if rng.random() < p_yes else Answer.NO
        assessed_on = datetime.date(year, 6, 1) + datetime.timedelta(days=rng.randint(0, 91))
        result.append((year, assessed_on, answers))
    return result


def generate(ctx: DemoContext) -> dict[str, int]:
    template = checklist_seed_template() or checklist_load().template
    criteria_by_group: dict[str, list[ChecklistCriterion]] = {}
    for criterion in (
        ChecklistCriterion.objects.filter(section__template=template)
        .select_related("section")
        .order_by("section__order", "order", "code")
    ):
        criteria_by_group.setdefault(criterion.section.object_group, []).append(criterion)

    rng = ctx.rng_for("accessibility")
    objects, plans = [], []
    for i in range(ctx.counts.get("accessible_objects", 400)):
        identity = _identity(rng, ctx, i)
        category = identity["category"]
        quality = rng.betavariate(2, 2.5)
        obj = AccessibleObject(
            **identity, **_geometries(rng, ctx, category), **_attributes(rng, category, quality)
        )
        plan = []
        criteria = criteria_by_group.get(obj.object_group, [])
        for year, assessed_on, answers in _assessments(rng, category, quality, criteria):
            pairs = [(answer, c.criticality) for c, answer in answers.items()]
            try:
                status = assessment_status(pairs)
            except NotAssessable:
                continue  # every criterion "not applicable": no assessment that year
            plan.append((year, assessed_on, answers, status))
        latest = plan[-1][3] if plan else None
        for name, value in accessible_object_rating(obj=obj, latest_status=latest).items():
            setattr(obj, name, value)
        obj.last_assessed_on = plan[-1][1] if plan else None
        objects.append(obj)
        plans.append(plan)

    # Upsert on the public id; timestamps, version and authorship stay as first written.
    keep = {"id", *WORKFLOW_FIELDS} - {"status"}
    update_fields = [f.name for f in AccessibleObject._meta.concrete_fields if f.name not in keep]
    AccessibleObject.objects.bulk_create(
        objects, update_conflicts=True, unique_fields=["public_id"], update_fields=update_fields
    )

    assessments, answer_sets = [], []
    for obj, plan in zip(objects, plans, strict=True):
        for year, assessed_on, answers, status in plan:
            assessments.append(
                Assessment(
                    accessible_object=obj,
                    year=year,
                    template=template,
                    assessed_on=assessed_on,
                    assessed_by="Відповідальна особа управителя об'єкта",
                    status=status,
                )
            )
            answer_sets.append(answers)
    Assessment.objects.bulk_create(
        assessments,
        update_conflicts=True,
        unique_fields=["accessible_object", "year"],
        update_fields=["template", "assessed_on", "assessed_by", "status"],
    )
    rows = [
        AssessmentAnswer(assessment=assessment, criterion=criterion, answer=answer)
        for assessment, answers in zip(assessments, answer_sets, strict=True)
        for criterion, answer in answers.items()
    ]
    AssessmentAnswer.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["assessment", "criterion"],
        update_fields=["answer"],
        batch_size=2000,
    )
    return {
        "accessible_objects": len(objects),
        "assessments": len(assessments),
        "assessment_answers": len(rows),
    }
