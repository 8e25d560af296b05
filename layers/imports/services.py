"""Writes of the bulk import: take a file in, check every row, commit all or nothing.

1. ``import_create`` stores the upload under a server-made name, notes its SHA-256 (the
   same file again is recognised), reads what it holds (format, encoding, layers, columns,
   CRS) and suggests a mapping of its columns to the registry's fields.
2. ``import_check`` reads every row and checks it (``checking.RowChecker``), near-duplicates
   within the file and against the registry included, and keeps the result per row. Nothing
   of the registry is written.
3. ``import_commit`` turns the checked rows into drafts submitted for review and proposed
   changes of the matched records, in one transaction (``editing.bulk.records_import``):
   a reviewer then sees the import as one batch. A file with any refused row is not
   committed.
"""

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layers.editing import bulk
from layers.editing.errors import NotPermitted
from layers.editing.permissions import Action, user_can
from layers.imports import readers
from layers.imports.checking import RowChecker
from layers.imports.mapping import ColumnMapping, suggest_columns, suggest_values
from layers.models.boundary import boundary_pinned
from layers.models.imports import ImportJob, ImportRow, ImportState, RowAction

BATCH = 1000
SAMPLE_ROWS = 200
Progress = Callable[[int, int | None], None]


def _limit(name: str, default):
    return getattr(settings, name, default)


def _require(user, action: str, registry) -> None:
    if not user_can(user, action, registry):
        raise NotPermitted()


def _store(upload, job: ImportJob) -> None:
    """Copy the upload to storage under a server-made name, counting bytes and hashing."""
    limit = _limit("GEOPORTAL_IMPORT_MAX_BYTES", 200 * 1024 * 1024)
    digest, size = hashlib.sha256(), 0
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as copy:
        for chunk in (
            upload.chunks()
            if hasattr(upload, "chunks")
            else iter(lambda: upload.read(1 << 20), b"")
        ):
            size += len(chunk)
            if size > limit:
                raise ValidationError(
                    _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
                    code="too_large",
                )
            digest.update(chunk)
            copy.write(chunk)
        copy.seek(0)
        job.sha256, job.size = digest.hexdigest(), size
        suffix = Path(job.file_name).suffix.lower()[:8]
        job.file.save(f"{job.public_id}{suffix}", File(copy), save=False)


