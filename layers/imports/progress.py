"""Progress of a running import, visible to other connections while its transaction is open.

The check and the commit run in one transaction each (all or nothing); a page that polls the
job would see nothing until the end. So the worker writes its progress on a second,
autocommitting connection to the same database, into ``ImportProgress``, at most every
``INTERVAL`` seconds.
"""

import time

import psycopg
from django.db import connection
from django.utils import timezone

INTERVAL = 0.5


class ProgressWriter:
    """``writer(done, total)`` records how far a step is; ``close()`` ends the connection."""

    def __init__(self, job_id: int, step: str):
        self.job_id, self.step = job_id, step
        self.started = timezone.now()
        self.last = 0.0
        self._connection = None

    def _connect(self):
        if self._connection is None:
            db = connection.settings_dict
            self._connection = psycopg.connect(
                host=db["HOST"],
                port=db["PORT"] or None,
                user=db["USER"],
                password=db["PASSWORD"],
                dbname=db["NAME"],
                autocommit=True,
                connect_timeout=5,
            )
        return self._connection

    def __call__(self, done: int, total: int | None, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < INTERVAL:
            return
        self.last = now
        self._connect().execute(
            "INSERT INTO layers_importprogress (job_id, step, done, total, started_at, at)"
            " VALUES (%s, %s, %s, %s, %s, now())"
            " ON CONFLICT (job_id) DO UPDATE SET step = EXCLUDED.step, done = EXCLUDED.done,"
            " total = EXCLUDED.total, at = now(),"
            " started_at = CASE WHEN layers_importprogress.step = EXCLUDED.step"
            " THEN layers_importprogress.started_at ELSE EXCLUDED.started_at END",
            (self.job_id, self.step, done, total, self.started),
        )

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
