"""The registry of cultural heritage: immovable monuments and their protection zones.

A heritage object's types are an ``ArrayField`` of ``HeritageType`` values, not a many-to-many
table: the seven types are a closed legal classification (Law of Ukraine "On the Protection
of Cultural Heritage", art. 2) with nothing to say about each type but its name, so one
column is validated against the choices in Python and in the database, filters with a GIN
index (``types__contains=["archaeology"]``), exports as a plain list and shows up in change
history as one field's old and new value rather than a through-table diff.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Centroid, SnapToGrid, Transform
from django.contrib.gis.geos import GEOSGeometry, Point
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

from layers.hromada import hromada_profile
from layers.models.base import RegistryRecord, Status
from layers.projection import in_metres, in_wgs84
from layers.weburls import web_url_validate

# Archaeology reaches back to the Palaeolithic; negative years are BCE (-3500 = 3500 BCE).
YEAR_MIN = -50000
YEAR_MAX = 2100


class HeritageType(models.TextChoices):
    ARCHAEOLOGY = "archaeology", _("archaeology")
    HISTORY = "history", _("history")
    MONUMENTAL_ART = "monumental_art", _("monumental art")
    ARCHITECTURE = "architecture", _("architecture")
    URBAN_PLANNING = "urban_planning", _("urban planning")
    LANDSCAPE = "landscape", _("landscape")
    SCIENCE_TECHNOLOGY = "science_technology", _("science and technology")


class Significance(models.TextChoices):
    NATIONAL = "national", _("national significance")
    LOCAL = "local", _("local significance")
    NEWLY_IDENTIFIED = "newly_identified", _("newly identified")


class HeritageCondition(models.TextChoices):
    """Physical condition as heritage passports record it."""

    GOOD = "good", _("good")
    SATISFACTORY = "satisfactory", _("satisfactory")
    UNSATISFACTORY = "unsatisfactory", _("unsatisfactory")
    EMERGENCY = "emergency", _("emergency (аварійний)")
    RUINED = "ruined", _("ruined")


class ProtectionZoneKind(models.TextChoices):
    PROTECTION = "protection", _("protection zone")
    REGULATED_BUILDING = "regulated_building", _("regulated building zone")
    PROTECTED_LANDSCAPE = "protected_landscape", _("protected landscape zone")
    CULTURAL_LAYER = "cultural_layer", _("cultural layer protection zone")


protection_number_validator = RegexValidator(
    r"^[0-9A-Za-zА-ЩЬЮЯЄІЇҐа-щьюяєіїґ'’/.\-]+$",
    _("A protection number has digits, letters, '-', '/' or '.' only, e.g. 6800-Хм."),
    code="bad_protection_number",
)
wikidata_id_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", _("A Wikidata id looks like Q12345."), code="bad_wikidata_id"
)


def wikipedia_url_validate(value: str) -> None:
    web_url_validate(value)  # as a browser reads it: no backslash, no credentials
    parts = urlsplit(value)
    if parts.scheme != "https" or not (parts.hostname or "").endswith(".wikipedia.org"):
        raise ValidationError(
            _("Give a https://…wikipedia.org/… article address."), code="not_wikipedia"
        )


def sensitive_grid_m() -> float:
    return float(settings.GEOPORTAL_SENSITIVE_GRID_M)


def _projected_srid() -> int:
    return hromada_profile().projected_srid


def heritage_generalise(geom: GEOSGeometry, *, grid_m: float | None = None) -> Point:
    """Return the centroid of ``geom`` snapped to the public grid, in WGS 84.

    The same rule as ``HeritageObjectQuerySet.public()`` computes in PostGIS.
    """
    grid = grid_m or sensitive_grid_m()
    srid = _projected_srid()
    centre = in_metres(geom).centroid
    # round() is half-to-even like PostGIS's rint() in ST_SnapToGrid.
    snapped = Point(round(centre.x / grid) * grid, round(centre.y / grid) * grid, srid=srid)
    return in_wgs84(snapped)


class HeritageObjectQuerySet(models.QuerySet):
    def public(self):
        """Published objects with what the public may see of them.

        Annotates ``public_geom`` (the exact geometry, or for a ``location_sensitive`` object
        its centroid snapped to the public grid) and ``public_address`` (blank when
        sensitive). Public views, the API, OGC collections and tiles must serve these two
        annotations instead of ``geom`` and ``address``.
        """
        grid = sensitive_grid_m()
        generalised = Transform(
            SnapToGrid(Centroid(Transform("geom", _projected_srid())), grid), 4326
        )
        return self.filter(status=Status.PUBLISHED).annotate(
            public_geom=models.Case(
                models.When(location_sensitive=True, then=generalised),
                default=models.F("geom"),
                output_field=models.GeometryField(srid=4326),
            ),
            public_address=models.Case(
                models.When(location_sensitive=True, then=models.Value("")),
                default=models.F("address"),
                output_field=models.CharField(),
            ),
        )


class HeritageObject(RegistryRecord):
    """An object of cultural heritage: a monument entered in the State Register of Immovable
    Monuments of Ukraine (national or local significance) or a newly identified object.

    ``location_sensitive`` marks objects whose exact place must not be published (typically
    archaeological sites, to keep looters away); the public sees them through
    ``public_geom()`` / ``HeritageObject.objects.public()`` only.
    """

    GEOMETRY_TYPES = ("Point", "Polygon", "MultiPolygon")

    geom = models.GeometryField(_("location"), srid=4326)
    protection_number = models.CharField(
        _("protection number"),
        max_length=50,
        blank=True,
        validators=[protection_number_validator],
        help_text=_("Охоронний номер in the State Register of Immovable Monuments of Ukraine."),
    )
    types = ArrayField(
        models.CharField(max_length=32, choices=HeritageType.choices),
        verbose_name=_("types"),
        help_text=_("A monument may be of several types."),
    )
    significance = models.CharField(_("significance"), max_length=20, choices=Significance.choices)
    dating = models.CharField(
        _("dating"),
        max_length=100,
        blank=True,
        help_text=_("As the sources state it, uncertainty included: «кінець XIX ст.», «1897»."),
    )
    year_from = models.IntegerField(
        _("earliest year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
        help_text=_("For filtering; negative years are BCE."),
    )
    year_to = models.IntegerField(
        _("latest year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
        help_text=_("For filtering; the same as the earliest year when the date is exact."),
    )
    listing_body = models.CharField(
        _("listed by"),
        max_length=300,
        blank=True,
        help_text=_("The body whose decision listed the object."),
    )
    listing_date = models.DateField(_("listing decision date"), null=True, blank=True)
    listing_number = models.CharField(_("listing decision number"), max_length=50, blank=True)
    condition = models.CharField(
        _("physical condition"), max_length=20, choices=HeritageCondition.choices, blank=True
    )
    owner = models.CharField(_("owner"), max_length=300, blank=True)
    user = models.CharField(
        _("user"), max_length=300, blank=True, help_text=_("Who uses the object, if not the owner.")
    )
    description = models.TextField(_("description"), blank=True)
    wikipedia_url = models.URLField(
        _("Wikipedia article"), max_length=500, blank=True, validators=[wikipedia_url_validate]
    )
    wikidata_id = models.CharField(
        _("Wikidata id"), max_length=20, blank=True, validators=[wikidata_id_validator]
    )
    location_sensitive = models.BooleanField(
        _("location is sensitive"),
        default=False,
        help_text=_(
            "Publish only an approximate location (about 500 m) and no address, e.g. for "
            "archaeological sites."
        ),
    )

    objects = HeritageObjectQuerySet.as_manager()

    class Meta(RegistryRecord.Meta):
        verbose_name = _("heritage object")
        verbose_name_plural = _("heritage objects")
        indexes = [
            *getattr(RegistryRecord.Meta, "indexes", []),
            # Type filters ("only archaeology") use the array containment operator.
            GinIndex(fields=["types"], name="layers_heritage_types_gin"),
        ]
        constraints = [
            *RegistryRecord.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(types__len__gte=1)
                & models.Q(types__contained_by=list(HeritageType.values)),
                name="layers_heritageobject_types_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(significance__in=Significance.values),
                name="layers_heritageobject_significance_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(year_from__isnull=True)
                | models.Q(year_to__isnull=True)
                | models.Q(year_from__lte=models.F("year_to")),
                name="layers_heritageobject_years_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(year_from__isnull=True)
                | models.Q(year_from__gte=YEAR_MIN, year_from__lte=YEAR_MAX),
                name="layers_heritageobject_year_from_range",
            ),
            models.CheckConstraint(
                condition=models.Q(year_to__isnull=True)
                | models.Q(year_to__gte=YEAR_MIN, year_to__lte=YEAR_MAX),
                name="layers_heritageobject_year_to_range",
            ),
            models.CheckConstraint(
                condition=models.Q(wikidata_id="") | models.Q(wikidata_id__regex=r"^Q[1-9][0-9]*$"),
                name="layers_heritageobject_wikidata_id_valid",
            ),
            # Only monuments entered in the State Register have a protection number.
            models.CheckConstraint(
                condition=~models.Q(significance=Significance.NEWLY_IDENTIFIED)
                | models.Q(protection_number=""),
                name="layers_heritageobject_newly_identified_unnumbered",
            ),
            models.UniqueConstraint(
                fields=["protection_number"],
                condition=~models.Q(protection_number="") & ~models.Q(status=Status.ARCHIVED),
                name="layers_heritageobject_protection_number_unique",
                violation_error_message=_("Another object has this protection number."),
            ),
        ]

    def clean(self):
        super().clean()
        errors: dict[str, list] = {}
        if self.types and len(set(self.types)) != len(self.types):
            errors.setdefault("types", []).append(
                ValidationError(_("Each type is given once."), code="duplicate_type")
            )
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_from > self.year_to
        ):
            errors.setdefault("year_to", []).append(
                ValidationError(
                    _("The latest year is before the earliest year."), code="years_reversed"
                )
            )
        this_year = datetime.date.today().year
        for name in ("year_from", "year_to"):
            value = getattr(self, name)
            if value is not None and value > this_year:
                errors.setdefault(name, []).append(
                    ValidationError(_("A dating year cannot be in the future."), code="future")
                )
        if self.listing_date and self.listing_date > datetime.date.today():
            errors.setdefault("listing_date", []).append(
                ValidationError(_("The decision date is in the future."), code="future")
            )
        if self.significance == Significance.NEWLY_IDENTIFIED and self.protection_number:
            errors.setdefault("protection_number", []).append(
                ValidationError(
                    _(
                        "A newly identified object is not in the State Register yet and has "
                        "no protection number."
                    ),
                    code="newly_identified_numbered",
                )
            )
        if errors:
            raise ValidationError(errors)

    def public_geom(self) -> GEOSGeometry:
        """What the public may see of the location: ``geom`` itself, or for a
        location-sensitive object its centroid snapped to a ~500 m grid
        (``GEOPORTAL_SENSITIVE_GRID_M``), so the site is findable by area but not by spot."""
        if not self.location_sensitive:
            return self.geom
        return heritage_generalise(self.geom)

    def public_address(self) -> str:
        return "" if self.location_sensitive else self.address


class ProtectionZoneQuerySet(models.QuerySet):
    def public(self):
        """Published zones, except those of location-sensitive objects: a cultural layer
        zone drawn around an archaeological site would give its place away."""
        return self.filter(status=Status.PUBLISHED).exclude(
            heritage_objects__location_sensitive=True
        )


class ProtectionZone(RegistryRecord):
    """A protection zone set by a planning decision around one or more heritage objects:
    a protection zone, a regulated building zone, a protected landscape zone or a cultural
    layer protection zone, each limiting what may be built or dug there."""

    GEOMETRY_TYPES = ("Polygon", "MultiPolygon")

    geom = models.MultiPolygonField(_("zone"), srid=4326)
    kind = models.CharField(
        _("kind of zone"),
        max_length=24,
        choices=ProtectionZoneKind.choices,
        default=ProtectionZoneKind.PROTECTION,
    )
    heritage_objects = models.ManyToManyField(
        HeritageObject,
        verbose_name=_("heritage objects"),
        related_name="protection_zones",
        blank=True,
    )
    decision_body = models.CharField(
        _("decided by"),
        max_length=300,
        blank=True,
        help_text=_("The body that approved the zone (e.g. in a historical area plan)."),
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)

    objects = ProtectionZoneQuerySet.as_manager()

    class Meta(RegistryRecord.Meta):
        verbose_name = _("protection zone")
        verbose_name_plural = _("protection zones")
        constraints = [
            *RegistryRecord.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(kind__in=ProtectionZoneKind.values),
                name="layers_protectionzone_kind_valid",
            ),
        ]

    def clean(self):
        super().clean()
        if self.decision_date and self.decision_date > datetime.date.today():
            raise ValidationError(
                {"decision_date": _("The decision date is in the future.")}, code="future"
            )
