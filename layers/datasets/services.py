"""Writes of registry definitions: the registry, its fields, choice lists.

The schema of a registry that has records changes only in ways that lose nothing: adding
fields, choices and labels is always safe; renaming a field keeps its values and history
(values are stored under the field's immutable ``key``); a change that some stored values
would no longer pass — removing a field, retyping it, narrowing its limits, making it
required — is refused with the number of records affected, or, for a retype, done as an
explicit conversion that changes nothing unless every value converts.
"""

from dataclasses import dataclass, field

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from layers.datasets.fields import FieldSpec
from layers.datasets.registry import _spec, data_registries_forget
from layers.datasets.values import data_value_clean
from layers.models.datasets import (
    ChoiceItem,
    ChoiceList,
    DataRecord,
    FieldDefinition,
    RegistryDefinition,
)

# Changes of these attributes may make stored values invalid: checked against every record.
CHECKED_ATTRIBUTES = (
    "type",
    "required",
    "min_value",
    "max_value",
    "max_length",
    "decimal_places",
    "choice_list_id",
    "reference_registry",
)


@dataclass
class SchemaProblem:
    """Stored values that a proposed field would refuse."""

    field: str
    records: int
    examples: list[dict] = field(default_factory=list)

    def message(self) -> str:
        return _(
            "%(count)s record(s) hold values of “%(field)s” that the change would refuse, "
            "e.g. %(examples)s."
        ) % {
            "count": self.records,
            "field": self.field,
            "examples": "; ".join(
                f"{e['record']}: {e['value']!r} ({e['error']})" for e in self.examples
            )
            or "—",
        }


def _stored(definition_id: int, key: str):
    """(public id, stored value) of every record of the registry, values present or not."""
    return DataRecord.objects.filter(definition_id=definition_id).values_list(
        "public_id", f"values__{key}"
    )


def field_check(candidate: FieldDefinition, *, convert: bool = False) -> SchemaProblem | None:
    """Whether every stored value of the field passes the proposed definition (and, with
    ``convert``, converts to its new type). None when all do."""
    if candidate.pk is None or candidate.registry_id is None:
        return None
    spec = _spec(candidate)
    failures, examples = 0, []
    for public_id, value in _stored(candidate.registry_id, candidate.key).iterator():
        try:
            data_value_clean(spec, _as_source(value) if convert else value)
        except ValidationError as exc:
            failures += 1
            if len(examples) < 5:
                examples.append(
                    {"record": str(public_id), "value": value, "error": exc.messages[0]}
                )
    if not failures:
        return None
    return SchemaProblem(field=candidate.name, records=failures, examples=examples)


