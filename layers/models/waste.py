"""The waste-management registry: sites where residents leave waste, and their containers.

What residents ask the map — "where is the nearest point that takes glass?", "when is
collection?" — is answered from the containers: a site accepts the fractions its containers
take (``WasteSiteQuerySet.with_fractions`` / ``accepting`` / ``WasteSite.accepted_fractions``).
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from layers.models.base import RegistryRecord

# A roll-off skip for bulky waste holds 27 m³; anything far above is a typo (m³ for litres).
CONTAINER_MAX_VOLUME_L = 40000


def default_waste_operator() -> str:
    """The municipal utility that runs most sites (GEOPORTAL_DEFAULT_WASTE_OPERATOR)."""
    return settings.GEOPORTAL_DEFAULT_WASTE_OPERATOR


class WasteSiteKind(models.TextChoices):
    CONTAINER_SITE = "container_site", _("container site")
    SEPARATE_COLLECTION = "separate_collection", _("separate-collection point")
    RECYCLING_RECEPTION = "recycling_reception", _("recycling reception point")
    HAZARDOUS = "hazardous", _("hazardous-waste point (batteries, lamps)")
    BULKY = "bulky", _("bulky-waste point")
    LIBRARY_OF_THINGS = "library_of_things", _("library of things")
    REPAIR = "repair", _("repair point")


class Fraction(models.TextChoices):
    MIXED = "mixed", _("mixed waste")
    PLASTIC = "plastic", _("plastic")
    GLASS = "glass", _("glass")
    PAPER = "paper", _("paper and cardboard")
    METAL = "metal", _("metal")
    ORGANIC = "organic", _("organic waste")
    BATTERIES = "batteries", _("batteries")
    E_WASTE = "e_waste", _("electronic waste and lamps")
    TEXTILES = "textiles", _("textiles")


class Weekday(models.IntegerChoices):
    """ISO weekday numbers, as ``datetime.date.isoweekday()`` gives them."""

    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class WasteSiteQuerySet(models.QuerySet):
    def with_fractions(self):
        """Annotate ``fractions``: the sorted distinct fractions the site's containers take."""
        return self.annotate(
            fractions=ArrayAgg(
                "containers__fraction",
                distinct=True,
                order_by="containers__fraction",
                filter=models.Q(containers__isnull=False),
                default=models.Value([]),
            )
        )

    def accepting(self, fraction: str):
        """Sites with at least one container for ``fraction``."""
        return self.filter(
            models.Exists(Container.objects.filter(site=models.OuterRef("pk"), fraction=fraction))
        )

    def nearest(self, point: Point):
        """Order by distance from ``point`` (WGS 84), nearest first; annotates ``distance``."""
        return self.annotate(distance=Distance("geom", point)).order_by("distance", "id")


class WasteSite(RegistryRecord):
    """A place where residents leave waste or things: a container site, a separate-collection
    or recycling reception point, a hazardous-waste (batteries and lamps) or bulky-waste
    point, a "library of things" or a repair point."""

    GEOMETRY_TYPES = ("Point",)

    geom = models.PointField(_("location"), srid=4326)
    kind = models.CharField(
        _("kind of site"),
        max_length=24,
        choices=WasteSiteKind.choices,
        default=WasteSiteKind.CONTAINER_SITE,
    )
    operator = models.CharField(_("operator"), max_length=200, default=default_waste_operator)
    opening_hours = models.CharField(
        _("opening hours"),
        max_length=255,
        blank=True,
        help_text=_(
            "In OpenStreetMap opening_hours syntax, e.g. “Mo-Fr 09:00-18:00; Sa 10:00-14:00”; "
            "blank for sites open at all times."
        ),
    )

    objects = WasteSiteQuerySet.as_manager()

    class Meta(RegistryRecord.Meta):
        verbose_name = _("waste site")
        verbose_name_plural = _("waste sites")
        constraints = [
            *RegistryRecord.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(kind__in=WasteSiteKind.values),
                name="layers_wastesite_kind_valid",
            ),
        ]

    def accepted_fractions(self) -> list[str]:
        """The fractions this site takes, derived from its containers (sorted)."""
        return sorted({container.fraction for container in self.containers.all()})

    def collection_schedule(self) -> dict[str, list[int]]:
        """Per fraction, the ISO weekdays on which its containers are emptied."""
        schedule: dict[str, set[int]] = {}
        for container in self.containers.all():
            schedule.setdefault(container.fraction, set()).update(container.collection_days)
        return {fraction: sorted(days) for fraction, days in sorted(schedule.items())}


class Container(models.Model):
    """Containers of one fraction and size at a waste site, with their collection days.

    Part of its site: it is edited, reviewed and published together with the site.
    """

    site = models.ForeignKey(
        WasteSite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="containers"
    )
    fraction = models.CharField(_("fraction"), max_length=16, choices=Fraction.choices)
    count = models.PositiveSmallIntegerField(
        _("number of containers"), default=1, validators=[MinValueValidator(1)]
    )
    volume_l = models.PositiveIntegerField(
        _("volume (litres)"),
        validators=[MinValueValidator(1), MaxValueValidator(CONTAINER_MAX_VOLUME_L)],
        help_text=_("Volume of one container, in litres."),
    )
    collection_days = ArrayField(
        models.PositiveSmallIntegerField(choices=Weekday.choices),
        verbose_name=_("collection days"),
        default=list,
        blank=True,
        help_text=_("Weekdays on which the containers are emptied; none for on-request."),
    )

    class Meta:
        verbose_name = _("container")
        verbose_name_plural = _("containers")
        ordering = ["site", "fraction", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fraction__in=Fraction.values),
                name="layers_container_fraction_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=1), name="layers_container_count_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(volume_l__gt=0, volume_l__lte=CONTAINER_MAX_VOLUME_L),
                name="layers_container_volume_range",
            ),
            models.CheckConstraint(
                condition=models.Q(collection_days__contained_by=list(Weekday.values)),
                name="layers_container_collection_days_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_fraction_display()}: {self.count} x {self.volume_l} l"

    def clean(self):
        super().clean()
        # Stored sorted and once each, so that schedules compare and display predictably.
        self.collection_days = sorted(set(self.collection_days or []))
