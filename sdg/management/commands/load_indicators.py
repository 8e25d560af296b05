from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from layers.editing.errors import WorkflowError
from sdg.loading import INDICATOR_FILES, indicators_load


class Command(BaseCommand):
    help = (
        "Load the SDG indicator definitions of data/sdg/ (upsert by code); with --values-as and "
        "--values-reviewer, also the yearly values the files list for entered indicators, "
        "proposed by the first account and approved by the second. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="*", help="TOML files (default: data/sdg/indicators.toml)"
        )
        parser.add_argument("--values-as", dest="author", help="who proposes the listed values")
        parser.add_argument("--values-reviewer", dest="reviewer", help="who approves them")

    def handle(self, *args, **options):
        try:
            counts = indicators_load(
                options["files"] or INDICATOR_FILES,
                author=options["author"],
                reviewer=options["reviewer"],
            )
        except (ValidationError, WorkflowError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", None) or [str(exc)])) from exc
        if options["verbosity"]:
            self.stdout.write(
                "Indicators: {created} created, {changed} changed, {unchanged} unchanged; "
                "{values} values entered.".format(**counts)
            )
