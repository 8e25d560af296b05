"""Bulk imports: a file taken in for one registry, its rows checked before anything is written,
then committed all or nothing as drafts and proposed changes that go through review.

An ``ImportJob`` holds the file (under a server-made name), what was detected in it, the
mapping of its columns to the registry's fields, its state and progress; an ``ImportRow``
each checked row of it with its values, geometry, problems and what it will do (add a
record, change a matched one). The job's file is identified by its SHA-256, so the same file
uploaded again is recognised.
"""

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class ImportState(models.TextChoices):
    UPLOADED = "uploaded", _("uploaded")
    VALIDATING = "validating", _("being checked")
    VALIDATED = "validated", _("checked, ready to commit")
    REFUSED = "refused", _("refused: rows have problems")
    COMMITTING = "committing", _("being committed")
    COMMITTED = "committed", _("committed, waiting for review")
    DECIDING = "deciding", _("reviewer's decision being applied")
    ROLLING_BACK = "rolling_back", _("being rolled back")
    FAILED = "failed", _("failed")
    ROLLED_BACK = "rolled_back", _("rolled back")


class ImportJob(models.Model):
    """One file imported into one registry (see the module docstring)."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    registry = models.CharField(_("registry"), max_length=40, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to="imports/", max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.BigIntegerField(_("size in bytes"), default=0)
    format = models.CharField(_("format"), max_length=20, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    layer = models.CharField(_("layer"), max_length=200, blank=True)
    source_crs = models.CharField(_("coordinate reference system"), max_length=20, blank=True)
    options = models.JSONField(_("reading options"), default=dict, blank=True)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ImportState.choices, default=ImportState.UPLOADED
    )
    message = models.TextField(_("message"), blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_bad = models.PositiveIntegerField(_("rows with problems"), default=0)
    rows_new = models.PositiveIntegerField(_("new records"), default=0)
    rows_changed = models.PositiveIntegerField(_("changed records"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of work"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} → {self.registry}"


class RowAction(models.TextChoices):
    CREATE = "create", _("new record")
    UPDATE = "update", _("change of a record")
    UNCHANGED = "unchanged", _("no change")
    REFUSED = "refused", _("refused")


class ImportRow(models.Model):
    """One row of an import as checked: the registry values it gives, its geometry in WGS 84,
    its problems (``errors``: list of {column, field, message}) and warnings, the record it
    matched by key and what it will do."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    source = models.JSONField(_("values in the file"), default=dict)
    values = models.JSONField(_("registry values"), default=dict)
    geom = models.GeometryField(_("location"), srid=4326, null=True, blank=True)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=RowAction.choices)
    record_id = models.BigIntegerField(_("record"), null=True, blank=True)

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["job", "number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="layers_importrow_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.number}"


class ImportProgress(models.Model):
    """How far a running import is, written by the worker on a connection of its own while
    the import's transaction is still open (so a page sees it before the commit). No foreign
    key on purpose: a key would wait on the lock the running commit holds on its job."""

    job_id = models.BigIntegerField(_("import"), primary_key=True)
    step = models.CharField(_("step"), max_length=10)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"))
    at = models.DateTimeField(_("last sign of work"))

    class Meta:
        verbose_name = _("import progress")
        verbose_name_plural = _("import progress")

    def __str__(self) -> str:
        return f"{self.job_id}: {self.step} {self.done}/{self.total}"
