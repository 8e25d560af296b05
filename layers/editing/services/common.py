"""What the workflow's writes share: the role check, the row lock, the version check, the
history context, and the one save of a record (its parts, derived values and snapshot).
"""

from dataclasses import dataclass

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layers.editing.errors import NotPermitted, StaleVersion
from layers.editing.models import ChangeRequest
from layers.editing.parts import parts_read, parts_write
from layers.editing.permissions import user_can
from layers.editing.selectors import record_changes_since
from layers.registry import Registry, registry_for_record


@dataclass(frozen=True)
class EditResult:
    """What an edit did: changed the record itself (a draft), or proposed a change."""

    record: object
    change: ChangeRequest | None = None

    @property
    def applied(self) -> bool:
        return self.change is None


def version_check_enabled() -> bool:
    # A switch for the concurrency test's control run only: honoured only with DEBUG on.
    unsafe = getattr(settings, "GEOPORTAL_EDITING_UNSAFE_SKIP_VERSION_CHECK", False)
    return not (unsafe and settings.DEBUG)


def require(user, action: str, registry: Registry) -> None:
    if not user_can(user, action, registry):
        raise NotPermitted()


def lock(registry: Registry, record):
    return registry.objects().select_for_update().get(pk=record.pk)


def check_version(registry: Registry, record, base_version) -> None:
    if base_version is None:
        raise ValidationError(
            _("The version your change is based on is missing."), code="version_required"
        )
    if int(base_version) != record.version and version_check_enabled():
        raise StaleVersion(
            base_version=int(base_version),
            current_version=record.version,
            changes=record_changes_since(
                registry=registry, record=record, base_version=int(base_version)
            ),
        )


def history_context(user, action: str, **extra):
    return pghistory.context(user=getattr(user, "pk", None), action=action, **extra)


def record_save(record, *, user, bump: bool = True, parts: dict | None = None) -> None:
    """Every save of a record by the workflow: its parts (checked ``parts_clean`` lists,
    written once the record exists), then its derived values (the registry's hook, so that
    no path leaves them stale), the snapshot of its parts for the history, and the model's
    checks."""
    registry = registry_for_record(record)
    if bump:
        record.version += 1
    record.updated_by = user
    if parts and record.pk is None:
        # A new record with parts: it must exist before they can point at it.
        record.parts_snapshot = parts_read(registry, record)
        registry.derive_values(record)
        record.full_clean()
        record.save()
    if parts and record.parts_snapshot is None:
        # Parts never recorded (a bulk load, the demo): recorded as they are before this
        # change writes them, so that the history shows what the change did to them.
        type(record).objects.filter(pk=record.pk).update(
            parts_snapshot=parts_read(registry, record)
        )
    if parts:
        parts_write(registry, record, parts, user=user)
    registry.derive_values(record)
    if registry.parts:
        record.parts_snapshot = parts_read(registry, record)
    record.full_clean()
    record.save()


def values_and_parts(payload: dict) -> tuple[dict, dict | None]:
    """A change's payload: the proposed values, and the proposed part lists if any."""
    values = {name: value for name, value in payload.items() if name != "parts"}
    return values, payload.get("parts")


def decision_record(change: ChangeRequest, *, user, state: str, comment: str) -> None:
    change.state = state
    change.reviewer = user
    change.review_comment = comment
    change.decided_at = timezone.now()
    change.full_clean()
    change.save()
