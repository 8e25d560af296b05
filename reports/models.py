"""Citizen reports: a problem a resident saw (a broken ramp, a hazardous tree, an overflowing
container site), its category routed to the staff of one registry, its public updates, the
followers of a report or of an area.

A report is public only when its reporter confirmed it (or needed not to) *and* a moderator
published it: the reporter's name and email never are, whatever the state.
"""

import pghistory
from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from layers.editing.models import registry_choices

DESCRIPTION_MAX_CHARS = 2000
COMMENT_MAX_CHARS = 2000
ALERT_RADIUS_MAX_M = 5000


class ReportCategory(models.Model):
    """A kind of problem residents report, routed to the staff of one registry (data:
    ``data/reports/categories.toml``, ``manage.py load_report_categories``; editable in the
    admin)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    registry = models.CharField(_("registry"), max_length=40, choices=registry_choices)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    anonymous_allowed = models.BooleanField(
        _("anonymous reports allowed"),
        default=False,
        help_text=_("A resident may report without giving a name or an email address."),
    )
    service_code = models.SlugField(
        _("Open311 service code"),
        max_length=60,
        unique=True,
        help_text=_("The category's service_code in the Open311 GeoReport v2 interface."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    # A renamed category renames it in every public report: the public set's stamp reads it.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")
        ordering = ["registry", "position", "code"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if translation.get_language() == "en" else self.title_uk


class ReportState(models.TextChoices):
    # As FixMyStreet: waiting for the reporter's confirmation, then the city's answer.
    # Words of their own: the catalogue's "new", "in progress" and "closed" are other things
    # (an import's rows, a checklist being filled, opening hours).
    NEW = "new", _("awaiting confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    IN_PROGRESS = "in_progress", _("being dealt with")
    FIXED = "fixed", _("fixed")
    NOT_RESPONSIBLE = "not_responsible", _("not the city's responsibility")
    DUPLICATE = "duplicate", _("duplicate")
    CLOSED = "closed", _("closed for another reason")


OPEN_STATES = (ReportState.CONFIRMED, ReportState.IN_PROGRESS)
ANSWERED_STATES = (
    ReportState.FIXED,
    ReportState.NOT_RESPONSIBLE,
    ReportState.DUPLICATE,
    ReportState.CLOSED,
)


class Moderation(models.TextChoices):
    PENDING = "pending", _("waiting for moderation")
    PUBLISHED = "published", _("published")
    HIDDEN = "hidden", _("hidden")


class ReportQuerySet(models.QuerySet):
    def public(self):
        """What anyone may see: confirmed by its reporter and published by a moderator."""
        return self.filter(moderation=Moderation.PUBLISHED).exclude(state=ReportState.NEW)


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    fields=["description", "state", "moderation"],
    model_name="ReportHistory",
    obj_field=pghistory.ObjForeignKey(related_name="history"),
)
class Report(models.Model):
    category = models.ForeignKey(
        ReportCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    geom = models.PointField(_("place"), srid=4326)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_CHARS)
    # The record the report is about, when made from its page (registry id + public id, as
    # change requests name records: the record may be a registry defined as data).
    record_registry = models.CharField(_("record's registry"), max_length=40, blank=True)
    record_public_id = models.UUIDField(_("record"), null=True, blank=True)
    # Personal data: never on a public page, feed, API or file.
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("reporter's email"), blank=True)
    reporter_language = models.CharField(_("reporter's language"), max_length=8, blank=True)
    # A keyed hash of the sender's address, for the rate limit only (not the address).
    client_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=ReportState.choices, default=ReportState.NEW
    )
    moderation = models.CharField(
        _("moderation"), max_length=12, choices=Moderation.choices, default=Moderation.PENDING
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    change_request = models.ForeignKey(
        "layers.ChangeRequest",
        verbose_name=_("change of the record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    fixed_at = models.DateTimeField(_("fixed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "moderation"], name="reports_state_moderation")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}"

    @property
    def registry(self) -> str:
        return self.category.registry

    @property
    def is_public(self) -> bool:
        return self.moderation == Moderation.PUBLISHED and self.state != ReportState.NEW

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ReportPhoto(models.Model):
    """A photo of a report, re-encoded by the portal's one photo pipeline (no EXIF), under a
    random name; served only with its public report or to its registry's staff."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="reports/", max_length=200)
    thumbnail = models.FileField(upload_to="reports/thumbs/", max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    # Removed by a moderator (a face, a number plate): kept for the history, never shown.
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["report", "position", "id"]


class ReportUpdate(models.Model):
    """A public step of a report: a state change with the staff's comment, a moderator's
    publication, the start of a change of the linked record."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state_before = models.CharField(max_length=20, choices=ReportState.choices, blank=True)
    state = models.CharField(max_length=20, choices=ReportState.choices)
    comment = models.TextField(_("public comment"), max_length=COMMENT_MAX_CHARS)
    change_request = models.ForeignKey(
        "layers.ChangeRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "created_at", "id"]


class AlertKind(models.TextChoices):
    REPORT = "report", _("a report")
    AREA = "area", _("an area")
    SETTLEMENT = "settlement", _("a settlement")


class Alert(models.Model):
    """Someone following a report, an area (a circle of their own radius) or a settlement of
    the hromada (its polygon, the SDG monitoring's ``sdg.Settlement``) by email:
    double opt-in (nothing is sent before the address confirmed), an unsubscribe link in
    every mail."""

    email = models.EmailField(_("email"))
    language = models.CharField(max_length=8, blank=True)
    kind = models.CharField(max_length=10, choices=AlertKind.choices)
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    centre = models.PointField(srid=4326, null=True, blank=True)
    settlement = models.ForeignKey(
        "sdg.Settlement", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    radius_m = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(ALERT_RADIUS_MAX_M)],
    )
    client_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="report", report__isnull=False)
                    | models.Q(kind="area", centre__isnull=False, radius_m__isnull=False)
                    | models.Q(kind="settlement", settlement__isnull=False)
                ),
                name="reports_alert_has_subject",
            )
        ]

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None