class LocalCopy:
    """The stored file as a path in a temporary directory of its own (any storage)."""

    def __init__(self, job: ImportJob):
        self.job = job

    def __enter__(self) -> Path:
        self.directory = Path(tempfile.mkdtemp(prefix="geoportal-import-"))
        path = self.directory / f"upload{Path(self.job.file.name).suffix}"
        with self.job.file.open("rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target)
        return path

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def _inspect(job: ImportJob, path: Path):
    options = job.options or {}
    return readers.inspect(
        path,
        original_name=job.file_name,
        encoding=job.encoding or None,
        layer=job.layer or None,
        x_column=options.get("x_column"),
        y_column=options.get("y_column"),
        wkt_column=options.get("wkt_column"),
    )


def earlier_import(job: ImportJob) -> ImportJob | None:
    """An earlier import of the same file into the same registry that was not undone."""
    return (
        ImportJob.objects.filter(registry=job.registry, sha256=job.sha256)
        .exclude(pk=job.pk)
        .exclude(state__in=[ImportState.FAILED, ImportState.ROLLED_BACK, ImportState.REFUSED])
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def import_create(
    *,
    registry,
    user,
    upload,
    file_name: str,
    encoding: str = "",
    layer: str = "",
    source_crs: str = "",
    options: dict | None = None,
    mapping: ColumnMapping | None = None,
) -> ImportJob:
    """Take a file in for ``registry``: store it, read what it holds, suggest a mapping.
    Refused (ValidationError, nothing kept) when the file cannot be read."""
    _require(user, Action.CREATE, registry)
    job = ImportJob(
        registry=registry.id,
        user=user,
        file_name=Path(file_name).name[:255] or "upload",
        encoding=encoding,
        layer=layer,
        source_crs=source_crs,
        options=options or {},
    )
    _store(upload, job)
    try:
        with LocalCopy(job) as path:
            info = _inspect(job, path)
            samples = _samples(path, info, job)
    except readers.ImportFileError as exc:
        job.file.delete(save=False)
        raise ValidationError(str(exc.message), code=exc.code) from None
    except BaseException:
        job.file.delete(save=False)
        raise
    job.format, job.layer = info.format, info.layer
    job.encoding = info.encoding or ""
    job.source_crs = job.source_crs or (info.crs or "")
    job.options = {**job.options, "columns": info.columns, "layers": info.layers}
    if mapping is None:
        columns = suggest_columns(registry, info.columns)
        mapping = ColumnMapping(columns=columns, values=suggest_values(registry, columns, samples))
    job.mapping = mapping.as_json()
    job.rows_total = info.row_count
    job.full_clean()
    job.save()
    return job


def _samples(path: Path, info, job: ImportJob) -> dict[str, set]:
    """The distinct values of each column in the first rows (for value suggestions)."""
    seen: dict[str, set] = {column: set() for column in info.columns}
    for index, row in enumerate(readers.read_rows(path, info, source_crs=job.source_crs or None)):
        if index >= SAMPLE_ROWS:
            break
        for column, value in row.values.items():
            if value not in (None, "") and len(seen.setdefault(column, set())) < 50:
                seen[column].add(value)
    return seen


def _heartbeat(job: ImportJob, **fields) -> None:
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now(), **fields)


def import_check(*, job: ImportJob, progress: Progress | None = None) -> ImportJob:
    """Check every row of the file against the registry (nothing of it is written)."""
    from layers.registry import registry_get

    registry = registry_get(job.registry)
    mapping = ColumnMapping.from_json(job.mapping)
    checker = RowChecker(registry, mapping)
    job.state, job.started_at, job.message = ImportState.VALIDATING, timezone.now(), ""
    job.rows_done = job.rows_bad = job.rows_new = job.rows_changed = 0
    job.save()
    with transaction.atomic():
        ImportRow.objects.filter(job=job).delete()
        batch, counts = [], {"bad": 0, "new": 0, "changed": 0}
        try:
            with LocalCopy(job) as path, boundary_pinned():
                info = _inspect(job, path)
                for row in readers.read_rows(path, info, source_crs=job.source_crs or None):
                    checked = checker.check(
                        row.number, row.values, row.geometry, row.geometry_error, row.row_error
                    )
                    batch.append(_row_tuple(job, checked))
                    counts["bad"] += checked.action == RowAction.REFUSED
                    counts["new"] += checked.action == RowAction.CREATE
                    counts["changed"] += checked.action == RowAction.UPDATE
                    if len(batch) == BATCH:
                        _flush(job, batch, counts, progress)
        except readers.ImportFileError as exc:
            transaction.set_rollback(True)
            return _finish(job, ImportState.REFUSED, str(exc.message))
        _flush(job, batch, counts, progress)
        duplicates = _mark_duplicates(job, registry)
    job.refresh_from_db()
    job.rows_total = job.rows_done
    state = ImportState.REFUSED if job.rows_bad else ImportState.VALIDATED
    message = (
        _("%(count)s possible duplicate(s) to look at.") % {"count": duplicates}
        if duplicates
        else ""
    )
    return _finish(job, state, message)


_ROW_COLUMNS = (
    "job_id", "number", "source", "values", "geom", "errors", "warnings", "action", "record_id",
)  # fmt: skip


def _row_tuple(job: ImportJob, checked) -> tuple:
    """A checked row as COPY takes it (JSON as text, the geometry as hex EWKB)."""
    return (
        job.pk,
        checked.number,
        _json(checked.source),
        _json(checked.values),
        checked.geometry.hexewkb.decode() if checked.geometry is not None else None,
        _json(checked.errors),
        _json(checked.warnings),
        checked.action,
        checked.record_id,
    )


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def _flush(job: ImportJob, batch: list, counts: dict, progress: Progress | None) -> None:
    """Write a batch of checked rows with COPY (Django's bulk_create spends more time
    building its statement than PostgreSQL spends on the rows)."""
    if not batch:
        return
    columns = ", ".join(_ROW_COLUMNS)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {ImportRow._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for row in batch:
            copy.write_row(row)
    done = job.rows_done + len(batch)
    job.rows_done = done
    _heartbeat(
        job,
        rows_done=done,
        rows_bad=counts["bad"],
        rows_new=counts["new"],
        rows_changed=counts["changed"],
    )
    batch.clear()
    if progress:
        progress(done, job.rows_total)


def _duplicate_message(metres: float, other_row: int | None) -> str:
    if other_row is not None:
        return _("Within %(m)s m of row %(row)s: is this a duplicate?") % {
            "m": metres,
            "row": other_row,
        }
    return _("Within %(m)s m of a record already in the registry: a duplicate?") % {"m": metres}


def _mark_duplicates(job: ImportJob, registry) -> int:
    """Warn of rows within a short distance of another row or of a record of the registry
    (digitised twice); one query each, on the spatial indexes."""
    metres = float(
        (job.options or {}).get(
            "duplicate_distance_m", _limit("GEOPORTAL_IMPORT_DUPLICATE_DISTANCE_M", 1.0)
        )
    )
    degrees = metres / 60000  # a bound for the index: a degree is at least 60 km here
    records = registry.objects().exclude(status="archived")
    records_sql, records_params = records.values("id", "geom").query.sql_with_params()
    with connection.cursor() as cursor:
        # Against the registry, each row asks the registry's spatial index (LATERAL): as a
        # join the planner misjudged ST_DWithin and scanned 2,000,000 trees, probing the
        # job's index for each (28 s for 10,000 rows instead of 0.5 s).
        # The job's rows in a table of their own, with only a spatial index and fresh
        # statistics: on the shared table the planner prefers the (job, number) index and
        # scans half the job for each row (100,000 rows: 80 s instead of about one).
        table = ImportRow._meta.db_table
        cursor.execute(
            f"CREATE TEMPORARY TABLE import_points ON COMMIT DROP AS SELECT id, number,"  # noqa: S608 - our table
            f" record_id, geom FROM {table} WHERE job_id = %s AND geom IS NOT NULL",
            [job.pk],
        )
        cursor.execute("CREATE INDEX ON import_points USING gist (geom)")
        cursor.execute("ANALYZE import_points")
        cursor.execute(
            f"""
            SELECT r.id, min(o.number) AS other, NULL::bigint AS record
            FROM import_points r JOIN import_points o
              ON ST_DWithin(r.geom, o.geom, %s) AND o.number < r.number
             AND ST_Distance(r.geom::geography, o.geom::geography) < %s
            GROUP BY r.id
            UNION ALL
            SELECT r.id, NULL, x.record
            FROM import_points r CROSS JOIN LATERAL (
                SELECT min(t.id) AS record FROM ({records_sql}) t
                WHERE ST_DWithin(r.geom, t.geom, %s)
                  AND ST_Distance(r.geom::geography, t.geom::geography) < %s
                  AND (r.record_id IS NULL OR r.record_id <> t.id)
            ) x
            WHERE x.record IS NOT NULL
            """,  # noqa: S608 - the ORM's own SQL and parameters only
            [degrees, metres, *records_params, degrees, metres],
        )
        hits = cursor.fetchall()
        cursor.execute("DROP TABLE import_points")
    # A batch of rows at a time, their warnings only: into a registry of 2,000,000 trees
    # many rows of a survey lie within a metre of a tree, and all of them at once with
    # their values took the worker's peak from 169 to 209 MB at 100,000 rows (407 MB at
    # 500,000); a batch at a time it stays at 169 MB.
    hits.sort(key=lambda hit: hit[0])  # a row's two warnings in one batch
    for start in range(0, len(hits), BATCH):
        batch = hits[start : start + BATCH]
        rows = ImportRow.objects.only("id", "warnings").in_bulk([h[0] for h in batch])
        for row_id, other, _record in batch:
            rows[row_id].warnings = [
                *rows[row_id].warnings,
                {
                    "column": "geometry",
                    "field": "geom",
                    "message": _duplicate_message(metres, other),
                },
            ]
        ImportRow.objects.bulk_update(rows.values(), ["warnings"])
    return len({h[0] for h in hits})


def _finish(job: ImportJob, state: str, message: str) -> ImportJob:
    job.refresh_from_db()
    job.state, job.message, job.finished_at = state, message, timezone.now()
    job.save(update_fields=["state", "message", "finished_at", "rows_total"])
    return job


@transaction.atomic
def import_commit(*, job: ImportJob, user, progress: Progress | None = None) -> ImportJob:
    """Commit a checked import: all rows or none. New rows become records submitted for
    review, rows matching a record become proposed changes of it; the reviewers see the
    import as one batch. Each record's history names the import."""
    from layers.registry import registry_get

    registry = registry_get(job.registry)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.state not in (ImportState.VALIDATED, ImportState.COMMITTING) or job.rows_bad:
        raise ValidationError(
            _("Only a checked import without refused rows is committed (this one is %(state)s).")
            % {"state": job.get_state_display()},
            code="not_validated",
        )
    _require(user, Action.CREATE, registry)
    rows = (
        job.rows.exclude(action__in=[RowAction.UNCHANGED, RowAction.REFUSED])
        .defer("source", "errors", "warnings")
        .order_by("number")
    )
    with boundary_pinned():
        result = bulk.records_import(
            registry=registry,
            user=user,
            job=job,
            rows=rows.iterator(chunk_size=BATCH),
            progress=progress,
        )
    job.state, job.finished_at = ImportState.COMMITTED, timezone.now()
    job.rows_new, job.rows_changed = result.created, result.changed
    job.save()
    return job
