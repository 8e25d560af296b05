"""Reminders of a campaign, sent by the task queue's daily run (``layers.tasks``) or by
``manage.py campaign_remind``: once ``reminder_days`` before the deadline, and once after
it, to the owners of every object whose checklist is not yet submitted. Each is sent once:
the campaign records when."""

import datetime

from django.db import transaction
from django.utils import timezone

from layers.mail import mail_send
from layers.models import Status
from layers.models.accessibility import AccessibleObject
from layers.models.campaigns import (
    Campaign,
    ChecklistSubmission,
    Stewardship,
    StewardshipState,
    SubmissionState,
)


def _due_by_owner(campaign: Campaign) -> dict:
    """Owner → the objects they answer for whose checklist is not submitted or accepted."""
    done = ChecklistSubmission.objects.filter(
        campaign=campaign, state__in=[SubmissionState.SUBMITTED, SubmissionState.ACCEPTED]
    ).values("accessible_object_id")
    due = AccessibleObject.objects.filter(status=Status.PUBLISHED).exclude(pk__in=done)
    owners: dict = {}
    stewardships = Stewardship.objects.filter(
        state=StewardshipState.ACTIVE, accessible_object__in=due
    ).select_related("user", "accessible_object")
    for stewardship in stewardships.order_by("accessible_object__name"):
        owners.setdefault(stewardship.user, []).append(stewardship.accessible_object)
    return owners


@transaction.atomic
def campaign_reminders_send(*, today: datetime.date | None = None) -> int:
    """Send the reminders that are due today; how many owners were written to."""
    today = today or timezone.localdate()
    sent = 0
    for campaign in Campaign.objects.select_for_update().filter(starts_on__lte=today):
        before = today >= campaign.ends_on - datetime.timedelta(days=campaign.reminder_days)
        if today > campaign.ends_on and campaign.reminded_after_at is None:
            after = True
        elif before and today <= campaign.ends_on and campaign.reminded_before_at is None:
            after = False
        else:
            continue
        for owner, objects in _due_by_owner(campaign).items():
            mail_send(
                recipients=[owner],
                template="layers/campaigns/mail/reminder.txt",
                context={"campaign": campaign, "objects": objects, "after": after},
            )
            sent += 1
        field = "reminded_after_at" if after else "reminded_before_at"
        setattr(campaign, field, timezone.now())
        campaign.save(update_fields=[field])
    return sent
