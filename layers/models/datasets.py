"""Registries defined as data: a definition with its typed fields and shared choice lists,
and the one table that holds the records of every such registry.

A definition is what a built-in registry's model and entry are, kept as rows: an
administrator creates one in the browser and it becomes a map layer, an open-data
collection and an editable registry with the same workflow. Values live in one JSONB column
per record, keyed by each field's immutable ``key`` (so renaming a field touches no record
and no history); they are validated against the field definitions on every path
(``DataRecord.clean``), and read through casts that the public queryset annotates.
"""

import re

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from layers.models.base import RegistryRecord

# A field name or a registry id: lower-case ASCII words, usable in URLs, query parameters,
# CQL2, CSV headers and Shapefile columns alike.
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
COLLECTION_ID = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour as #rrggbb."))

# Names a data-defined field may not take: the properties every record publishes, the
# workflow's own, and what OGC clients treat specially.
RESERVED_NAMES = frozenset(
    {
        "id",
        "pk",
        "public_id",
        "name",
        "address",
        "status",
        "version",
        "geom",
        "geometry",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
        "verified_on",
        "source",
        "notes",
        "values",
        "definition",
        "schema_version",
        "bbox",
        "datetime",
        "limit",
        "offset",
        "after",
        "crs",
        "filter",
        "sortby",
        "properties",
        "f",
        "collection",
        "page",
    }
)


# Collection ids the portal's own URLs use beside registry ids (/edit/imports/, /api/changes/…).
RESERVED_IDS = frozenset(
    {"imports", "review", "changes", "schema", "docs", "map", "edit", "api", "ogc", "tiles"}
    | {"admin", "media", "static", "healthz", "en", "uk", "i18n"}
)


def localised(uk: str, en: str) -> str:
    """The Ukrainian or English text for the active language (the other one if empty)."""
    if (get_language() or "uk").startswith("uk"):
        return uk or en
    return en or uk


class GeometryKind(models.TextChoices):
    POINT = "point", _("point")
    LINE = "line", _("line")
    POLYGON = "polygon", _("polygon")
    MIXED = "mixed", _("mixed (points, lines and polygons)")


GEOMETRY_KIND_TYPES = {
    GeometryKind.POINT: ("Point",),
    GeometryKind.LINE: ("LineString", "MultiLineString"),
    GeometryKind.POLYGON: ("Polygon", "MultiPolygon"),
    GeometryKind.MIXED: (
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
    ),
}


class DataTheme(models.TextChoices):
    """The EU data-theme vocabulary (DCAT-AP's dcat:theme), by its codes."""

    AGRI = "AGRI", _("Agriculture, fisheries, forestry and food")
    ECON = "ECON", _("Economy and finance")
    EDUC = "EDUC", _("Education, culture and sport")
    ENER = "ENER", _("Energy")
    ENVI = "ENVI", _("Environment")
    GOVE = "GOVE", _("Government and public sector")
    HEAL = "HEAL", _("Health")
    INTR = "INTR", _("International issues")
    JUST = "JUST", _("Justice, legal system and public safety")
    REGI = "REGI", _("Regions and cities")
    SOCI = "SOCI", _("Population and society")
    TECH = "TECH", _("Science and technology")
    TRAN = "TRAN", _("Transport")


class FieldType(models.TextChoices):
    TEXT = "text", _("text")
    LONG_TEXT = "long_text", _("long text")
    INTEGER = "integer", _("integer")
    DECIMAL = "decimal", _("decimal number")
    BOOLEAN = "boolean", _("yes / no")
    DATE = "date", _("date")
    CHOICE = "choice", _("one of a list")
    MULTIPLE_CHOICE = "multiple_choice", _("several of a list")
    URL = "url", _("web address")
    PHONE = "phone", _("phone number")
    EMAIL = "email", _("email address")
    REFERENCE = "reference", _("record of another registry")


CHOICE_TYPES = (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE)
NUMBER_TYPES = (FieldType.INTEGER, FieldType.DECIMAL)


class UpdateFrequency(models.TextChoices):
    """The frequencies of the EU vocabulary that DCAT-AP uses (dct:accrualPeriodicity)."""

    CONTINUOUS = "CONT", _("continuously")
    DAILY = "DAILY", _("daily")
    WEEKLY = "WEEKLY", _("weekly")
    MONTHLY = "MONTHLY", _("monthly")
    QUARTERLY = "QUARTERLY", _("quarterly")
    ANNUAL = "ANNUAL", _("yearly")
    IRREGULAR = "IRREG", _("irregularly")


