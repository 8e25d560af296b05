"""Who may do what in the campaign. Owners (stewards) act on the objects they answer for;
the accessibility registry's reviewers run the campaign and decide on checklists and on
stewardships; its editors and reviewers see the dashboard."""

from layers.editing.errors import NotPermitted
from layers.editing.permissions import Action, user_can
from layers.models.campaigns import Stewardship, StewardshipState

REGISTRY = "accessibility"


def user_stewards(user, accessible_object) -> bool:
    """Whether ``user`` answers for ``accessible_object`` now (an active stewardship)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return Stewardship.objects.filter(
        user=user, accessible_object=accessible_object, state=StewardshipState.ACTIVE
    ).exists()


def user_runs_campaign(user) -> bool:
    """Reviewers of the accessibility registry open campaigns and decide on checklists."""
    return user_can(user, Action.REVIEW, REGISTRY)


def user_sees_campaign(user) -> bool:
    return user_can(user, Action.VIEW, REGISTRY)


def reviewers() -> list:
    """The active accounts with an address that decide in the campaign (for mail): the
    superusers and those whose role in the registry includes reviewing — one query."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from layers.editing.permissions import ROLE_ACTIONS

    roles = [role for role, actions in ROLE_ACTIONS.items() if Action.REVIEW in actions]
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(registry_roles__registry=REGISTRY, registry_roles__role__in=roles)
        )
        .distinct()
    )


def require_steward(user, accessible_object) -> None:
    if not user_stewards(user, accessible_object):
        raise NotPermitted()


def require_runs_campaign(user) -> None:
    if not user_runs_campaign(user):
        raise NotPermitted()


def page(request, template: str, context: dict, status: int = 200):
    """Render a campaign page; its navigation shows the staff's links to staff only."""
    from django.shortcuts import render

    return render(
        request, template, {**context, "staff": user_sees_campaign(request.user)}, status=status
    )
