import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from layers.geometry import geometry_validate
from layers.models.boundary import geometry_inside_hromada
from layers.models.photos import Photo


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


# The fields the workflow owns on every record (services set them; forms, the API, change
# requests and imports never do; the admin shows them read-only), in the order shown.
WORKFLOW_FIELDS = (
    "public_id",
    "status",
    "version",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
)


class RegistryRecord(models.Model):
    """What every record of every registry has: identity, place, workflow state, provenance.

    A concrete registry declares ``geom`` with its geometry type and lists the GeoJSON types
    it accepts in ``GEOMETRY_TYPES``; the one geometry validator enforces both. (A polygon
    for a multipolygon field must be made a MultiPolygon before assignment — Django refuses
    it on the attribute; the form field does it for the map widget.)
    """

    GEOMETRY_TYPES: tuple[str, ...] = ()

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    status = models.CharField(
        _("publication status"),
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        editable=False,
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    verified_on = models.DateField(_("last verified on site"), null=True, blank=True)
    source = models.CharField(
        _("data source"), max_length=300, blank=True, help_text=_("Where the data comes from.")
    )
    notes = models.TextField(_("notes"), blank=True)
    # The record's parts (containers, log entries, assessments, photos, links; declared on
    # its registry entry) as they were in this version, written by the editing services
    # with every save so that the history keeps each version of them beside the record's
    # own values. Null: not recorded (records written before, or by bulk loads).
    parts_snapshot = models.JSONField(
        _("parts in this version"), null=True, blank=True, editable=False
    )
    photos = GenericRelation(Photo, verbose_name=_("photos"))

    class Meta:
        abstract = True
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(geom__isvalid=True), name="%(app_label)s_%(class)s_geom_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="%(app_label)s_%(class)s_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.public_id)

    def clean(self):
        super().clean()
        if self.geom is not None:
            try:
                self.geom = geometry_inside_hromada(
                    geometry_validate(self.geom, types=self.GEOMETRY_TYPES)
                )
            except ValidationError as exc:
                raise ValidationError({"geom": exc.error_list}) from None
