"""Writes of the editing workflow. Views, the API, the admin and scripts call these; nothing
else changes a record's status, version or authorship.

Lifecycle of a new record: draft (editors change it freely, version by version) → in review
(submitted; a ``publish`` change request waits) → published (a reviewer approved) →
archived. A published record is never changed directly: an edit becomes an ``update``
change request and the record stays public and unchanged until a reviewer, never the
author, approves it. Every write names the version it was based on and is refused with
``StaleVersion`` if that is no longer current.
"""

from layers.editing.services.changes import (
    change_approve,
    change_cancel,
    change_reject,
    change_withdraw,
)
from layers.editing.services.common import EditResult
from layers.editing.services.notifications import (
    import_decision_notify,
    notification_mark_read,
    notifications_mark_all_read,
)
from layers.editing.services.records import (
    record_archive,
    record_create,
    record_restore,
    record_submit,
    record_update,
)
from layers.editing.services.roles import role_grant, role_revoke
from layers.editing.services.tokens import api_token_issue, api_token_revoke
from layers.editing.values import editable_fields

__all__ = [
    "EditResult",
    "api_token_issue",
    "api_token_revoke",
    "change_approve",
    "change_cancel",
    "change_reject",
    "change_withdraw",
    "editable_fields",
    "import_decision_notify",
    "notification_mark_read",
    "notifications_mark_all_read",
    "record_archive",
    "record_create",
    "record_restore",
    "record_submit",
    "record_update",
    "role_grant",
    "role_revoke",
]
