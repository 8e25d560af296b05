"""Citizen reports on the task queue (Procrastinate, declared like ``layers.tasks``)."""

import datetime

from django.conf import settings
from procrastinate.contrib.django import app

QUEUE = "default"  # the worker of ``make run`` listens to it (bin/serve)


@app.periodic(cron="37 3 * * *")
@app.task(queue=QUEUE, name="reports.purge_unconfirmed", pass_context=False)
def reports_purge_unconfirmed(timestamp: int) -> int:
    """Nightly: forget the reports whose confirmation link expired unused."""
    from reports.services.submit import reports_unconfirmed_purge

    days = settings.GEOPORTAL_REPORTS_LINK_DAYS
    return reports_unconfirmed_purge(older_than=datetime.timedelta(days=days))
