"""The editing workflow's data: who may do what in which registry, the changes that wait
for review, and the history of every registry table (kept by database triggers).

All models belong to the ``layers`` app; see ``layers.editing.apps``.
"""

import pghistory
from django.apps import apps
from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from layers.registry import BUILTIN_REGISTRIES, registries


class Role(models.TextChoices):
    EDITOR = "editor", _("editor")
    REVIEWER = "reviewer", _("reviewer")
    ADMINISTRATOR = "administrator", _("administrator")


def registry_choices() -> list[tuple[str, str]]:
    return [(registry.id, str(registry.title)) for registry in registries()]


class RegistryRole(models.Model):
    """A user's role in one registry: editor, reviewer or administrator of it.

    Roles are data, granted by administrators (admin site or ``role_grant``); what each role
    may do is declared once in ``layers.editing.permissions.ROLE_ACTIONS``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="registry_roles",
    )
    registry = models.CharField(_("registry"), max_length=40, choices=registry_choices)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        app_label = "layers"
        verbose_name = _("registry role")
        verbose_name_plural = _("registry roles")
        ordering = ["registry", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "registry", "role"], name="layers_registryrole_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} ({self.registry})"


class ChangeKind(models.TextChoices):
    PUBLISH = "publish", _("publication of a new record")
    UPDATE = "update", _("change to a published record")


class ChangeState(models.TextChoices):
    PENDING = "pending", _("waiting for review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ChangeRequest(models.Model):
    """A change waiting for a reviewer: a draft submitted for publication, or proposed new
    values for a published record (which stays public and unchanged until approval).

    ``payload`` holds the proposed values of the changed fields in JSON form (geometry as
    GeoJSON), ``base_version`` the record version they were made on: a change made on a
    version that is no longer current cannot be approved (no lost updates).
    """

    registry = models.CharField(_("registry"), max_length=40, choices=registry_choices)
    record_id = models.BigIntegerField(_("record"), db_index=True)
    record_public_id = models.UUIDField(_("record public id"), db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ChangeKind.choices)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ChangeState.choices,
        default=ChangeState.PENDING,
        db_index=True,
    )
    payload = models.JSONField(_("proposed values"), default=dict, blank=True)
    base_version = models.PositiveIntegerField(_("based on version"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
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
    author_comment = models.TextField(_("author's comment"), blank=True)
    # The language of the page the author proposed the change on: word of the decision
    # reaches them in it. Empty when not known (the API, an import): then in both.
    author_language = models.CharField(_("author's language"), max_length=8, blank=True)
    import_job = models.ForeignKey(
        "layers.ImportJob",
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        help_text=_("The import whose batch this change belongs to."),
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        app_label = "layers"
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["registry", "state"], name="layers_change_registry_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.registry}/{self.record_public_id}"


class NotificationKind(models.TextChoices):
    APPROVED = "approved", _("change approved")
    REJECTED = "rejected", _("change rejected")
    IMPORT_APPROVED = "import_approved", _("import approved")
    IMPORT_REJECTED = "import_rejected", _("import rejected")


class Notification(models.Model):
    """Word to an editor that a reviewer decided their change (or their import's batch):
    shown on the editing dashboard until they mark it read, and mailed to them.

    It keeps the parts of its message as they were when the decision was taken — what the
    change was about (``subject``: the record's title, or the import's file name), the
    reviewer and their comment, how many changes it covers — and is worded in the reader's
    language when shown (``layers.editing.notifications``).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="editing_notifications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    change = models.ForeignKey(
        ChangeRequest,
        verbose_name=_("change"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    import_job = models.ForeignKey(
        "layers.ImportJob",
        verbose_name=_("import"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    registry = models.CharField(_("registry"), max_length=40, choices=registry_choices)
    subject = models.CharField(_("about"), max_length=300)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("reviewer's comment"), blank=True)
    count = models.PositiveIntegerField(_("changes decided"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        app_label = "layers"
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The header's count and the dashboard's list: a person's unread ones.
            models.Index(
                fields=["recipient", "created_at"],
                condition=models.Q(read_at__isnull=True),
                name="layers_notification_unread",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(change__isnull=False) | models.Q(import_job__isnull=False),
                name="layers_notification_about_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject} → {self.recipient}"


def _history_fields(model) -> list[str]:
    """Every stored column of a registry model except those the database generates."""
    return [
        field.name
        for field in model._meta.local_fields
        if not isinstance(field, models.GeneratedField)
    ]


def _track(model):
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        fields=_history_fields(model),
        # Registry models have their own reverse names ("events" is the tree log).
        obj_field=pghistory.ObjForeignKey(related_name="history"),
        model_name=f"{model.__name__}History",
        app_label="layers",
    )(model)


# History of every registry, declared from the registry list: database triggers record
# every insert and update, bulk and scripted writes included. The registries defined as
# data share one table, so one history table holds them all.
for _model_label in [r.model_label for r in BUILTIN_REGISTRIES] + ["layers.DataRecord"]:
    _track(apps.get_model(_model_label, require_ready=False))
