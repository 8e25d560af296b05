"""Background work on the task queue (Procrastinate, on the portal's own PostgreSQL; the
worker is ``manage.py procrastinate worker``, which ``make run`` starts with the portal).

Tasks are thin: they load the job and call the service that does the work, so the
management command and the tests run the very same code in the foreground.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from procrastinate.contrib.django import app

from layers.models.imports import ImportJob, ImportState

logger = logging.getLogger(__name__)
QUEUE = "imports"
# How long a staged photo no pending change lists is kept (an editor may still send it).
STAGED_PHOTOS_KEPT = datetime.timedelta(days=7)


def _run(job_id: int, step: str, work) -> None:
    from layers.editing.errors import WorkflowError
    from layers.imports.queue import STEP_STATES

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    _working, failed = STEP_STATES[step]
    try:
        work(job)
    except (WorkflowError, ValidationError) as exc:  # refused as a whole: say why
        reason = " ".join(getattr(exc, "messages", None) or [str(exc)])
        ImportJob.objects.filter(pk=job_id).update(state=failed, message=reason[:1000])
    except Exception as exc:  # the job records why; the worker goes on with the next job
        logger.exception("import %s: %s failed", job_id, step)
        ImportJob.objects.filter(pk=job_id).update(
            state=failed,
            message=_("The import failed: %(error)s") % {"error": str(exc)[:500]},
            **({"finished_at": timezone.now()} if failed == ImportState.FAILED else {}),
        )


def _with_progress(job_id: int, step: str, work) -> None:
    from layers.imports.progress import ProgressWriter

    progress = ProgressWriter(job_id, step)
    try:
        _run(job_id, step, lambda job: work(job, progress))
    finally:
        progress.close()


def _user(user_id: int):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user_id, is_active=True)


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


@app.task(queue=QUEUE, name="imports.decide", pass_context=False)
def import_decide_task(job_id: int, user_id: int, approve: bool, comment: str = "") -> None:
    """A reviewer's decision on a whole import (its pending changes), all or none."""
    from layers.imports.decisions import import_decide

    _with_progress(
        job_id,
        "decide",
        lambda job, progress: import_decide(
            job=job, user=_user(user_id), approve=approve, comment=comment, progress=progress
        ),
    )


@app.task(queue=QUEUE, name="imports.rollback", pass_context=False)
def import_rollback_task(job_id: int, user_id: int) -> None:
    from layers.imports.decisions import import_rollback

    _with_progress(
        job_id,
        "rollback",
        lambda job, progress: import_rollback(job=job, user=_user(user_id), progress=progress),
    )


@app.periodic(cron="*/1 * * * *")
@app.task(queue=QUEUE, name="imports.fail_stale", pass_context=False)
def import_fail_stale(timestamp: int) -> int:
    """Mark failed the jobs whose worker died (no sign of work for a while): the commit's
    transaction was rolled back with it, so nothing of them is in the registry."""
    from layers.imports.queue import imports_fail_stale

    with transaction.atomic():
        return imports_fail_stale()


@app.periodic(cron="17 3 * * *")
@app.task(queue=QUEUE, name="photos.purge_staged", pass_context=False)
def photos_purge_staged(timestamp: int) -> int:
    """Nightly: delete photos uploaded for changes that were closed without them."""
    from layers.services.photos import photos_staged_purge

    with transaction.atomic():
        return photos_staged_purge(older_than=STAGED_PHOTOS_KEPT)


@app.periodic(cron="7 8 * * *")
@app.task(queue=QUEUE, name="campaigns.remind", pass_context=False)
def campaign_remind(timestamp: int) -> int:
    """Each morning: the barrier-free campaign's reminders that are due (each sent once)."""
    from layers.campaigns.reminders import campaign_reminders_send

    return campaign_reminders_send()
