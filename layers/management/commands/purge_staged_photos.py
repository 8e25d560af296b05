"""Delete staged photos that no change waiting for review lists (the worker does it nightly)."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from layers.services.photos import photos_staged_purge
from layers.tasks import STAGED_PHOTOS_KEPT


class Command(BaseCommand):
    help = (
        "Delete photos uploaded for changes that were rejected, withdrawn or never sent, "
        "older than --days (default: as the nightly task)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=STAGED_PHOTOS_KEPT.days)

    def handle(self, *args, days, **options):
        with transaction.atomic():
            count = photos_staged_purge(older_than=datetime.timedelta(days=max(days, 0)))
        self.stdout.write(f"Staged photos deleted: {count}.")
