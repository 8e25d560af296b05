"""The import's steps on the task queue: queued by the pages and run by the worker
(``layers.tasks``), and the jobs whose worker died marked as such."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layers.imports.services import _limit
from layers.models.imports import ImportJob, ImportProgress, ImportState

# The steps the worker runs: the job's state while it runs, and back to what when it fails
# (a failed check or commit wrote nothing: failed; a failed decision or rollback changed
# nothing of a committed import: committed again).
STEP_STATES = {
    "check": (ImportState.VALIDATING, ImportState.FAILED),
    "commit": (ImportState.COMMITTING, ImportState.FAILED),
    "decide": (ImportState.DECIDING, ImportState.COMMITTED),
    "rollback": (ImportState.ROLLING_BACK, ImportState.COMMITTED),
}


def import_defer(*, job: ImportJob, step: str, **arguments) -> None:
    """Queue a step of a job for the worker (after this transaction): ``check``,
    ``commit``, ``decide`` (``user_id``, ``approve``, ``comment``) or ``rollback``
    (``user_id``)."""
    from layers import tasks

    task = {
        "check": tasks.import_check_task,
        "commit": tasks.import_commit_task,
        "decide": tasks.import_decide_task,
        "rollback": tasks.import_rollback_task,
    }[step]
    state, _failed = STEP_STATES[step]
    ImportJob.objects.filter(pk=job.pk).update(state=state, heartbeat_at=timezone.now())
    transaction.on_commit(lambda: task.defer(job_id=job.pk, **arguments))


def imports_fail_stale() -> int:
    """Jobs whose step showed no sign of work for ``GEOPORTAL_IMPORT_STALE_SECONDS`` (their
    worker died): a check or commit is marked failed, a decision or rollback returns the job
    to committed. Their transaction died with the worker: nothing of them was written."""
    seconds = _limit("GEOPORTAL_IMPORT_STALE_SECONDS", 300)
    cutoff = timezone.now() - timezone.timedelta(seconds=seconds)
    working = ImportProgress.objects.filter(at__gte=cutoff).values("job_id")
    stale = ImportJob.objects.filter(heartbeat_at__lt=cutoff).exclude(pk__in=working)
    failed = stale.filter(state__in=[ImportState.VALIDATING, ImportState.COMMITTING]).update(
        state=ImportState.FAILED,
        message=_("The worker stopped answering; nothing was written. Run the import again."),
        finished_at=timezone.now(),
    )
    returned = stale.filter(state__in=[ImportState.DECIDING, ImportState.ROLLING_BACK]).update(
        state=ImportState.COMMITTED,
        message=_("The worker stopped answering; nothing was changed. Try again."),
    )
    return failed + returned
