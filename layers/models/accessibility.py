"""The accessibility registry: objects that serve the public, their descriptive accessibility
attributes (modelled on A11yJSON), the official checklist templates and the yearly
assessments made with them.

Derived values (assessment status, traffic light, per-profile answers) are stored for fast
maps and filters but never edited: ``layers.services.accessibility`` computes them with the
rules in ``layers.rules.accessibility``.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from layers.geometry import geometry_validate
from layers.models.base import RegistryRecord
from layers.models.boundary import geometry_inside_hromada
from layers.rules.accessibility import (
    Answer,
    AssessmentStatus,
    Category,
    Criticality,
    Evidence,
    ObjectGroup,
    ProfileAnswer,
    TrafficLight,
    category_object_group,
)
from layers.weburls import web_url_validate

# The monitoring procedure dates from 2021; the city's programmes are newer still.
FIRST_YEAR = 2021
LAST_YEAR = 2100


def _optional_range(field: str, low=None, high=None, *, low_strict: bool = False) -> Q:
    condition = Q()
    if low is not None:
        condition &= Q(**{f"{field}__gt" if low_strict else f"{field}__gte": low})
    if high is not None:
        condition &= Q(**{f"{field}__lte": high})
    return Q(**{f"{field}__isnull": True}) | condition


class DatabaseCheckConstraint(models.CheckConstraint):
    """A check that only the database enforces. For the optional footprint ``clean()`` has
    already run the geometry validator, and Django cannot evaluate a spatial lookup on an
    empty (NULL) geometry in Python."""

    def validate(self, model, instance, exclude=None, using=None):
        return None


def _yes_no(verbose_name, help_text=""):
    # Nullable on purpose: "not surveyed" must never read as "no".
    return models.BooleanField(verbose_name, null=True, blank=True, help_text=help_text)


def _derived_answer(verbose_name):
    return models.CharField(
        verbose_name,
        max_length=8,
        choices=ProfileAnswer.choices,
        default=ProfileAnswer.UNKNOWN,
        editable=False,
        db_index=True,
    )


class AccessibleObject(RegistryRecord):
    """A building or place that serves the public, described for barrier-free access: what
    a visitor with a wheelchair, a stroller, low vision or hearing loss finds on arrival."""

    GEOMETRY_TYPES = ("Point",)

    geom = models.PointField(_("location"), srid=4326)
    footprint = models.MultiPolygonField(
        _("footprint"), srid=4326, null=True, blank=True, help_text=_("The building outline.")
    )
    category = models.CharField(
        _("category"), max_length=32, choices=Category.choices, default=Category.OTHER
    )
    owner = models.CharField(
        _("owner or balance holder"),
        max_length=300,
        blank=True,
        help_text=_("Who manages the object and answers for its accessibility."),
    )
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    website = models.URLField(_("website"), blank=True, validators=[web_url_validate])
    floors = models.PositiveSmallIntegerField(_("number of floors"), null=True, blank=True)

    # Entrance (A11yJSON Entrance, Door, Stairs).
    entrance_step_free = _yes_no(
        _("step-free entrance"), _("No steps and no ramp needed (A11yJSON isLevel).")
    )
    entrance_steps_count = models.PositiveSmallIntegerField(
        _("number of steps at the entrance"), null=True, blank=True
    )
    entrance_step_height_cm = models.DecimalField(
        _("step height, cm"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    ramp_present = _yes_no(_("ramp at the entrance"))
    ramp_slope_percent = models.DecimalField(
        _("ramp slope, %"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    door_width_cm = models.PositiveSmallIntegerField(
        _("door clear width, cm"), null=True, blank=True
    )
    threshold_height_cm = models.DecimalField(
        _("threshold height, cm"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    door_automatic = _yes_no(_("automatic door"))
    call_button = _yes_no(_("call button"), _("A button to call staff for assistance."))

    # Lift (A11yJSON EquipmentProperties).
    lift_present = _yes_no(_("lift"))
    lift_cabin_width_cm = models.PositiveSmallIntegerField(
        _("lift cabin width, cm"), null=True, blank=True
    )
    lift_cabin_depth_cm = models.PositiveSmallIntegerField(
        _("lift cabin depth, cm"), null=True, blank=True
    )
    lift_working = _yes_no(_("lift working"))

    # Services and orientation.
    toilet_accessible = _yes_no(_("accessible toilet"))
    parking_disabled_spaces = models.PositiveSmallIntegerField(
        _("parking spaces for people with disabilities"), null=True, blank=True
    )
    tactile_guidance = _yes_no(_("tactile guidance"), _("Tactile guide strips or paving."))
    braille_signs = _yes_no(_("Braille or tactile signs"))
    hearing_loop = _yes_no(_("hearing loop"), _("An induction loop for hearing aids."))
    staff_trained = _yes_no(_("trained staff"), _("Staff trained to assist visitors."))

    # City programmes.
    microgrant_year = models.PositiveSmallIntegerField(
        _("micro-grant programme year"),
        null=True,
        blank=True,
        help_text=_("The year the business joined the micro-grant programme for adaptation."),
    )
    award_year = models.PositiveSmallIntegerField(
        _("“Accessible business” award year"),
        null=True,
        blank=True,
        help_text=_(
            "The year the object won the city's “Accessible business” award; a change is "
            "reviewed like any other."
        ),
    )

    # The public rating: derived by layers.rules.accessibility, never typed.
    traffic_light = models.CharField(
        _("rating"),
        max_length=8,
        choices=TrafficLight.choices,
        default=TrafficLight.GREY,
        editable=False,
        db_index=True,
    )
    wheelchair = _derived_answer(_("wheelchair users"))
    low_vision = _derived_answer(_("blind or low-vision visitors"))
    hearing = _derived_answer(_("deaf or hard-of-hearing visitors"))
    stroller = _derived_answer(_("parents with strollers"))
    last_assessed_on = models.DateField(
        _("last assessed on"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("The date of the latest official assessment (derived)."),
    )

    class Meta(RegistryRecord.Meta):
        verbose_name = _("accessible object")
        verbose_name_plural = _("accessible objects")
        constraints = [
            *RegistryRecord.Meta.constraints,
            DatabaseCheckConstraint(
                condition=Q(footprint__isnull=True) | Q(footprint__isvalid=True),
                name="layers_accessibleobject_footprint_valid",
            ),
            models.CheckConstraint(
                condition=_optional_range("ramp_slope_percent", 0, 100),
                name="layers_accessibleobject_ramp_slope_range",
                violation_error_message=_("A ramp slope is between 0 and 100 percent."),
            ),
            models.CheckConstraint(
                condition=_optional_range("door_width_cm", 0, 500, low_strict=True)
                & _optional_range("lift_cabin_width_cm", 0, 1000, low_strict=True)
                & _optional_range("lift_cabin_depth_cm", 0, 1000, low_strict=True),
                name="layers_accessibleobject_widths_positive",
                violation_error_message=_("Door and lift cabin sizes must be above 0 cm."),
            ),
            models.CheckConstraint(
                condition=_optional_range("entrance_step_height_cm", 0, 100, low_strict=True)
                & _optional_range("threshold_height_cm", 0, 50),
                name="layers_accessibleobject_heights_range",
                violation_error_message=_(
                    "A step is up to 100 cm high and a threshold up to 50 cm."
                ),
            ),
            models.CheckConstraint(
                condition=_optional_range("floors", 1, 200),
                name="layers_accessibleobject_floors_range",
                violation_error_message=_("A building has at least one floor."),
            ),
            models.CheckConstraint(
                condition=_optional_range("microgrant_year", FIRST_YEAR, LAST_YEAR)
                & _optional_range("award_year", FIRST_YEAR, LAST_YEAR),
                name="layers_accessibleobject_years_range",
                violation_error_message=_("Programme and award years start in 2021."),
            ),
            models.CheckConstraint(
                condition=~Q(entrance_step_free=True, entrance_steps_count__gt=0),
                name="layers_accessibleobject_step_free_has_no_steps",
                violation_error_message=_("A step-free entrance cannot have steps."),
            ),
        ]

    @property
    def object_group(self) -> ObjectGroup:
        return category_object_group(self.category)

    def clean(self):
        super().clean()
        if self.footprint is None:
            return
        try:
            # The admin form has already made a drawn polygon a one-part multipolygon.
            self.footprint = geometry_inside_hromada(
                geometry_validate(self.footprint, types=("MultiPolygon",))
            )
        except ValidationError as exc:
            # Attached to the field so that the form shows it there and the database
            # constraints on the same field are not evaluated on a rejected geometry.
            raise ValidationError({"footprint": exc.error_list}) from None


def month_day(value: str, year: int):
    """``MM-DD`` as a date of ``year`` (ValueError if it is not a day of that year)."""
    import datetime

    month, day = (int(part) for part in value.split("-"))
    return datetime.date(year, month, day)


def month_day_validate(value: str) -> None:
    import re

    # 2001: not a leap year, so 02-29 is refused (it is no day of most years).
    try:
        valid = bool(re.fullmatch(r"\d\d-\d\d", value)) and month_day(value, 2001)
    except ValueError:
        valid = False
    if not valid:
        raise ValidationError(_("A day of the year as MM-DD, e.g. 06-01."), code="month_day")


class ChecklistTemplate(models.Model):
    """A version of the official barrier-free checklist (the "card" of the monitoring
    procedure), maintained as data because the law changes."""

    name = models.CharField(_("name"), max_length=300, unique=True)
    legal_basis = models.TextField(_("legal basis"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # The procedure's window for owners to fill the checklist, as month-day: a campaign of a
    # year takes its dates from its template unless staff set others.
    campaign_start = models.CharField(
        _("owners fill it from (MM-DD)"),
        max_length=5,
        default="06-01",
        validators=[month_day_validate],
        help_text=_("The day of the year the yearly campaign starts, e.g. 06-01."),
    )
    campaign_end = models.CharField(
        _("owners fill it until (MM-DD)"),
        max_length=5,
        default="08-31",
        validators=[month_day_validate],
        help_text=_("The deadline of the yearly campaign, e.g. 08-31."),
    )

    class Meta:
        ordering = ["-valid_from", "name"]
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="layers_checklisttemplate_validity_order",
                violation_error_message=_("A template cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistSection(models.Model):
    """A section of a checklist (access paths, entrance group, …) for one object group."""

    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("checklist template"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    code = models.CharField(_("code"), max_length=64)
    title = models.CharField(_("title"), max_length=500)
    object_group = models.CharField(
        _("object group"), max_length=32, choices=ObjectGroup.choices, db_index=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["template", "object_group", "order", "id"]
        verbose_name = _("checklist section")
        verbose_name_plural = _("checklist sections")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "code"], name="layers_checklistsection_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ChecklistCriterion(models.Model):
    """One criterion of a checklist section, answered yes / no / not applicable."""

    section = models.ForeignKey(
        ChecklistSection,
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    code = models.CharField(
        _("code"), max_length=64, help_text=_("A stable identifier, e.g. from the source data.")
    )
    text = models.TextField(_("criterion"))
    criticality = models.CharField(
        _("criticality"), max_length=8, choices=Criticality.choices, default=Criticality.HIGH
    )
    evidence = models.CharField(
        _("evidence"),
        max_length=16,
        choices=Evidence.choices,
        default=Evidence.ON_NO,
        help_text=_("When an owner's answer must carry a note or a photo."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["section", "order", "id"]
        verbose_name = _("checklist criterion")
        verbose_name_plural = _("checklist criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["section", "code"], name="layers_checklistcriterion_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else f"{self.text[:79]}…"


class Assessment(models.Model):
    """The yearly official assessment of one object with a checklist template; its status
    is derived from the answers."""

    accessible_object = models.ForeignKey(
        AccessibleObject,
        verbose_name=_("accessible object"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("checklist template"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.CharField(
        _("responsible person"), max_length=300, blank=True, help_text=_("Who filled it in.")
    )
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=AssessmentStatus.choices,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("Derived from the answers; empty until an applicable answer is given."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["accessible_object", "-year"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["accessible_object", "year"],
                name="layers_assessment_one_per_year",
                violation_error_message=_("This object already has an assessment for that year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="layers_assessment_year_range",
                violation_error_message=_("Assessments start in 2021."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.accessible_object} — {self.year}"

    def clean(self):
        super().clean()
        if self.assessed_on and self.year and self.assessed_on.year != self.year:
            raise ValidationError(
                {"assessed_on": _("The assessment date must fall in the assessed year.")}
            )


class AssessmentAnswer(models.Model):
    """The answer to one checklist criterion in one assessment."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    criterion = models.ForeignKey(
        ChecklistCriterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices)

    class Meta:
        ordering = ["assessment", "criterion__section__order", "criterion__order"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"],
                name="layers_assessmentanswer_one_per_criterion",
                violation_error_message=_("This criterion is already answered."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_answer_display()}"