def _as_source(value):
    """A stored value as a file would give it (what a conversion parses again)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return value if value is None else str(value)


def _forget_after_commit() -> None:
    data_registries_forget()
    transaction.on_commit(data_registries_forget)


def _bump(definition: RegistryDefinition) -> None:
    RegistryDefinition.objects.filter(pk=definition.pk).update(
        schema_version=definition.schema_version + 1
    )
    definition.schema_version += 1


@transaction.atomic
def definition_save(*, definition: RegistryDefinition) -> RegistryDefinition:
    """Create or change a registry definition (its own attributes, not its fields)."""
    definition.full_clean()
    definition.save()
    _forget_after_commit()
    return definition


@transaction.atomic
def field_save(*, field: FieldDefinition, convert: bool = False) -> FieldDefinition:
    """Add a field, or change one (see the module's rules). ``convert``: retype the stored
    values to the new type; refused, with every value that does not convert, unless all do."""
    if not field.key:
        field.key = field.name
    field.full_clean()
    if field.default is not None:
        try:
            field.default = data_value_clean(_spec(field), field.default)
        except ValidationError as exc:
            raise ValidationError({"default": exc.messages}) from None
    stored = FieldDefinition.objects.filter(pk=field.pk).first() if field.pk else None
    if stored is not None:
        if stored.registry_id != field.registry_id:
            raise ValidationError({"registry": _("A field stays in its registry.")})
        changed = [
            name for name in CHECKED_ATTRIBUTES if getattr(stored, name) != getattr(field, name)
        ]
        if changed:
            retyped = stored.type != field.type
            problem = field_check(field, convert=convert and retyped)
            if problem is not None:
                raise ValidationError({"type" if retyped else changed[0]: problem.message()})
            if retyped:
                if not convert:
                    used = _used_count(stored)
                    if used:
                        raise ValidationError(
                            {
                                "type": _(
                                    "%(count)s record(s) hold values of this field: changing "
                                    "its type needs an explicit conversion."
                                )
                                % {"count": used}
                            }
                        )
                _convert_values(field)
    field.save()
    _bump(field.registry)
    _forget_after_commit()
    return field


def field_use_count(definition: FieldDefinition) -> int:
    """How many records hold a value of the field."""
    return _used_count(definition)


def _used_count(definition: FieldDefinition) -> int:
    return DataRecord.objects.filter(
        definition_id=definition.registry_id, values__has_key=definition.key
    ).count()


def _convert_values(field: FieldDefinition) -> None:
    """Rewrite the stored values of a retyped field (all were checked to convert), in
    history like every other write."""
    spec: FieldSpec = _spec(field)
    with pghistory.context(action="schema_conversion", field=field.name):
        records = DataRecord.objects.filter(
            definition_id=field.registry_id, values__has_key=field.key
        ).select_for_update()
        for record in records.iterator():
            values = dict(record.values)
            converted = data_value_clean(spec, _as_source(values[field.key]))
            if converted is None:
                values.pop(field.key)
            else:
                values[field.key] = converted
            # A new version too: an editor's form opened before the conversion is stale.
            DataRecord.objects.filter(pk=record.pk).update(
                values=values,
                schema_version=field.registry.schema_version + 1,
                version=F("version") + 1,
            )


@transaction.atomic
def field_remove(*, field: FieldDefinition) -> None:
    """Remove a field that no record holds a value of; refused with the count otherwise."""
    used = _used_count(field)
    if used:
        raise ValidationError(
            _(
                "%(count)s record(s) hold values of “%(field)s”: clear them first, or keep "
                "the field staff-only."
            )
            % {"count": used, "field": field.name}
        )
    registry = field.registry
    field.delete()
    _bump(registry)
    _forget_after_commit()


@transaction.atomic
def choice_item_save(*, item: ChoiceItem) -> ChoiceItem:
    """Add or relabel a choice. Changing a value that records hold is refused."""
    item.full_clean()
    stored = ChoiceItem.objects.filter(pk=item.pk).first() if item.pk else None
    if stored is not None and stored.value != item.value:
        used = choice_value_use(stored)
        if used:
            raise ValidationError(
                {
                    "value": _("%(count)s record(s) hold this value: add a new one instead.")
                    % {"count": used}
                }
            )
    item.save()
    _forget_after_commit()
    return item


@transaction.atomic
def choice_item_remove(*, item: ChoiceItem) -> None:
    used = choice_value_use(item)
    if used:
        raise ValidationError(
            _("%(count)s record(s) hold the value “%(value)s”.")
            % {"count": used, "value": item.value}
        )
    item.delete()
    _forget_after_commit()


def choice_value_use(item: ChoiceItem) -> int:
    """How many records hold this value in a field that uses its list."""
    count = 0
    for definition in FieldDefinition.objects.filter(choice_list_id=item.choice_list_id):
        records = DataRecord.objects.filter(definition_id=definition.registry_id)
        count += records.filter(values__contains={definition.key: item.value}).count()
        count += records.filter(values__contains={definition.key: [item.value]}).count()
    return count


@transaction.atomic
def choice_list_save(*, choice_list: ChoiceList) -> ChoiceList:
    choice_list.full_clean()
    choice_list.save()
    _forget_after_commit()
    return choice_list
