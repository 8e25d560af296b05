"""What happens to a committed import as a whole: its reviewers approve or reject its batch
(all or none), or its administrators roll it back as new changes. Both run in the worker for
a large import (``layers.tasks``), with the same progress as the check and the commit."""

from collections import Counter

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from layers.editing import services as editing
from layers.editing.errors import NotPermitted, StaleVersion, WorkflowError
from layers.editing.models import ChangeKind, ChangeState
from layers.editing.permissions import Action
from layers.editing.selectors import history_model
from layers.imports.services import Progress, _require
from layers.models import Status
from layers.models.imports import ImportJob, ImportState
from layers.registry import registry_get


class BatchRefused(WorkflowError):
    """One change of an import's batch could not be decided: nothing of the batch was."""

    def __init__(self, change, reason: str):
        self.change = change
        super().__init__(
            _("Nothing was decided: the change of record %(record)s was refused: %(reason)s")
            % {"record": change.record_public_id, "reason": reason}
        )


def _pending_changes(job: ImportJob):
    return job.changes.filter(state=ChangeState.PENDING).order_by("id")


def import_pending_count(job: ImportJob) -> int:
    return _pending_changes(job).count()


@transaction.atomic
def import_decide(
    *, job: ImportJob, user, approve: bool, comment: str = "", progress: Progress | None = None
) -> int:
    """Approve or reject every pending change of an import as ``user``, all or none (one
    refused change refuses the batch: ``BatchRefused``). Returns how many were decided.
    Each author hears of it once for the batch, not once per change."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.state not in (ImportState.COMMITTED, ImportState.DECIDING):
        raise ValidationError(
            _("Only a committed import is decided (this one is %(state)s).")
            % {"state": job.get_state_display()},
            code="not_committed",
        )
    pending = list(_pending_changes(job).select_for_update())
    decided = 0
    authors = Counter()
    for change in pending:
        try:
            if approve:
                editing.change_approve(change=change, user=user, comment=comment, notify=False)
            else:
                editing.change_reject(change=change, user=user, comment=comment, notify=False)
        except (StaleVersion, ValidationError, WorkflowError) as exc:
            if isinstance(exc, NotPermitted):
                raise
            reason = " ".join(getattr(exc, "messages", None) or [str(exc)])
            raise BatchRefused(change, reason) from None
        decided += 1
        authors[change.author_id] += 1
        if progress:
            progress(decided, len(pending))
    if authors:
        editing.import_decision_notify(
            job=job, reviewer=user, approve=approve, comment=comment, authors=authors
        )
    job.state, job.message = ImportState.COMMITTED, ""
    job.save(update_fields=["state", "message"])
    return decided


@transaction.atomic
def import_rollback(*, job: ImportJob, user, progress: Progress | None = None) -> dict[str, int]:
    """Undo a committed import as new changes, in one transaction: its changes still waiting
    are closed, the records it created are archived (they leave the map, their history
    stays), and the records it changed get a proposed change back to the values they had
    before (a reviewer approves it like any change). Needs the rights to edit and to archive
    in the registry (an administrator of it)."""
    registry = registry_get(job.registry)
    _require(user, Action.EDIT, registry)
    _require(user, Action.ARCHIVE, registry)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.state not in (ImportState.COMMITTED, ImportState.ROLLING_BACK):
        raise ValidationError(
            _("Only a committed import is rolled back (this one is %(state)s).")
            % {"state": job.get_state_display()},
            code="not_committed",
        )
    comment = str(_("Rollback of the import of %(file)s")) % {"file": job.file_name}
    counts = {"closed": 0, "archived": 0, "restored": 0}
    changes = list(job.changes.order_by("id"))
    with pghistory.context(rollback=str(job.public_id)):
        for done, change in enumerate(changes, 1):
            if progress:
                progress(done, len(changes))
            if change.state == ChangeState.PENDING:
                editing.change_cancel(change=change, user=user, comment=comment)
                counts["closed"] += 1
            elif change.state != ChangeState.APPROVED:
                continue  # rejected or withdrawn: nothing of it was applied
            record = registry.objects().filter(pk=change.record_id).first()
            if record is None:
                continue
            if change.kind == ChangeKind.PUBLISH and record.status != Status.ARCHIVED:
                editing.record_archive(
                    registry=registry,
                    record=record,
                    user=user,
                    base_version=record.version,
                    comment=comment,
                )
                counts["archived"] += 1
            elif (
                change.kind == ChangeKind.UPDATE
                and change.state == ChangeState.APPROVED
                and record.status == Status.PUBLISHED
            ):
                counts["restored"] += _propose_back(registry, record, change, user)
    job.state = ImportState.ROLLED_BACK
    job.message = _(
        "%(comment)s: %(closed)s waiting change(s) closed, %(archived)s record(s) archived, "
        "%(restored)s record(s) proposed back to their earlier values."
    ) % {"comment": comment, **counts}
    job.save(update_fields=["state", "message"])
    return counts


def _propose_back(registry, record, change, user) -> int:
    """Propose the record back to the version the change was based on (1), unless there is
    no such version or it is as it was already (0)."""
    before = (
        history_model(registry)
        .objects.filter(pgh_obj_id=record.pk, version=change.base_version)
        .order_by("-pgh_id")
        .first()
    )
    if before is None:
        return 0
    try:
        editing.record_restore(
            registry=registry,
            record=record,
            user=user,
            event_id=before.pgh_id,
            base_version=record.version,
        )
    except WorkflowError:
        return 0  # already back as it was
    return 1
