"""What the workflow services refuse, and why: views and the API turn these into messages
and HTTP statuses."""

from django.utils.translation import gettext_lazy as _


class WorkflowError(Exception):
    """An action the workflow does not allow in the record's or change's current state."""

    code = "not_allowed"
    http_status = 409

    def __init__(self, message=None):
        super().__init__(message or self.default_message())

    def default_message(self):
        return _("This action is not allowed now.")


class NotPermitted(WorkflowError):
    """The user's roles in the registry do not allow the action."""

    code = "permission_denied"
    http_status = 403

    def default_message(self):
        return _("Your roles in this registry do not allow this action.")


class OwnChange(NotPermitted):
    code = "own_change"

    def default_message(self):
        return _("A reviewer never approves their own change; another reviewer must do it.")


class StaleVersion(WorkflowError):
    """The write was based on a version that is no longer current (a lost update averted).

    ``changes`` lists what happened since: one dict per newer version with ``version``,
    ``user``, ``at`` and the changed ``fields``.
    """

    code = "stale_version"
    http_status = 412

    def __init__(self, *, base_version: int, current_version: int, changes: list[dict]):
        self.base_version = base_version
        self.current_version = current_version
        self.changes = changes
        fields = sorted({name for change in changes for name in change["fields"]})
        message = _(
            "The record was changed by someone else since you opened it (your version %(base)s, "
            "now %(current)s). Changed since: %(fields)s. Reload it and make your change again."
        ) % {
            "base": base_version,
            "current": current_version,
            "fields": ", ".join(fields) or "—",
        }
        super().__init__(message)
