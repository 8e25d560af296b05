"""How far a job being checked or committed is, as the page and its progress endpoint say it.

The worker writes ``ImportProgress`` on a connection of its own while the step's transaction
is open; ``import_defer`` stamps ``heartbeat_at`` when it queues the step, so progress older
than that belongs to an earlier run. A step that shows no sign of work some time after it
was queued most likely waits for a worker that is not running.
"""

import dataclasses
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from layers.models.imports import ImportJob, ImportProgress, ImportState

STEPS = {
    ImportState.VALIDATING: "check",
    ImportState.COMMITTING: "commit",
    ImportState.DECIDING: "decide",
    ImportState.ROLLING_BACK: "rollback",
}
WORKING = tuple(STEPS)
TASKS = {step: f"imports.{step}" for step in STEPS.values()}
# Steps that count the import's changes rather than the file's rows.
CHANGE_STEPS = ("decide", "rollback")
WORKER_WAIT_SECONDS = 30


@dataclass
class JobProgress:
    state: str
    state_label: str
    working: bool
    done: int
    total: int | None
    seconds_left: int | None
    waiting_for_worker: bool
    message: str
    text: str

    def as_json(self) -> dict:
        return dataclasses.asdict(self)


def _task_status(job: ImportJob, step: str) -> str | None:
    """The task queue's status of the job's step ("todo", "doing", …), or None."""
    try:
        from procrastinate.contrib.django.models import ProcrastinateJob

        return (
            ProcrastinateJob.objects.filter(task_name=TASKS[step], args__job_id=job.pk)
            .order_by("-id")
            .values_list("status", flat=True)
            .first()
        )
    except Exception:  # the queue's tables are not there (or not readable): say nothing
        return None


def _duration(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}
    minutes = round(seconds / 60)
    return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}


def job_progress(job: ImportJob) -> JobProgress:
    """The job's state and, while it is checked or committed, its rows done / total, the
    time left and whether it seems to wait for a worker."""
    working = job.state in WORKING
    done, total, left, waiting = 0, job.rows_total, None, False
    message = job.message
    if working:
        step = STEPS[job.state]
        if step == "commit" and (job.rows_new or job.rows_changed):
            total = job.rows_new + job.rows_changed
        elif step in CHANGE_STEPS:
            total = None  # the worker says how many changes it decides or undoes
        queued_at = job.heartbeat_at or job.created_at
        progress = ImportProgress.objects.filter(job_id=job.pk, step=step).first()
        if progress is not None and progress.at < queued_at:
            progress = None  # of an earlier run
        now = timezone.now()
        if progress is not None:
            done = progress.done
            total = total or progress.total
            started = max(progress.started_at, queued_at)
            elapsed = (progress.at - started).total_seconds()
            if done and total and elapsed > 0:
                left = max(0, round(elapsed / done * (total - done)))
        started = step == "check" and job.started_at and job.started_at >= queued_at
        silent = (now - queued_at).total_seconds() > WORKER_WAIT_SECONDS
        if progress is None and not started and silent:
            waiting = _task_status(job, step) != "doing"
        if waiting:
            message = _(
                "Nothing has happened for %(time)s since this was queued. Is the background "
                "worker running? `make run` starts it (with the portal)."
            ) % {"time": _duration(int((now - queued_at).total_seconds()))}
        else:
            message = ""
    if total is not None and done > total:
        total = done
    changes = working and STEPS[job.state] in CHANGE_STEPS
    if working and total:
        of = _("%(done)s of %(total)s changes") if changes else _("%(done)s of %(total)s rows")
        text = of % {
            "done": number_format(done, force_grouping=True),
            "total": number_format(total, force_grouping=True),
        }
        if left is not None:
            text += " · " + _("about %(time)s left") % {"time": _duration(left)}
    elif working:
        text = (_("%(done)s changes") if changes else _("%(done)s rows")) % {
            "done": number_format(done, force_grouping=True)
        }
    else:
        text = ""
    return JobProgress(
        state=job.state,
        state_label=str(job.get_state_display()),
        working=working,
        done=done,
        total=total,
        seconds_left=left,
        waiting_for_worker=waiting,
        message=message,
        text=text,
    )
