"""Writes of stewardships: who answers for an object as its owner or balance holder —
granted by a reviewer of the accessibility registry, or requested by the person and then
approved or refused (with a reason), and ended. Every state is in the history table."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layers.campaigns.access import require_runs_campaign, reviewers
from layers.campaigns.mail import mail_send
from layers.editing.errors import NotPermitted, OwnChange, WorkflowError
from layers.editing.services.common import history_context
from layers.models import Status
from layers.models.accessibility import AccessibleObject
from layers.models.campaigns import Stewardship, StewardshipState

MAX_NOTE = 2000


@transaction.atomic
def stewardship_grant(
    *, user, person, accessible_object: AccessibleObject, organisation: str, comment: str = ""
) -> Stewardship:
    """The hromada's reviewer makes ``person`` an owner of ``accessible_object``."""
    require_runs_campaign(user)
    with history_context(user, "grant"):
        stewardship = Stewardship(
            user=person,
            accessible_object=accessible_object,
            organisation=organisation.strip(),
            state=StewardshipState.ACTIVE,
            decided_by=user,
            decided_at=timezone.now(),
            decision_comment=comment,
        )
        stewardship.full_clean()
        stewardship.save()
    mail_send(
        recipients=[person],
        template="layers/campaigns/mail/stewardship_decided.txt",
        context={"stewardship": stewardship},
    )
    return stewardship


@transaction.atomic
def stewardship_request(
    *, user, accessible_object: AccessibleObject, organisation: str, note: str
) -> Stewardship:
    """A signed-in person asks to answer for an object; a reviewer decides."""
    if not user.is_authenticated:
        raise NotPermitted()
    if accessible_object.status != Status.PUBLISHED:
        raise WorkflowError(_("Only objects on the public map can be requested."))
    if not note.strip():
        raise ValidationError({"request_note": _("Say who you are and why you answer for it.")})
    with history_context(user, "request"):
        stewardship = Stewardship(
            user=user,
            accessible_object=accessible_object,
            organisation=organisation.strip(),
            state=StewardshipState.REQUESTED,
            request_note=note.strip()[:MAX_NOTE],
        )
        stewardship.full_clean()
        stewardship.save()
    mail_send(
        recipients=reviewers(),
        template="layers/campaigns/mail/stewardship_requested.txt",
        context={"stewardship": stewardship},
    )
    return stewardship


@transaction.atomic
def stewardship_decide(*, stewardship: Stewardship, user, approve: bool, comment: str = ""):
    """Approve or refuse a request (a refusal says why)."""
    require_runs_campaign(user)
    stewardship = Stewardship.objects.select_for_update().get(pk=stewardship.pk)
    if stewardship.state != StewardshipState.REQUESTED:
        raise WorkflowError(_("This request has already been decided."))
    if stewardship.user_id == user.pk:
        raise OwnChange(_("Another reviewer decides on your own request."))
    if not approve and not comment.strip():
        raise ValidationError({"decision_comment": _("Say why the request is refused.")})
    with history_context(user, "approve" if approve else "refuse"):
        stewardship.state = StewardshipState.ACTIVE if approve else StewardshipState.REFUSED
        stewardship.decided_by = user
        stewardship.decided_at = timezone.now()
        stewardship.decision_comment = comment.strip()
        stewardship.full_clean()
        stewardship.save()
    mail_send(
        recipients=[stewardship.user],
        template="layers/campaigns/mail/stewardship_decided.txt",
        context={"stewardship": stewardship},
    )
    return stewardship


@transaction.atomic
def stewardship_end(*, stewardship: Stewardship, user, comment: str = "") -> Stewardship:
    require_runs_campaign(user)
    stewardship = Stewardship.objects.select_for_update().get(pk=stewardship.pk)
    if stewardship.state != StewardshipState.ACTIVE:
        raise WorkflowError(_("Only an active owner can be ended."))
    with history_context(user, "end"):
        stewardship.state = StewardshipState.ENDED
        stewardship.decided_by = user
        stewardship.decided_at = timezone.now()
        stewardship.decision_comment = comment.strip()
        stewardship.save()
    return stewardship
