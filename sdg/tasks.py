"""The SDG snapshots on the task queue (Procrastinate, declared like ``layers.tasks``): monthly,
and on demand from the admin; the task calls the service that the management command and the
tests call in the foreground."""

from procrastinate.contrib.django import app

QUEUE = "default"  # the worker of ``make run`` listens to it (bin/serve)


@app.periodic(cron="5 2 1 * *")  # 02:05 on the first of every month
@app.task(queue=QUEUE, name="sdg.snapshot_monthly", pass_context=False)
def sdg_snapshot_monthly(timestamp: int) -> int:
    """A snapshot of every computed indicator, once a month."""
    from sdg.services import snapshots_take_all

    return len(snapshots_take_all())


@app.task(queue=QUEUE, name="sdg.snapshot", pass_context=False)
def sdg_snapshot(indicator_ids: list[int]) -> int:
    """Snapshots of the indicators asked for (the admin's action)."""
    from sdg.models import Indicator
    from sdg.services import snapshot_take

    indicators = Indicator.objects.filter(pk__in=indicator_ids, kind="computed")
    return len([snapshot_take(indicator=indicator) for indicator in indicators])
