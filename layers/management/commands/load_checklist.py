from pathlib import Path

from django.core.management.base import BaseCommand

from layers.services.checklist import CHECKLIST_DIR, checklist_load


class Command(BaseCommand):
    help = (
        "Seed the official barrier-free checklist (Resolution No. 537 / No. 311) from "
        "data/barrier-free-criteria/*.tsv; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=CHECKLIST_DIR,
            help=f"folder with the TSV files (default {CHECKLIST_DIR})",
        )

    def handle(self, *args, directory: Path, **options):
        result = checklist_load(directory=directory)
        template = result.template
        counts = (
            f"{template.sections.count()} sections, "
            f"{template.sections.values('criteria').exclude(criteria=None).count()} criteria"
        )
        if result.changed:
            created = ", ".join(f"{n} {label}" for label, n in result.created.items()) or "none"
            updated = ", ".join(f"{n} {label}" for label, n in result.updated.items()) or "none"
            state = f"created {created}; updated {updated}"
        else:
            state = "unchanged"
        self.stdout.write(f"Checklist “{template.name}”: {counts}; {state}.")
