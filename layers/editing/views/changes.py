"""A change's own page (where a notification and its mail lead: the decision, the reviewer's
comment, the proposed values beside the record's, and for a rejected change the way to fix
and resubmit it), and marking notifications read."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from layers.editing import services
from layers.editing.forms import DecisionForm
from layers.editing.models import ChangeKind, ChangeState, Notification
from layers.editing.permissions import Action, user_can
from layers.editing.selectors import change_get
from layers.editing.titles import change_titles
from layers.editing.views.cards import change_card
from layers.models import Status
from layers.registry import registry_get


def resubmit_url(request, change, record) -> str:
    """The editor pre-filled with a rejected change's values, when the user may propose
    them again: '' otherwise. A rejected draft is a draft again, with its values."""
    registry = registry_get(change.registry)
    if change.state != ChangeState.REJECTED or not user_can(request.user, Action.EDIT, registry):
        return ""
    wanted = Status.DRAFT if change.kind == ChangeKind.PUBLISH else Status.PUBLISHED
    if record.status != wanted:
        return ""
    editor = reverse("layers:editing:record", args=[registry.id, record.public_id])
    return f"{editor}?resubmit={change.pk}"


def _proposed_heading(state: str) -> str:
    return {
        ChangeState.PENDING: _("Proposed (new)"),
        ChangeState.APPROVED: _("Proposed (approved)"),
        ChangeState.REJECTED: _("Proposed (rejected)"),
        ChangeState.WITHDRAWN: _("Proposed (withdrawn)"),
    }[state]


@login_required
@require_GET
def change_detail(request, change_id):
    """One change: what it proposes beside the record now, its state and decision."""
    change = change_get(user=request.user, change_id=change_id, own=True)
    registry = registry_get(change.registry)
    card = change_card(request, change, registry, change_titles([change])[change.pk])
    if card is None:
        raise Http404("The change's record is gone.")
    pending = change.state == ChangeState.PENDING
    return render(
        request,
        "layers/editing/change.html",
        {
            "registry": registry,
            "card": card,
            "change": change,
            "old_heading": _("Now (old)") if pending else _("Now"),
            "new_heading": _proposed_heading(change.state),
            "can_withdraw": pending and change.author_id == request.user.pk,
            "resubmit_url": resubmit_url(request, change, card["record"]),
            "form": DecisionForm(),
        },
    )


def _back(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("layers:editing:dashboard")


@login_required
@require_POST
def notification_read(request, notification_id):
    """Mark one of the user's notifications read (anyone else's is not found)."""
    try:
        notification = Notification.objects.get(pk=notification_id, recipient=request.user)
    except Notification.DoesNotExist:
        raise Http404("No such notification.") from None
    services.notification_mark_read(notification=notification, user=request.user)
    return HttpResponseRedirect(_back(request))


@login_required
@require_POST
def notifications_read(request):
    """Mark all the user's notifications read."""
    services.notifications_mark_all_read(user=request.user)
    return HttpResponseRedirect(_back(request))
