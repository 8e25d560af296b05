from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from layers.datasets.loader import DefinitionFileError, load_definitions


class Command(BaseCommand):
    help = (
        "Load the registry definitions kept as files (data/registries/*.toml, or the files "
        "given) into the database: registries defined as data, their fields and choice lists. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="definition files (TOML)")

    def handle(self, *args, paths, **options):
        for path in paths:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        try:
            report = load_definitions(list(paths) or None)
        except DefinitionFileError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Registries defined as data: {len(report.registries)} loaded "
            f"({report.fields_added} fields added, {report.fields_changed} changed)."
        )
        for name in report.kept:
            self.stdout.write(f"  kept {name}: in the database, not in its file")
