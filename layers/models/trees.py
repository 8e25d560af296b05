import datetime
import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from layers.models.base import RegistryRecord
from layers.rules.trees import TreeCondition, tree_hazardous_q, tree_size_errors

__all__ = [
    "GreenArea",
    "GreenAreaKind",
    "RecommendedAction",
    "Species",
    "Tree",
    "TreeCondition",
    "TreeEvent",
    "TreeEventKind",
]


class Species(models.Model):
    """A tree species of the catalogue, with the largest sizes it reaches in Ukraine.

    The maxima are generous on purpose: they catch typing and unit mistakes (millimetres for
    centimetres, circumference for diameter), not remarkable trees.
    """

    # How a file may name a species (the import matches these, exactly or nearly).
    IMPORT_NAMES = ("latin_name", "name_uk", "name_en")

    latin_name = models.CharField(_("Latin name"), max_length=120, unique=True)
    name_uk = models.CharField(_("Ukrainian name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    coniferous = models.BooleanField(_("coniferous"), default=False)
    max_height_m = models.DecimalField(_("maximum height, m"), max_digits=4, decimal_places=1)
    max_trunk_diameter_cm = models.DecimalField(
        _("maximum trunk diameter at 1.3 m, cm"), max_digits=4, decimal_places=1
    )
    max_crown_diameter_m = models.DecimalField(
        _("maximum crown diameter, m"), max_digits=4, decimal_places=1, null=True, blank=True
    )

    class Meta:
        # English uses one word for both numbers; Ukrainian does not (вид / види).
        verbose_name = pgettext_lazy("singular", "tree species")
        verbose_name_plural = pgettext_lazy("plural", "tree species")
        ordering = ["latin_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_height_m__gt=0, max_height_m__lte=120),
                name="layers_species_max_height_range",
            ),
            models.CheckConstraint(
                condition=Q(max_trunk_diameter_cm__gt=0, max_trunk_diameter_cm__lte=500),
                name="layers_species_max_diameter_range",
            ),
            models.CheckConstraint(
                condition=Q(max_crown_diameter_m__isnull=True)
                | Q(max_crown_diameter_m__gt=0, max_crown_diameter_m__lte=40),
                name="layers_species_max_crown_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_uk} ({self.latin_name})"


class RecommendedAction(models.TextChoices):
    NONE = "none", _("none")
    SANITARY_PRUNING = "sanitary_pruning", _("sanitary pruning")
    CROWN_FORMATION = "crown_formation", _("crown formation")
    TREATMENT = "treatment", _("treatment")
    REMOVAL = "removal", _("removal")
    REPLANTING = "replanting", _("replanting")


class Tree(RegistryRecord):
    """One tree of the green-plantings registry: where it stands, what it is and its state.

    A removed tree keeps its record (``removed_on`` set), so the planting site stays in the
    history; it is archived by the publication workflow, not deleted.
    """

    GEOMETRY_TYPES = ("Point",)

    geom = models.PointField(_("location"), srid=4326)
    species = models.ForeignKey(
        Species, verbose_name=_("species"), on_delete=models.PROTECT, related_name="trees"
    )
    trunk_diameter_cm = models.DecimalField(
        _("trunk diameter at 1.3 m, cm"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    height_m = models.DecimalField(
        _("height, m"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    crown_diameter_m = models.DecimalField(
        _("crown diameter, m"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    planting_year = models.PositiveSmallIntegerField(
        _("planting year"),
        null=True,
        blank=True,
        help_text=_("Known or estimated from the age; the age is derived from it."),
    )
    condition = models.CharField(
        _("condition"),
        max_length=16,
        choices=TreeCondition.choices,
        blank=True,
        help_text=_("Leave empty until the tree is inspected on site."),
    )
    # Stored so that it can be filtered, indexed and drawn in tiles; derived from the
    # condition by the one rule in layers.rules.trees and never typed.
    is_hazardous = models.GeneratedField(
        expression=models.Case(
            models.When(tree_hazardous_q(), then=models.Value(True)),
            default=models.Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("hazardous"),
    )
    recommended_action = models.CharField(
        _("recommended action"),
        max_length=20,
        choices=RecommendedAction.choices,
        default=RecommendedAction.NONE,
    )
    inventory_number = models.CharField(_("inventory number"), max_length=40, blank=True)
    balance_holder = models.CharField(_("balance holder"), max_length=300, blank=True)
    protected = models.BooleanField(
        _("protected (natural monument)"),
        default=False,
        help_text=_("A botanical natural monument or otherwise protected by law."),
    )
    planted_on = models.DateField(_("planted on"), null=True, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)

    class Meta(RegistryRecord.Meta):
        verbose_name = _("tree")
        verbose_name_plural = _("trees")
        indexes = [models.Index(fields=["condition"], name="layers_tree_condition_idx")]
        constraints = [
            *RegistryRecord.Meta.constraints,
            models.UniqueConstraint(
                fields=["inventory_number"],
                condition=~Q(inventory_number=""),
                name="layers_tree_inventory_number_unique",
                violation_error_message=_("Another tree has this inventory number."),
            ),
            models.CheckConstraint(
                condition=Q(trunk_diameter_cm__isnull=True)
                | Q(trunk_diameter_cm__gt=0, trunk_diameter_cm__lte=500),
                name="layers_tree_diameter_range",
                violation_error_message=_("The trunk diameter must be over 0 and at most 500 cm."),
            ),
            models.CheckConstraint(
                condition=Q(height_m__isnull=True) | Q(height_m__gt=0, height_m__lte=60),
                name="layers_tree_height_range",
                violation_error_message=_("The height must be over 0 and at most 60 m."),
            ),
            models.CheckConstraint(
                condition=Q(crown_diameter_m__isnull=True)
                | Q(crown_diameter_m__gt=0, crown_diameter_m__lte=40),
                name="layers_tree_crown_range",
                violation_error_message=_("The crown diameter must be over 0 and at most 40 m."),
            ),
            models.CheckConstraint(
                condition=Q(planting_year__isnull=True)
                | Q(planting_year__gte=1500, planting_year__lte=2100),
                name="layers_tree_planting_year_range",
                violation_error_message=_("The planting year must be between 1500 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(planted_on__isnull=True)
                | Q(removed_on__isnull=True)
                | Q(removed_on__gte=models.F("planted_on")),
                name="layers_tree_removed_after_planted",
                violation_error_message=_("A tree cannot be removed before it was planted."),
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.inventory_number or str(self.public_id)

    @property
    def age_years(self) -> int | None:
        """Age this year, derived from the planting year (stored ages would go stale)."""
        if self.planting_year is None:
            return None
        return max(datetime.date.today().year - self.planting_year, 0)

    def clean(self):
        super().clean()
        errors = {}
        if self.species_id is not None:
            errors.update(
                tree_size_errors(
                    species=self.species,
                    trunk_diameter_cm=self.trunk_diameter_cm,
                    height_m=self.height_m,
                    crown_diameter_m=self.crown_diameter_m,
                )
            )
        if self.planted_on and self.planting_year and self.planted_on.year != self.planting_year:
            errors["planting_year"] = ValidationError(
                _("The planting year differs from the year of the planting date."),
                code="planting_year_mismatch",
            )
        today = datetime.date.today()
        for field in ("planted_on", "removed_on"):
            value = getattr(self, field)
            if value and value > today:
                errors[field] = ValidationError(
                    _("The date cannot be in the future."), code="future_date"
                )
        if errors:
            raise ValidationError(errors)


class TreeEventKind(models.TextChoices):
    INSPECTION = "inspection", _("inspection")
    PRUNING = "pruning", _("pruning")
    REMOVAL_ACT = "removal_act", _("removal act")
    CITIZEN_ALERT = "citizen_alert", _("citizen alert")
    PLANTING = "planting", _("planting")
    TREATMENT = "treatment", _("treatment")


class TreeEvent(models.Model):
    """One entry of a tree's log: an inspection, works done, a removal act, an alert."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    # A tree is never deleted in normal work (removal sets removed_on); deleting one means it
    # was digitised by mistake, and then its log goes with it.
    tree = models.ForeignKey(
        Tree, verbose_name=_("tree"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TreeEventKind.choices)
    occurred_on = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    act_number = models.CharField(
        _("act number"),
        max_length=60,
        blank=True,
        help_text=_("The number of the inspection or removal act, or of the alert."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tree event")
        verbose_name_plural = _("tree events")
        ordering = ["tree", "-occurred_on", "-id"]
        indexes = [models.Index(fields=["tree", "occurred_on"], name="layers_treeevent_tree_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if self.occurred_on and self.occurred_on > datetime.date.today():
            raise ValidationError(
                {"occurred_on": _("The date cannot be in the future.")}, code="future_date"
            )


class GreenAreaKind(models.TextChoices):
    PARK = "park", _("park")
    SQUARE = "square", _("square")
    BOULEVARD = "boulevard", _("boulevard")
    STREET_PLANTING = "street_planting", _("street planting")
    FOREST_PARK = "forest_park", _("forest park")


class GreenArea(RegistryRecord):
    """A park, square, boulevard, street planting or forest park: a public green space."""

    GEOMETRY_TYPES = ("Polygon", "MultiPolygon")

    geom = models.MultiPolygonField(_("area"), srid=4326)
    kind = models.CharField(_("kind"), max_length=16, choices=GreenAreaKind.choices)
    balance_holder = models.CharField(_("balance holder"), max_length=300, blank=True)
    # Derived in the database on the spheroid, stored so that lists, filters, the API and
    # tiles read it without recomputing; PostGIS's geography cast and ST_Area are immutable,
    # which a stored generated column requires.
    area_m2 = models.GeneratedField(
        expression=models.Func(
            Cast("geom", output_field=models.MultiPolygonField(srid=4326, geography=True)),
            function="ST_Area",
            output_field=models.FloatField(),
        ),
        output_field=models.FloatField(),
        db_persist=True,
        verbose_name=_("area, m²"),
    )

    class Meta(RegistryRecord.Meta):
        verbose_name = _("green area")
        verbose_name_plural = _("green areas")
