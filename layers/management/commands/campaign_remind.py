"""Send the barrier-free campaign's reminders that are due (the worker does it each morning)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from layers.campaigns.reminders import campaign_reminders_send


class Command(BaseCommand):
    help = (
        "Remind the owners of objects whose checklist is not submitted: once before the "
        "deadline (the campaign's reminder days) and once after it. Each reminder is sent once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as on this date (YYYY-MM-DD), e.g. to test.")

    def handle(self, *args, today=None, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError(f"--today: not a date: {today!r} (YYYY-MM-DD)") from None
        count = campaign_reminders_send(today=day)
        self.stdout.write(f"Owners reminded: {count}.")
