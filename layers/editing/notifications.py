"""Reads of the notifications: a person's unread ones, worded in the reader's language, with
the link to what they are about and, for a rejected change, the values it proposed."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from layers.editing.models import ChangeKind, Notification, NotificationKind
from layers.editing.selectors import change_record, change_value_changes

SHOWN = 10  # unread notifications on the dashboard; the count says how many there are


@dataclass
class NotificationShown:
    notification: Notification
    text: str
    url: str
    link_text: str
    rejected_values: list = field(default_factory=list)  # ValueChange rows, new = rejected


def notifications_unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_unread(*, user, limit: int = SHOWN) -> list[NotificationShown]:
    """The user's unread notifications, newest first, ready to show."""
    queryset = (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .select_related("change", "import_job", "reviewer")
        .order_by("-created_at", "-id")[:limit]
    )
    return [notification_shown(n) for n in queryset]


def notification_text(notification: Notification) -> str:
    """What the notification says, in the active language (the comment is shown apart)."""
    subject = notification.subject
    kind = notification.kind
    if kind in (NotificationKind.IMPORT_APPROVED, NotificationKind.IMPORT_REJECTED):
        if kind == NotificationKind.IMPORT_APPROVED:
            text = ngettext(
                "The %(count)s change of your import of “%(file)s” was approved.",
                "All %(count)s changes of your import of “%(file)s” were approved.",
                notification.count,
            )
        else:
            text = ngettext(
                "The %(count)s change of your import of “%(file)s” was rejected.",
                "All %(count)s changes of your import of “%(file)s” were rejected.",
                notification.count,
            )
        return text % {"count": notification.count, "file": subject}
    publication = notification.change is not None and notification.change.kind == (
        ChangeKind.PUBLISH
    )
    if kind == NotificationKind.APPROVED:
        text = (
            _("Your new record “%(record)s” was approved and published.")
            if publication
            else _("Your change to “%(record)s” was approved.")
        )
    else:
        text = (
            _("Your new record “%(record)s” was rejected; it is a draft again.")
            if publication
            else _("Your change to “%(record)s” was rejected.")
        )
    return text % {"record": subject}


def notification_shown(notification: Notification) -> NotificationShown:
    change = notification.change
    if change is None:
        return NotificationShown(
            notification=notification,
            text=notification_text(notification),
            url=reverse("layers:editing:import", args=[notification.import_job.public_id]),
            link_text=_("Open the import"),
        )
    rejected = []
    if notification.kind == NotificationKind.REJECTED and change.kind == ChangeKind.UPDATE:
        record = change_record(change)
        rejected = change_value_changes(change, record) if record is not None else []
    return NotificationShown(
        notification=notification,
        text=notification_text(notification),
        url=reverse("layers:editing:change", args=[change.pk]),
        link_text=(
            _("See your values, fix and resubmit")
            if notification.kind == NotificationKind.REJECTED
            else _("Open the change")
        ),
        rejected_values=rejected,
    )
