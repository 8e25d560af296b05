from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.services.categories import CATEGORIES_FILE, CategoryFileError, categories_load


class Command(BaseCommand):
    help = (
        "Load the categories of citizen reports (data/reports/categories.toml, or the file "
        "given) into the database. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=CATEGORIES_FILE)

    def handle(self, *args, path, **options):
        try:
            result = categories_load(path=path)
        except CategoryFileError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Report categories: {len(result.created)} created, {len(result.changed)} "
            f"changed, {result.unchanged} unchanged."
        )
