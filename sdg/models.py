"""The SDG monitoring model: settlements (the areas values are broken down by), indicators
(as data: texts, baseline, target and how the value is obtained), entered yearly values
(proposed and approved by two different people) and snapshots of computed values.

Writes go through ``sdg.services``; nothing hides in ``save()``.
"""

import pghistory
from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _english() -> bool:
    return (get_language() or "uk").startswith("en")


class Settlement(models.Model):
    """A settlement of the hromada (a village, or the city with the rest of the hromada) with
    its polygon and population: the areas indicators are broken down by, and where residents
    are placed for the population-based indicators."""

    key = models.CharField(
        _("key"), max_length=40, unique=True, help_text=_("The source's identifier.")
    )
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    koatuu = models.CharField(_("KOATUU code"), max_length=10, blank=True)
    katottg = models.CharField(_("KATOTTH code"), max_length=19, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    population_source = models.CharField(_("population source"), max_length=400, blank=True)
    geom = models.MultiPolygonField(_("polygon"), srid=4326)
    # The rest of the hromada (the city: the boundary minus the villages), whose counts are
    # the hromada's minus the other settlements' (sdg.compute); at most one.
    remainder = models.BooleanField(_("rest of the hromada"), default=False)
    source = models.CharField(_("source"), max_length=300)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["name_uk"]
        constraints = [
            models.UniqueConstraint(
                fields=["remainder"],
                condition=Q(remainder=True),
                name="sdg_settlement_one_remainder",
            ),
        ]

    def __str__(self) -> str:
        return self.name_uk

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_uk


class Direction(models.TextChoices):
    INCREASE = "increase", _("higher is better")
    DECREASE = "decrease", _("lower is better")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    ANNUAL = "annual", _("annual")


class IndicatorKind(models.TextChoices):
    COMPUTED = "computed", _("computed from the registries")
    ENTERED = "entered", _("entered yearly")


class Indicator(models.Model):
    """A localised SDG indicator. ``computation`` (for computed ones) says how the value is
    obtained from the registries' published records (``sdg.spec``); it is checked, filters
    included, whenever the indicator is saved. ``definition_version`` goes up whenever what
    defines the value changes, and every snapshot records the version it was computed by."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    goal = models.PositiveSmallIntegerField(
        _("goal"), validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    target = models.CharField(_("SDG target"), max_length=10, help_text=_("For example 11.7."))
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    definition_uk = models.TextField(_("definition (Ukrainian)"))
    definition_en = models.TextField(_("definition (English)"))
    unit_uk = models.CharField(_("unit (Ukrainian)"), max_length=60)
    unit_en = models.CharField(_("unit (English)"), max_length=60)
    responsible_uk = models.CharField(_("responsible body (Ukrainian)"), max_length=300)
    responsible_en = models.CharField(_("responsible body (English)"), max_length=300)
    source_uk = models.CharField(_("source (Ukrainian)"), max_length=400)
    source_en = models.CharField(_("source (English)"), max_length=400)
    method_uk = models.TextField(_("method (Ukrainian)"))
    method_en = models.TextField(_("method (English)"))
    frequency = models.CharField(
        _("update frequency"), max_length=12, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    baseline_value = models.FloatField(_("baseline value"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(
        _("target year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    direction = models.CharField(_("desired direction"), max_length=10, choices=Direction.choices)
    kind = models.CharField(_("how it is obtained"), max_length=10, choices=IndicatorKind.choices)
    computation = models.JSONField(_("computation"), default=dict, blank=True)
    # Whose staff propose and review the entered values: the roles of this registry decide
    # (``layers.editing.permissions.user_can``), as for any edit of that registry's records.
    review_registry = models.CharField(_("registry whose staff review"), max_length=40)
    definition_version = models.PositiveIntegerField(
        _("definition version"), default=1, editable=False
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["goal", "order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__gte=1, goal__lte=17), name="sdg_indicator_goal_range"
            ),
            models.CheckConstraint(
                condition=Q(target_year__isnull=True) | Q(target_value__isnull=False),
                name="sdg_indicator_target_has_value",
                violation_error_message=_("A target year needs a target value."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_uk}"

    def text(self, name: str) -> str:
        """A text field in the active language (``title``, ``unit``, ...)."""
        return getattr(self, f"{name}_en" if _english() else f"{name}_uk")

    @property
    def title(self) -> str:
        return self.text("title")

    @property
    def unit(self) -> str:
        return self.text("unit")

    @property
    def definition(self) -> str:
        return self.text("definition")

    @property
    def method(self) -> str:
        return self.text("method")

    @property
    def source(self) -> str:
        return self.text("source")

    @property
    def responsible(self) -> str:
        return self.text("responsible")

    @property
    def is_computed(self) -> bool:
        return self.kind == IndicatorKind.COMPUTED

    def clean(self):
        from sdg.spec import computation_check

        super().clean()
        computation_check(self)


class ValueState(models.TextChoices):
    PROPOSED = "proposed", _("waiting for review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    obj_field=pghistory.ObjForeignKey(related_name="history"),
    model_name="EnteredValueHistory",
)
class EnteredValue(models.Model):
    """One yearly value of an entered indicator, with its source: proposed by one person,
    published only when another approves it (four eyes). Database triggers keep its history."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    value = models.FloatField(_("value"))
    source = models.CharField(_("source"), max_length=400)
    state = models.CharField(
        _("state"), max_length=10, choices=ValueState.choices, default=ValueState.PROPOSED
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("entered value")
        verbose_name_plural = _("entered values")
        ordering = ["indicator", "year", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(state="approved"),
                name="sdg_enteredvalue_one_approved_per_year",
                violation_error_message=_(
                    "This indicator already has an approved value for that year."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(reviewer__isnull=False),
                name="sdg_enteredvalue_approved_has_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


class Snapshot(models.Model):
    """A computed value as it was at a moment: with the registry change stamps it was computed
    from and the definition version, so that the published figure can be reproduced."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="snapshots"
    )
    taken_at = models.DateTimeField(_("taken at"))
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"), null=True, blank=True)
    numerator = models.FloatField(_("numerator"), null=True, blank=True)
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    stamps = models.JSONField(_("change stamps"))
    definition_version = models.PositiveIntegerField(_("definition version"))
    by_area = models.JSONField(_("values by settlement"), default=dict, blank=True)
    by_breakdown = models.JSONField(_("values by breakdown"), default=dict, blank=True)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["indicator", "taken_at"]
        indexes = [models.Index(fields=["indicator", "year"], name="sdg_snapshot_year_idx")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.taken_at:%Y-%m-%d}: {self.value}"
