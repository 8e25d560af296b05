"""Who may do what in which registry: the role → actions table and its selectors.

Roles are data (``RegistryRole`` rows); superusers are administrators of every registry.
"""

from django.utils.translation import gettext_lazy as _

from layers.editing.models import RegistryRole, Role


class Action:
    VIEW = "view"  # see unpublished records, history and pending changes
    CREATE = "create"  # create drafts
    EDIT = "edit"  # change drafts, propose changes to published records
    # Bring back an earlier version: applied to a draft by its editors; proposed for a
    # published record as a change, which a reviewer other than its author approves (so a
    # reviewer who restores is that change's author, and never its approver).
    RESTORE = "restore"
    SUBMIT = "submit"  # send a draft for review
    REVIEW = "review"  # approve or reject changes, publish drafts
    ARCHIVE = "archive"  # take a record off the public map (kept with its history)


ALL_ACTIONS = (
    Action.VIEW,
    Action.CREATE,
    Action.EDIT,
    Action.RESTORE,
    Action.SUBMIT,
    Action.REVIEW,
    Action.ARCHIVE,
)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.EDITOR: frozenset(
        {Action.VIEW, Action.CREATE, Action.EDIT, Action.RESTORE, Action.SUBMIT}
    ),
    Role.REVIEWER: frozenset({Action.VIEW, Action.REVIEW, Action.RESTORE, Action.ARCHIVE}),
    Role.ADMINISTRATOR: frozenset(ALL_ACTIONS),
}

ACTION_LABELS = {
    Action.VIEW: _("see unpublished records"),
    Action.CREATE: _("create drafts"),
    Action.EDIT: _("edit and propose changes"),
    Action.RESTORE: _("bring back earlier versions"),
    Action.SUBMIT: _("submit drafts for review"),
    Action.REVIEW: _("approve or reject changes"),
    Action.ARCHIVE: _("archive records"),
}

_CACHE_ATTR = "_registry_roles_cache"


def user_roles(user) -> dict[str, frozenset[str]]:
    """Registry id → the user's roles in it (cached on the user object for its request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        roles: dict[str, set[str]] = {}
        for registry, role in RegistryRole.objects.filter(user=user).values_list(
            "registry", "role"
        ):
            roles.setdefault(registry, set()).add(role)
        cached = {registry: frozenset(names) for registry, names in roles.items()}
        setattr(user, _CACHE_ATTR, cached)
    return cached


def user_can(user, action: str, registry) -> bool:
    """Whether ``user`` may do ``action`` (see ``Action``) in ``registry`` (object or id)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    registry_id = getattr(registry, "id", registry)
    return any(
        action in ROLE_ACTIONS[role] for role in user_roles(user).get(registry_id, frozenset())
    )


def user_registries(user, action: str) -> list:
    """The registries (objects, in registry-list order) where ``user`` may do ``action``."""
    from layers.registry import registries

    return [registry for registry in registries() if user_can(user, action, registry)]


def user_is_staff_editor(user) -> bool:
    """Whether the user has any role at all (may open the editing pages)."""
    return bool(user_registries(user, Action.VIEW))


def permissions_forget(user) -> None:
    """Drop the cached roles (after granting or revoking)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
