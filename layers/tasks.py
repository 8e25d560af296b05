"""Background work on the task queue (Procrastinate, on the portal's own PostgreSQL; the
worker is ``manage.py procrastinate worker``, which ``make run`` starts with the portal).

Tasks are thin: they load the job and call the service that does the work, so the
management command and the tests run the very same code in the foreground.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from procrastinate.contrib.django import app

from layers.models.imports import ImportJob, ImportState

logger = logging.getLogger(__name__)
QUEUE = "imports"


def _run(job_id: int, work) -> None:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    try:
        work(job)
    except Exception as exc:  # the job records why; the worker goes on with the next job
        logger.exception("import %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            state=ImportState.FAILED,
            message=_("The import failed: %(error)s") % {"error": str(exc)[:500]},
            finished_at=timezone.now(),
        )


def _with_progress(job_id: int, step: str, work) -> None:
    from layers.imports.progress import ProgressWriter

    progress = ProgressWriter(job_id, step)
    try:
        _run(job_id, lambda job: work(job, progress))
    finally:
        progress.close()


@app.task(queue=QUEUE, name="imports.check", pass_context=False)
def import_check_task(job_id: int) -> None:
    from layers.imports.services import import_check

    _with_progress(job_id, "check", lambda job, progress: import_check(job=job, progress=progress))


@app.task(queue=QUEUE, name="imports.commit", pass_context=False)
def import_commit_task(job_id: int) -> None:
    from layers.imports.services import import_commit

    _with_progress(
        job_id,
        "commit",
        lambda job, progress: import_commit(job=job, user=job.user, progress=progress),
    )


@app.periodic(cron="*/1 * * * *")
@app.task(queue=QUEUE, name="imports.fail_stale", pass_context=False)
def import_fail_stale(timestamp: int) -> int:
    """Mark failed the jobs whose worker died (no sign of work for a while): the commit's
    transaction was rolled back with it, so nothing of them is in the registry."""
    from layers.imports.services import imports_fail_stale

    with transaction.atomic():
        return imports_fail_stale()
