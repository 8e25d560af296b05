"""Values of data-defined fields: parsed and checked by the field's own Django field, stored
in their JSON form (numbers, booleans, ISO dates, decimals as text so none is rounded).

``data_values_validate`` is what ``DataRecord.clean`` runs, so every path that saves a
record — the editor, the API, the admin, the import, a restore — checks the same rules.
"""

import datetime
import decimal
import re
import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from layers.datasets.fields import FieldSpec
from layers.models.datasets import FieldType

_TRUE = {"true", "t", "1", "yes", "y", "так", "+"}
_FALSE = {"false", "f", "0", "no", "n", "ні", "-"}
# What PostgreSQL's text and jsonb cannot hold.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def value_to_json(spec: FieldSpec, value):
    """A Python value of the field (as its Django field parses it) in its stored form."""
    if is_empty(value):
        return None
    if isinstance(value, decimal.Decimal):
        quantum = decimal.Decimal(1).scaleb(-spec.decimal_places)
        return str(value.quantize(quantum))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return list(dict.fromkeys(str(item) for item in value))
    return value


def _check_storable(spec: FieldSpec, value) -> None:
    texts = value if isinstance(value, list | tuple) else [value]
    if any(isinstance(text, str) and _UNSTORABLE.search(text) for text in texts):
        raise ValidationError(
            _("The text holds a character that cannot be stored (NUL or a lone surrogate)."),
            code="unstorable",
        )


def _coerce(spec: FieldSpec, raw):
    """Forms of a value that files and query strings give, as the Django field takes them."""
    if spec.type == FieldType.BOOLEAN and isinstance(raw, str):
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValidationError(_("Yes or no (true or false)."), code="invalid")
    if spec.type == FieldType.MULTIPLE_CHOICE and isinstance(raw, str):
        return [part.strip() for part in re.split(r"[;,]", raw) if part.strip()]
    if spec.type == FieldType.INTEGER and isinstance(raw, float):
        if not raw.is_integer():
            raise ValidationError(_("A whole number."), code="invalid")
        return int(raw)
    if spec.type in (FieldType.INTEGER, FieldType.DECIMAL) and isinstance(raw, str):
        text = raw.strip().replace(" ", "").replace("\u00a0", "")
        if len(text) > 40:
            raise ValidationError(_("The number is too long."), code="invalid")
        # Ukrainian files write decimals with a comma.
        return text.replace(",", ".") if spec.type == FieldType.DECIMAL else text
    if isinstance(raw, bool) and spec.type in (FieldType.INTEGER, FieldType.DECIMAL):
        raise ValidationError(_("A number, not yes or no."), code="invalid")
    if spec.type == FieldType.MULTIPLE_CHOICE and not isinstance(raw, list | tuple):
        raise ValidationError(_("A list of values."), code="invalid")
    return raw


def data_value_clean(spec: FieldSpec, raw):
    """The stored (JSON) form of a value given for ``spec``; ValidationError if invalid.

    Empty values give None (the key is then left out of ``values``)."""
    if isinstance(raw, str) and spec.type not in (FieldType.LONG_TEXT,):
        raw = raw.strip()
    if is_empty(raw):
        if spec.required:
            raise ValidationError(_("This field is required."), code="required")
        return None
    _check_storable(spec, raw)
    raw = _coerce(spec, raw)
    field = spec.model_field
    if spec.type == FieldType.MULTIPLE_CHOICE:
        value = [field.base_field.clean(item, None) for item in raw]
        if spec.required and not value:
            raise ValidationError(_("This field is required."), code="required")
    else:
        try:
            value = field.clean(raw, None)
        except (TypeError, ValueError, decimal.InvalidOperation, OverflowError):
            raise ValidationError(_("Not a valid value."), code="invalid") from None
    if spec.type == FieldType.REFERENCE:
        _check_reference(spec, value)
    return value_to_json(spec, value)


def _check_reference(spec: FieldSpec, value: uuid.UUID) -> None:
    from layers.registry import registry_get

    try:
        target = registry_get(spec.reference_registry)
    except KeyError:
        raise ValidationError(
            _("The referenced registry no longer exists."), code="invalid"
        ) from None
    if not target.objects().filter(public_id=value).exists():
        raise ValidationError(
            _("No record of “%(registry)s” has this id."),
            code="invalid_reference",
            params={"registry": target.title},
        )


def data_values_validate(definition, values: dict) -> dict:
    """The stored values of a record checked against its registry's fields: every field
    parsed, required ones present, nothing unknown. Errors by field name."""
    from layers.datasets.registry import data_registry_for_definition

    registry = data_registry_for_definition(definition.pk)
    if not isinstance(values, dict):
        raise ValidationError({"values": _("Values must be an object.")})
    known = {spec.key: spec for spec in registry.specs}
    errors, clean = {}, {}
    for key in values:
        if key not in known:
            errors.setdefault("values", []).append(
                ValidationError(
                    _("“%(key)s” is not a field of this registry."),
                    code="unknown_field",
                    params={"key": key},
                )
            )
    for spec in registry.specs:
        try:
            value = data_value_clean(spec, values.get(spec.key))
        except ValidationError as exc:
            errors[spec.name] = exc.error_list
            continue
        if value is not None:
            clean[spec.key] = value
    if errors:
        raise ValidationError(errors)
    return clean
