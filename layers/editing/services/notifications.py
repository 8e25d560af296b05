"""Word of a decision to the people whose work it was: a notification on their editing
dashboard and a mail, made in the transaction of the decision (a refused decision leaves
neither; the mail goes after commit). Marking them read is the recipient's own write."""

from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from layers.editing.models import (
    ChangeKind,
    ChangeRequest,
    ChangeState,
    Notification,
    NotificationKind,
)
from layers.editing.titles import record_titles
from layers.mail import mail_send
from layers.registry import registry_get

_DECIDED_MAIL = "layers/editing/mail/change_decided.txt"
_IMPORT_MAIL = "layers/editing/mail/import_decided.txt"


def change_url(change: ChangeRequest, language: str = "") -> str:
    """The change's page, with the language prefix of ``language`` (the current one if
    not given)."""
    with translation.override(language or translation.get_language()):
        return reverse("layers:editing:change", args=[change.pk])


def decision_notify(*, change: ChangeRequest) -> Notification | None:
    """Tell the author of a just decided change (approved or rejected) what became of it:
    a notification and a mail with the reviewer's comment and a link to the change. A
    reviewer who approved their own change (the admin's "approve now") is told nothing."""
    if change.state not in (ChangeState.APPROVED, ChangeState.REJECTED):
        return None
    if change.reviewer_id == change.author_id:
        return None
    registry = registry_get(change.registry)
    title = record_titles(registry, [change.record_id]).get(change.record_id) or str(registry.title)
    notification = Notification(
        recipient_id=change.author_id,
        kind=(
            NotificationKind.APPROVED
            if change.state == ChangeState.APPROVED
            else NotificationKind.REJECTED
        ),
        change=change,
        registry=registry.id,
        subject=title[:300],
        reviewer_id=change.reviewer_id,
        comment=change.review_comment,
    )
    notification.full_clean()
    notification.save()
    mail_send(
        recipients=[change.author],
        template=_DECIDED_MAIL,
        context={
            "notification": notification,
            "change": change,
            "published": change.kind == ChangeKind.PUBLISH,
            "registry_title": registry.title,
            "reviewer": _name(change.reviewer),
        },
        language=change.author_language,
    )
    return notification


def import_decision_notify(*, job, reviewer, approve: bool, comment: str, authors: Counter):
    """Tell each author of an import's batch, once for the whole batch, that a reviewer
    decided it (``authors``: author id → how many of their changes it decided)."""
    people = get_user_model().objects.in_bulk(list(authors))
    registry = registry_get(job.registry)
    kind = NotificationKind.IMPORT_APPROVED if approve else NotificationKind.IMPORT_REJECTED
    made = []
    for author_id, count in sorted(authors.items()):
        if author_id == getattr(reviewer, "pk", None) or author_id not in people:
            continue
        notification = Notification(
            recipient_id=author_id,
            kind=kind,
            import_job=job,
            registry=registry.id,
            subject=job.file_name[:300],
            reviewer=reviewer,
            comment=comment,
            count=count,
        )
        notification.full_clean()
        notification.save()
        made.append(notification)
        mail_send(
            recipients=[people[author_id]],
            template=_IMPORT_MAIL,
            context={
                "notification": notification,
                "job": job,
                "approved": approve,
                "registry_title": registry.title,
                "reviewer": _name(reviewer),
            },
        )
    return made


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@transaction.atomic
def notification_mark_read(*, notification: Notification, user) -> Notification:
    """The recipient has seen it (someone else's is not theirs to mark: LookupError)."""
    if notification.recipient_id != user.pk:
        raise LookupError("not the recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    """Every unread notification of ``user`` seen; how many there were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
