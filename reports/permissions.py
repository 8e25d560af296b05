"""Who handles a report: the staff of its category's registry, by their roles there (as
today, ``layers.editing.permissions``). Anyone with a role sees the registry's reports;
editors and reviewers answer them (state and public comment); reviewers moderate (publish,
edit the text, hide a photo), as they decide what the public sees of records."""

from layers.editing.permissions import Action, user_can, user_registries


def can_see(user, report) -> bool:
    return user_can(user, Action.VIEW, report.category.registry)


def can_answer(user, report) -> bool:
    registry = report.category.registry
    return user_can(user, Action.EDIT, registry) or user_can(user, Action.REVIEW, registry)


def can_moderate(user, report) -> bool:
    return user_can(user, Action.REVIEW, report.category.registry)


def handled_registries(user) -> list[str]:
    """The registry ids whose reports the user sees."""
    return [registry.id for registry in user_registries(user, Action.VIEW)]
