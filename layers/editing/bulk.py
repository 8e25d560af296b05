"""Writes of many records at once: the commit of a checked import (``layers.imports``).

The same workflow as one edit — new records wait for review, a published record matched by
key gets a proposed change, a matched draft is changed as the editor would — but written in
batches: a city's tree survey is tens of thousands of rows. The history is the same as the
per-row trigger writes (one event per new record, naming the import), written by one
statement per batch instead of a trigger call per row, which would be most of the time.
"""

import contextlib
from dataclasses import dataclass

import pgtrigger
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils.translation import gettext_lazy as _

from layers.editing.errors import WorkflowError
from layers.editing.models import ChangeKind, ChangeRequest
from layers.editing.permissions import Action
from layers.editing.services.common import history_context, lock, record_save, require
from layers.editing.values import values_apply, values_parse
from layers.models import Status
from layers.registry import Registry

BATCH = 1000
GEOMETRY = "geom"


@dataclass(frozen=True)
class ImportResult:
    created: int
    changed: int


def _import_change(*, registry, record, job, user, kind, payload=None) -> ChangeRequest:
    return ChangeRequest(
        registry=registry.id,
        record_id=record.pk,
        record_public_id=record.public_id,
        kind=kind,
        payload=payload or {},
        base_version=record.version,
        author=user,
        author_comment=str(_("Import of %(file)s")) % {"file": job.file_name},
        import_job=job,
    )


def _copy_create(model, objects: list) -> None:
    """``bulk_create`` through COPY: the primary keys drawn from the table's sequence first,
    every value prepared by the model's own fields (defaults, ``auto_now``, adapters) as
    Django's INSERT would. Django's multi-row INSERT spends more time composing and
    splitting its statement than PostgreSQL spends on the rows."""
    if not objects:
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.generated]
    db = connections[DEFAULT_DB_ALIAS]  # not the proxy: it is looked up once per value
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
        columns = ", ".join(db.ops.quote_name(f.column) for f in fields)
        statement = f"COPY {db.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for obj in objects:
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields])
    for obj in objects:
        obj._state.adding, obj._state.db = False, db.alias


@contextlib.contextmanager
def _insert_history_skipped(registry: Registry):
    """Skip django-pghistory's insert trigger on the registry's table for the statements in
    the block, through pgtrigger's own switch (``pgtrigger.ignore`` reads it). Set once
    here: ``pgtrigger.ignore()`` would render every batch's whole INSERT to a string to
    prefix it, which costs more than the insert."""
    model = registry.model
    (trigger,) = [t for m, t in pgtrigger.registered() if m is model and t.name == "insert_insert"]
    pgid = trigger.get_pgid(model)
    names = "{" + ",".join([f"{model._meta.db_table}:{pgid}", pgid]) + "}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pgtrigger.ignore', true)")
        (before,) = cursor.fetchone()
        cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [names])
        try:
            yield
        finally:
            cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [before or "{}"])


def _history_of_inserts(registry: Registry, ids: list[int]) -> None:
    """The history events the insert trigger would have written for these new records, in
    one statement, attached to the current history context (the import's)."""
    event = registry.history_model
    table = registry.model._meta.db_table
    tracked = [f.column for f in event._meta.local_fields if not f.name.startswith("pgh_")]
    columns = ", ".join(f'"{c}"' for c in tracked)
    selected = ", ".join(f'r."{c}"' for c in tracked)
    with connection.cursor() as cursor:
        # An INSERT, so that django-pghistory sets its context for it (it skips SELECTs);
        # the context row is attached once, in the CTE, not once per event.
        cursor.execute(
            f"""WITH context AS (SELECT _pgh_attach_context() AS id)
                INSERT INTO "{event._meta.db_table}"
                ({columns}, pgh_context_id, pgh_created_at, pgh_label, pgh_obj_id)
                SELECT {selected}, context.id, NOW(), 'insert', r.id
                FROM "{table}" r CROSS JOIN context WHERE r.id = ANY(%s)""",  # noqa: S608 - names from the models
            [ids],
        )


@transaction.atomic
def records_import(*, registry: Registry, user, job, rows, progress=None) -> ImportResult:
    """Write the checked rows of an import: new records, submitted for review at once, and
    proposed changes of the published records they matched (a matched draft is changed
    directly, as the editor would). One batch of change requests that a reviewer decides
    together; every record's history names the import (file, SHA-256).

    The rows were checked by ``layers.imports.checking`` in this job: their values are
    parsed again (JSON to the model's values), their geometry — checked by the geometry
    validator then — is taken as stored."""
    require(user, Action.CREATE, registry)
    context = {"import": str(job.public_id), "file": job.file_name, "sha256": job.sha256}
    created = changed = 0
    new_records: list = []

    def flush() -> None:
        nonlocal created
        if not new_records:
            return
        with _insert_history_skipped(registry):
            _copy_create(registry.model, new_records)
        _history_of_inserts(registry, [r.pk for r in new_records])
        _copy_create(
            ChangeRequest,
            [
                _import_change(
                    registry=registry, record=r, job=job, user=user, kind=ChangeKind.PUBLISH
                )
                for r in new_records
            ],
        )
        created += len(new_records)
        new_records.clear()
        if progress:
            progress(created + changed, job.rows_total)

    with history_context(user, "import", **context):
        for row in rows:
            if row.record_id is None:
                values = {k: v for k, v in row.values.items() if k != GEOMETRY}
                record = registry.new_record(
                    status=Status.IN_REVIEW, version=1, created_by=user, updated_by=user
                )
                values_apply(registry, record, values_parse(registry, values))
                setattr(record, GEOMETRY, row.geom)
                registry.derive_values(
                    record
                )  # as every save does (``services.common.record_save``)
                new_records.append(record)
                if len(new_records) == BATCH:
                    flush()
                continue
            record = lock(registry, registry.new_record(pk=row.record_id))
            if record.status == Status.PUBLISHED:
                _import_change(
                    registry=registry,
                    record=record,
                    job=job,
                    user=user,
                    kind=ChangeKind.UPDATE,
                    payload=row.values,
                ).save()
            elif record.status == Status.DRAFT:
                values_apply(registry, record, values_parse(registry, row.values))
                record_save(record, user=user)
            else:
                raise WorkflowError(
                    _("Row %(row)s: the matching record can no longer be changed.")
                    % {"row": row.number}
                )
            changed += 1
        flush()
    return ImportResult(created=created, changed=changed)
