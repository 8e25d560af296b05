"""The review queue: changes waiting for review, old and new side by side, and the
decisions on them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from layers.editing import services
from layers.editing.errors import StaleVersion, WorkflowError
from layers.editing.forms import DecisionForm
from layers.editing.models import ChangeState
from layers.editing.permissions import Action, user_registries
from layers.editing.selectors import change_get, change_queryset, pending_counts
from layers.editing.titles import change_titles
from layers.editing.views.cards import change_card
from layers.editing.views.common import stale_message

# --- Review -----------------------------------------------------------------------------


@login_required
@require_GET
def review_queue(request):
    """Changes waiting for review, per registry: old and new values side by side."""
    registries = user_registries(request.user, Action.REVIEW) or user_registries(
        request.user, Action.VIEW
    )
    if not registries:
        raise PermissionDenied
    counts = pending_counts(user=request.user)
    selected = request.GET.get("registry")
    selected = next((r for r in registries if r.id == selected), registries[0])
    pending = list(
        change_queryset(user=request.user, registry=selected, states=[ChangeState.PENDING])
        .select_related("import_job")
        .order_by("created_at")[:30]
    )
    titles = change_titles(pending)
    cards = [
        card
        for change in pending
        if (card := change_card(request, change, selected, titles[change.pk])) is not None
    ]
    tabs = [
        {"registry": r, "count": counts.get(r.id, 0), "selected": r == selected} for r in registries
    ]
    return render(
        request,
        "layers/editing/review_queue.html",
        {"tabs": tabs, "registry": selected, "cards": cards, "form": DecisionForm()},
    )


def _decision(request, change_id, decide, done):
    change = change_get(user=request.user, change_id=change_id)
    form = DecisionForm(request.POST)
    # Decided on the change's own page: back to it (it then shows the decision).
    if request.POST.get("back") == "change":
        target = reverse("layers:editing:change", args=[change.pk])
    else:
        target = reverse("layers:editing:review") + f"?registry={change.registry}"
    if not form.is_valid():
        messages.error(request, _("The comment is too long."))
        return HttpResponseRedirect(target)
    try:
        decide(change, form.cleaned_data["comment"])
    except StaleVersion as exc:
        messages.error(request, stale_message(exc))
    except (WorkflowError, ValidationError) as exc:
        if getattr(exc, "http_status", None) == 403:
            raise PermissionDenied(str(exc)) from None
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, done)
    return HttpResponseRedirect(target)


@login_required
@require_POST
def change_approve(request, change_id):
    return _decision(
        request,
        change_id,
        lambda change, comment: services.change_approve(
            change=change, user=request.user, comment=comment
        ),
        _("The change is approved."),
    )


@login_required
@require_POST
def change_reject(request, change_id):
    return _decision(
        request,
        change_id,
        lambda change, comment: services.change_reject(
            change=change, user=request.user, comment=comment
        ),
        _("The change is rejected; its author sees your comment."),
    )


@login_required
@require_POST
def change_withdraw(request, change_id):
    change = change_get(user=request.user, change_id=change_id)
    try:
        services.change_withdraw(change=change, user=request.user)
    except WorkflowError as exc:
        if exc.http_status == 403:
            raise PermissionDenied(str(exc)) from None
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The change is withdrawn."))
    return HttpResponseRedirect(reverse("layers:editing:dashboard"))