class ChoiceList(models.Model):
    """A list of values with Ukrainian and English labels that fields of any registry share
    (like NextGIS Web's lookup tables): "condition", "surface", "district"."""

    slug = models.SlugField(_("identifier"), max_length=40, unique=True)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("choice list")
        verbose_name_plural = _("choice lists")
        ordering = ["slug"]

    def __str__(self) -> str:
        return localised(self.title_uk, self.title_en)


class ChoiceItem(models.Model):
    """One value of a choice list: what is stored, what people read, how the map draws it."""

    choice_list = models.ForeignKey(
        ChoiceList, verbose_name=_("choice list"), on_delete=models.CASCADE, related_name="items"
    )
    value = models.CharField(
        _("value"),
        max_length=40,
        validators=[RegexValidator(IDENTIFIER, _("Lower-case letters, digits and _."))],
        help_text=_("What is stored and published (lower-case Latin letters, digits, _)."),
    )
    label_uk = models.CharField(_("label (Ukrainian)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    colour = models.CharField(_("map colour"), max_length=7, blank=True, validators=[HEX_COLOUR])
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["choice_list", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["choice_list", "value"], name="layers_choiceitem_unique_value"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localised(self.label_uk, self.label_en)


class RegistryDefinition(models.Model):
    """A registry defined as data: its collection id, titles, geometry kind, metadata for
    the open-data catalogue, how the map draws it, and (``fields``) its typed fields.

    ``schema_version`` goes up with every change of the fields; each record stores the
    version it was last written under, so its history shows which schema each state had.
    """

    slug = models.CharField(
        _("collection id"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(COLLECTION_ID, _("Lower-case letters, digits and -."))],
        help_text=_("Used in every URL of the registry; cannot be changed later."),
    )
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_uk = models.TextField(_("description (Ukrainian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    geometry_kind = models.CharField(
        _("geometry"), max_length=10, choices=GeometryKind.choices, default=GeometryKind.POINT
    )
    licence = models.CharField(
        _("licence"),
        max_length=40,
        blank=True,
        help_text=_("An SPDX identifier, e.g. CC-BY-4.0; empty: the portal's licence."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    department = models.CharField(_("responsible department"), max_length=300, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    update_frequency = models.CharField(
        _("update frequency"),
        max_length=10,
        choices=UpdateFrequency.choices,
        default=UpdateFrequency.IRREGULAR,
    )
    keywords = ArrayField(
        models.CharField(max_length=60), verbose_name=_("keywords"), default=list, blank=True
    )
    themes = ArrayField(
        models.CharField(max_length=4, choices=DataTheme.choices),
        verbose_name=_("themes"),
        default=list,
        blank=True,
        help_text=_("The EU data themes of the catalogue (empty: regions and cities)."),
    )
    colour = models.CharField(
        _("map colour"), max_length=7, default="#00695c", validators=[HEX_COLOUR]
    )
    style_field = models.CharField(
        _("coloured by field"),
        max_length=40,
        blank=True,
        help_text=_("A choice field whose values' colours the map uses; empty: one colour."),
    )
    min_zoom = models.PositiveSmallIntegerField(
        _("drawn from zoom"), default=0, help_text=_("0 draws it at every zoom.")
    )
    max_zoom = models.PositiveSmallIntegerField(_("drawn up to zoom"), default=22)
    shown_by_default = models.BooleanField(_("switched on when the map opens"), default=False)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Published records appear on the map and as open data only when set."),
    )
    order = models.PositiveIntegerField(_("order"), default=100)
    schema_version = models.PositiveIntegerField(_("schema version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("registry definition")
        verbose_name_plural = _("registry definitions")
        ordering = ["order", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_zoom__lte=models.F("max_zoom")) & models.Q(max_zoom__lte=22),
                name="layers_registrydefinition_zooms",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localised(self.title_uk, self.title_en)

    @property
    def description(self) -> str:
        return localised(self.description_uk, self.description_en)

    def clean(self):
        super().clean()
        from layers.registry import BUILTIN_IDS

        if self.slug in BUILTIN_IDS:
            raise ValidationError({"slug": _("A built-in registry already has this id.")})
        if self.slug in RESERVED_IDS:
            raise ValidationError({"slug": _("This id is used by the portal's own pages.")})
        if self.pk:
            stored = RegistryDefinition.objects.filter(pk=self.pk).values_list("slug", flat=True)
            if stored and stored[0] != self.slug:
                raise ValidationError({"slug": _("The collection id cannot be changed.")})


class FieldDefinition(models.Model):
    """One typed field of a data-defined registry (as NetBox's custom fields): it knows its
    limits, whether the public sees it, and whether the map and OGC clients filter on it.

    ``key`` is where the values are stored and never changes; ``name`` is the property
    name the public and the API see, and may be renamed.
    """

    registry = models.ForeignKey(
        RegistryDefinition,
        verbose_name=_("registry"),
        on_delete=models.CASCADE,
        related_name="fields",
    )
    name = models.CharField(
        _("name"),
        max_length=40,
        validators=[RegexValidator(IDENTIFIER, _("Lower-case letters, digits and _."))],
        help_text=_("The property name in open data and the API (Latin letters, digits, _)."),
    )
    key = models.CharField(_("storage key"), max_length=40, editable=False)
    label_uk = models.CharField(_("label (Ukrainian)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    help_uk = models.CharField(_("help text (Ukrainian)"), max_length=300, blank=True)
    help_en = models.CharField(_("help text (English)"), max_length=300, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=FieldType.choices)
    required = models.BooleanField(_("required"), default=False)
    min_value = models.DecimalField(
        _("minimum"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    max_length = models.PositiveIntegerField(
        _("maximum length"), null=True, blank=True, help_text=_("For text fields.")
    )
    decimal_places = models.PositiveSmallIntegerField(
        _("decimal places"), default=2, help_text=_("For decimal numbers.")
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("e.g. m, m², cm"))
    default = models.JSONField(_("default"), null=True, blank=True)
    choice_list = models.ForeignKey(
        ChoiceList,
        verbose_name=_("choice list"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fields",
    )
    reference_registry = models.CharField(
        _("referenced registry"),
        max_length=40,
        blank=True,
        help_text=_("For references: the collection id of the registry referred to."),
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Off: staff only, never in open data.")
    )
    queryable = models.BooleanField(
        _("filterable"), default=True, help_text=_("A filter on the map and in OGC API.")
    )
    in_popup = models.BooleanField(_("shown in map popups"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["registry", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["registry", "name"], name="layers_field_unique_name"),
            models.UniqueConstraint(fields=["registry", "key"], name="layers_field_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.registry.slug}.{self.name}"

    @property
    def label(self) -> str:
        return localised(self.label_uk, self.label_en) or self.name

    @property
    def help_text(self) -> str:
        return localised(self.help_uk, self.help_en)

    def clean(self):
        super().clean()
        errors = {}
        if self.name in RESERVED_NAMES:
            errors["name"] = _("This name is reserved for what every record has.")
        if self.type in CHOICE_TYPES and self.choice_list_id is None:
            errors["choice_list"] = _("A choice field needs a choice list.")
        if self.type == FieldType.REFERENCE and not self.reference_registry:
            errors["reference_registry"] = _("A reference names the registry it refers to.")
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            errors["max_value"] = _("The maximum is below the minimum.")
        if self.decimal_places > 6:
            errors["decimal_places"] = _("At most 6 decimal places.")
        if errors:
            raise ValidationError(errors)


class DataRecord(RegistryRecord):
    """A record of a data-defined registry: what every record has, plus ``values`` (field
    key → JSON value) checked against its definition's fields whenever it is cleaned.

    One table for every data-defined registry, so no DDL ever runs for a new one: the GiST
    index leads with the definition (btree_gist), so a tile or a bbox of one registry reads
    only its own rows, and a GIN index serves containment filters on any field.
    """

    definition = models.ForeignKey(
        RegistryDefinition,
        verbose_name=_("registry"),
        on_delete=models.PROTECT,
        related_name="records",
        editable=False,
    )
    # Indexed together with the definition (Meta.indexes), not alone: a plain GiST index on
    # the shared table would tempt the planner to read every registry's rows in a tile.
    geom = models.GeometryField(_("location"), srid=4326, spatial_index=False)
    values = models.JSONField(_("values"), default=dict, blank=True, editable=False)
    schema_version = models.PositiveIntegerField(_("schema version"), default=1, editable=False)

    class Meta(RegistryRecord.Meta):
        verbose_name = _("record of a data-defined registry")
        verbose_name_plural = _("records of data-defined registries")
        indexes = [
            GistIndex(fields=["definition", "geom"], name="layers_datarecord_def_geom"),
            models.Index(fields=["definition", "status"], name="layers_datarecord_def_status"),
            GinIndex(
                fields=["values"], opclasses=["jsonb_path_ops"], name="layers_datarecord_values"
            ),
        ]

    @property
    def GEOMETRY_TYPES(self) -> tuple[str, ...]:
        return GEOMETRY_KIND_TYPES[self.definition.geometry_kind]

    def clean(self):
        super().clean()
        from layers.datasets.values import data_values_validate

        self.values = data_values_validate(self.definition, self.values or {})
        self.schema_version = self.definition.schema_version
