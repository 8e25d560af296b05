"""Every row of an import checked by the validators the editor uses, before anything is
written: the values parsed by the registry's own fields (``values_parse``), the geometry by
the one geometry validator, the record as a whole by the model's ``full_clean`` (species
maxima, a data-defined registry's field rules), and, when the mapping names a key, matched to
the record it updates. A row's problems name its row number and its column.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from layers.datasets.fields import is_data_field
from layers.editing.values import (
    editable_fields,
    record_values,
    stored_value,
    values_apply,
    values_diff,
    values_parse,
)
from layers.imports.mapping import (
    GEOMETRY_FIELD,
    ColumnMapping,
    _is_list,
    importable_fields,
    normalise,
    value_options,
)
from layers.models import Status
from layers.models.imports import RowAction

GEOMETRY_COLUMN = "geometry"  # how the report names the geometry's "column"


@dataclass
class CheckedRow:
    number: int
    source: dict
    values: dict = field(default_factory=dict)  # field name -> JSON value (as change payloads)
    geometry: object = None  # the checked GEOS geometry (WGS 84)
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    action: str = RowAction.CREATE
    record_id: int | None = None

    def problem(self, column: str, name: str, message: str) -> None:
        self.errors.append({"column": column, "field": name, "message": str(message)})
        self.action = RowAction.REFUSED


def _json_cell(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class RowChecker:
    """Checks the rows of one import; what every row needs is looked up once."""

    def __init__(self, registry, mapping: ColumnMapping):
        self.registry = registry
        self.mapping = mapping
        self.fields = {f.name: f for f in importable_fields(registry)}
        self.editable = {f.name: f for f in editable_fields(registry)}
        unknown = set(mapping.columns) - set(self.fields)
        if unknown:
            raise ValueError(
                _("The mapping names fields this registry does not have: %(names)s.")
                % {"names": ", ".join(sorted(unknown))}
            )
        if mapping.key and mapping.key not in self.fields:
            raise ValueError(
                _("The key field %(name)s is not a field of this registry.") % {"name": mapping.key}
            )
        self.options = {
            name: value_options(self.fields[name])
            for name in mapping.columns
            if name in self.fields
        }
        self.related = {
            name: f.related_model.objects.in_bulk()
            for name, f in self.fields.items()
            if isinstance(f, models.ForeignKey) and name in mapping.columns
        }
        self.keys = self._existing_keys() if mapping.key else {}
        # Related values were matched to existing objects above (in_bulk): the model's
        # check of each would be a query per row.
        self.seen_keys: dict[str, int] = {}

    def _existing_keys(self) -> dict[str, int]:
        """Key value → record primary key, for the records the import may update."""
        field = self.fields[self.mapping.key]
        # Only the key's column (or JSON key), not whole records: a registry of 500,000 trees.
        column = f"values__{field.data_key}" if is_data_field(field) else field.attname
        queryset = self.registry.objects().exclude(status=Status.ARCHIVED)
        return {
            normalise(value): pk
            for pk, value in queryset.values_list("pk", column).iterator(chunk_size=5000)
            if value not in (None, "")
        }

    def _value(self, row: CheckedRow, name: str, column: str, raw):
        """The value of one cell as the field takes it (choices and related records
        translated by the mapping, or recognised as written)."""
        if isinstance(raw, str):
            raw = raw.strip()
        if raw is None or raw == "":
            return None
        explicit = self.mapping.values.get(name, {})
        options = self.options.get(name)
        field = self.fields[name]
        if _is_list(field) and isinstance(raw, str):
            parts = [p for p in (part.strip() for part in raw.replace(",", ";").split(";")) if p]
            return [self._one(row, name, column, part, explicit, options) for part in parts]
        return self._one(row, name, column, raw, explicit, options)

    def _one(self, row, name, column, raw, explicit, options):
        if str(raw) in explicit:
            return explicit[str(raw)]
        if not options:
            if isinstance(raw, str) and isinstance(
                self.fields[name], models.DecimalField | models.FloatField
            ):
                # Ukrainian files write 12,5; spreadsheets may group thousands with spaces.
                raw = raw.replace("\u00a0", "").replace(" ", "").replace(",", ".")
            return _json_cell(raw)
        value = options.get(normalise(raw))
        if value is None:
            row.problem(
                column,
                name,
                _("«%(value)s» is not one of the values of this field; map it to one.")
                % {"value": raw},
            )
        return value

    def check(
        self,
        number: int,
        cells: dict,
        geometry: dict | None,
        geometry_error: str | None,
        row_error: str | None = None,
    ):
        row = CheckedRow(number=number, source={k: _json_cell(v) for k, v in cells.items()})
        if row_error:
            row.problem("", "", row_error)
        raw: dict = {}
        if geometry_error:
            row.problem(GEOMETRY_COLUMN, GEOMETRY_FIELD, geometry_error)
        elif geometry is None:
            row.problem(GEOMETRY_COLUMN, GEOMETRY_FIELD, _("The row has no geometry."))
        else:
            raw[GEOMETRY_FIELD] = geometry
        for name, column in self.mapping.columns.items():
            if column not in cells:
                continue
            value = self._value(row, name, column, cells[column])
            if value is not None and value != [None]:
                raw[name] = value
        if row.errors:
            return row
        record = self._target(row, raw)
        if record is None:
            return row
        try:
            parsed = values_parse(self.registry, raw)
        except ValidationError as exc:
            self._report(row, exc)
            return row
        before = record_values(self.registry, record) if record.pk else {}
        values_apply(self.registry, record, parsed)
        self._attach_related(record)
        try:
            # The uniqueness of keys is checked across the file and the registry above; a
            # query per row for it would make a large file take minutes. The geometry was
            # checked by values_parse (the one geometry validator) just above.
            record.full_clean(
                exclude=[*self.related, GEOMETRY_FIELD],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            self._report(row, exc)
            return row
        row.geometry = getattr(record, GEOMETRY_FIELD)
        if record.pk:
            after = record_values(self.registry, record)
            changed = values_diff(self.registry, before, after)
            row.values = {name: after[name] for name in changed}
            row.action = RowAction.UPDATE if changed else RowAction.UNCHANGED
        else:
            # The geometry is kept as a geometry (ImportRow.geom), not a second time as JSON.
            row.values = {
                name: stored_value(record, self.editable[name])
                for name in raw
                if name != GEOMETRY_FIELD
            }
        return row

    def _target(self, row: CheckedRow, raw: dict):
        """The record the row describes: a matched one (by key) or a new one."""
        key = self.mapping.key
        if not key:
            return self.registry.new_record(status=Status.DRAFT)
        value = raw.get(key)
        column = self.mapping.columns.get(key, key)
        if value in (None, ""):
            return self.registry.new_record(status=Status.DRAFT)
        normal = normalise(value)
        if normal in self.seen_keys:
            row.problem(
                column,
                key,
                _("The same %(key)s as row %(row)s.") % {"key": key, "row": self.seen_keys[normal]},
            )
            return None
        self.seen_keys[normal] = row.number
        pk = self.keys.get(normal)
        if pk is None:
            return self.registry.new_record(status=Status.DRAFT)
        record = self.registry.objects().get(pk=pk)
        if record.status == Status.IN_REVIEW:
            row.problem(
                column,
                key,
                _("The matching record is waiting for review; import again after the review."),
            )
            return None
        row.record_id = pk
        return record

    def _attach_related(self, record) -> None:
        for name, objects in self.related.items():
            pk = getattr(record, self.fields[name].attname)
            if pk in objects:
                setattr(record, name, objects[pk])

    def _report(self, row: CheckedRow, exc: ValidationError) -> None:
        errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
        for name, items in errors.items():
            column = self.mapping.columns.get(name) or (
                GEOMETRY_COLUMN if name == GEOMETRY_FIELD else name or ""
            )
            for error in items:
                for message in error.messages if hasattr(error, "messages") else [error]:
                    row.problem(column, name or "", message)


def mapped_fields_without_column(registry, mapping: ColumnMapping) -> list[str]:
    """Required fields the mapping leaves empty (each new row would be refused)."""
    required = []
    for f in editable_fields(registry):
        if f.name in mapping.columns or f.name == GEOMETRY_FIELD:
            continue
        spec = getattr(f, "data_spec", None)
        if spec is not None:
            if spec.required:
                required.append(f.name)
        elif not f.blank and not f.has_default() and not isinstance(f, ArrayField):
            required.append(f.name)
    return required
