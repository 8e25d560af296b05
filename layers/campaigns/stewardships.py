"""Writes of stewardships: who answers for an object as its owner or balance holder —
granted by a reviewer of the accessibility registry, or requested by the person and then
approved or refused (with a reason), and ended. Every state is in the history table."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layers.campaigns.access import require_runs_campaign, reviewers
from layers.editing.errors import NotPermitted, OwnChange, WorkflowError
from layers.editing.services.common import history_context
from layers.mail import mail_send
from layers.models import Status
from layers.models.accessibility import AccessibleObject
from layers.models.campaigns import NOTE_MAX_LENGTH, Stewardship, StewardshipState


def owner_account_invite(*, user, email: str, name: str = ""):
    """An account for an owner who has none: named by their email, with no password until
    they set one from the link mailed to them (Django's password-reset token, so the link
    works once and expires after ``PASSWORD_RESET_TIMEOUT``)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.tokens import default_token_generator
    from django.core.validators import validate_email
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    require_runs_campaign(user)
    email = email.strip().lower()
    validate_email(email)
    User = get_user_model()
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username=email).exists()
    ):
        raise ValidationError({"person": _("An account with this email exists already.")})
    person = User(username=email, email=email, first_name=name.strip()[:150])
    person.set_unusable_password()
    person.full_clean()
    person.save()
    link = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    mail_send(
        recipients=[person],
        template="layers/campaigns/mail/invitation.txt",
        context={"person": person, "link": link, "inviter": user},
    )
    return person


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
            request_note=note.strip()[:NOTE_MAX_LENGTH],
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
