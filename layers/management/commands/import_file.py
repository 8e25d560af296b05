import json
import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from layers.editing.errors import NotPermitted
from layers.imports import services
from layers.imports.mapping import ColumnMapping
from layers.models.imports import ImportState, RowAction
from layers.registry import registry_get


class Bar:
    """A progress bar on the terminal (rows done / total and the time left)."""

    def __init__(self, stream, label: str):
        self.stream, self.label = stream, label
        self.started = time.monotonic()
        self.last = 0.0
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and done != total:
            return
        self.last = now
        elapsed = now - self.started
        if total:
            share = min(done / total, 1)
            filled = int(share * 30)
            left = elapsed / share - elapsed if share else 0
            text = (
                f"{self.label} [{'#' * filled}{'.' * (30 - filled)}] "
                f"{done:,}/{total:,} ({share:.0%}), {left:.0f} s left"
            )
        else:
            text = f"{self.label}: {done:,} rows, {elapsed:.0f} s"
        self.stream.write(("\r" if self.tty else "") + text + ("" if self.tty else "\n"))
        self.stream.flush()

    def end(self) -> None:
        if self.tty:
            self.stream.write("\n")


class Command(BaseCommand):
    help = (
        "Import a file (GeoJSON, zipped Shapefile, GeoPackage, KML, CSV, XLSX) into a registry. "
        "Without --commit it only checks every row and reports; with --commit the rows become "
        "records of the --as user submitted for review (or proposed changes of the records they "
        "match by the mapping's key). Exit status 1 when the file or any row is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("collection", help="collection id of the registry")
        parser.add_argument("path", type=Path)
        parser.add_argument("--mapping", type=Path, help="a mapping saved as JSON")
        parser.add_argument("--as", dest="username", help="the user the import is made as")
        parser.add_argument("--commit", action="store_true", help="write the rows (for review)")
        parser.add_argument("--encoding", default="", help="utf-8, utf-8-sig or cp1251")
        parser.add_argument("--layer", default="", help="the layer of a GeoPackage")
        parser.add_argument("--crs", default="", help="the CRS of coordinates, e.g. EPSG:5563")
        parser.add_argument("--x-column", default=None)
        parser.add_argument("--y-column", default=None)
        parser.add_argument("--wkt-column", default=None)
        parser.add_argument(
            "--same-file", action="store_true", help="import a file that was imported before"
        )

    def handle(self, *args, collection, path, mapping, username, commit, **options):
        try:
            registry = registry_get(collection)
        except KeyError:
            raise CommandError(f"There is no registry {collection!r}.") from None
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        user = self._user(username)
        column_mapping = self._mapping(mapping) if mapping else None
        reading = {k: options[k] for k in ("x_column", "y_column", "wkt_column") if options.get(k)}
        try:
            with path.open("rb") as upload:
                job = services.import_create(
                    registry=registry,
                    user=user,
                    upload=upload,
                    file_name=path.name,
                    encoding=options["encoding"],
                    layer=options["layer"],
                    source_crs=options["crs"],
                    options=reading,
                    mapping=column_mapping,
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except NotPermitted:
            raise CommandError(f"{user} may not create records in {collection}.") from None
        earlier = services.earlier_import(job)
        if earlier is not None and not options["same_file"]:
            job.file.delete(save=False)
            job.delete()
            raise CommandError(
                f"This file (SHA-256 {job.sha256[:12]}…) was imported before on "
                f"{earlier.created_at:%Y-%m-%d %H:%M} ({earlier.get_state_display()}); "
                "use --same-file to import it again."
            )
        self._describe(job)
        bar = Bar(sys.stderr, "Checking")
        job = services.import_check(job=job, progress=bar)
        bar.end()
        refused = self._report(job)
        if refused:
            raise CommandError(f"{refused} row(s) refused: nothing was written.", returncode=1)
        if not commit:
            self.stdout.write("Checked only (no --commit): nothing was written.")
            return
        bar = Bar(sys.stderr, "Committing")
        job = services.import_commit(job=job, user=user, progress=bar)
        bar.end()
        self.stdout.write(
            f"Committed: {job.rows_new} new record(s) and {job.rows_changed} change(s), "
            f"waiting for review as import {job.public_id}."
        )

    def _user(self, username):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"There is no active user {username!r}.")
            return user
        user = users.filter(is_superuser=True).order_by("id").first()
        if user is None:
            raise CommandError("Name the user the import is made as with --as USERNAME.")
        return user

    def _mapping(self, path: Path) -> ColumnMapping:
        try:
            return ColumnMapping.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path}: not a mapping ({exc})") from None

    def _describe(self, job) -> None:
        columns = job.mapping.get("columns", {})
        self.stdout.write(
            f"{job.file_name}: {job.format}, encoding {job.encoding or '-'}, "
            f"layer {job.layer or '-'}, CRS {job.source_crs or '-'}, "
            f"{job.rows_total if job.rows_total is not None else '?'} row(s)"
        )
        for name, column in columns.items():
            self.stdout.write(f"  {column} → {name}")
        unmapped = [c for c in job.options.get("columns", []) if c not in columns.values()]
        if unmapped:
            self.stdout.write(f"  not imported: {', '.join(unmapped)}")

    def _report(self, job) -> int:
        if job.state == ImportState.REFUSED and not job.rows.exists():
            raise CommandError(job.message or "The file was refused.", returncode=1)
        refused = 0
        for row in job.rows.exclude(errors=[]).order_by("number"):
            refused += row.action == RowAction.REFUSED
            for error in row.errors:
                self.stdout.write(f"row {row.number}, {error['column'] or '-'}: {error['message']}")
        for row in job.rows.exclude(warnings=[]).order_by("number")[:200]:
            for warning in row.warnings:
                self.stdout.write(f"row {row.number} (warning): {warning['message']}")
        self.stdout.write(
            f"{job.rows_total or 0} row(s): {job.rows_new} new, {job.rows_changed} changed, "
            f"{job.rows_bad} refused."
        )
        return refused
