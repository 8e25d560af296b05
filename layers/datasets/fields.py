"""A data-defined field as the rest of the portal sees it: a frozen ``FieldSpec`` read from
its definition, which builds the Django model field that parses, validates, describes
(queryables, forms) and casts (``values->>key``) its values.

The model field is never attached to a model: it is the one place that knows a type's
parsing and limits, so the editor's form, the API, the admin, the import and the OGC
filters all refuse the same values with the same messages.
"""

import decimal
import functools
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from layers.models.datasets import FieldType, localised
from layers.weburls import web_url_validate

# What a field of each type holds when its definition sets no limit.
DEFAULT_TEXT_LENGTH = 300
DEFAULT_LONG_TEXT_LENGTH = 10000
URL_LENGTH = 500
CHOICE_LENGTH = 40
DECIMAL_DIGITS = 15
# An integer field's range when none is set: what PostgreSQL's integer holds.
INTEGER_RANGE = (-(2**31), 2**31 - 1)
PHONE = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{4,28}[0-9]$",
    _("A phone number: digits, spaces, brackets and dashes, e.g. +380 382 65 12 34."),
    code="invalid_phone",
)


@dataclass(frozen=True)
class Choice:
    value: str
    label_uk: str
    label_en: str
    colour: str = ""

    @property
    def label(self) -> str:
        return localised(self.label_uk, self.label_en) or self.value


def _lazy_text(uk: str, en: str):
    return lazy(lambda: localised(uk, en), str)()


@dataclass(frozen=True, eq=False)
class FieldSpec:
    """One field of a data-defined registry, frozen from its ``FieldDefinition``."""

    id: int
    name: str
    key: str
    type: str
    label_uk: str
    label_en: str = ""
    help_uk: str = ""
    help_en: str = ""
    required: bool = False
    min_value: decimal.Decimal | None = None
    max_value: decimal.Decimal | None = None
    max_length: int | None = None
    decimal_places: int = 2
    unit: str = ""
    default: object = None
    choices: tuple[Choice, ...] = ()
    reference_registry: str = ""
    is_public: bool = True
    queryable: bool = True
    in_popup: bool = False

    @property
    def label(self) -> str:
        text = localised(self.label_uk, self.label_en) or self.name
        return f"{text}, {self.unit}" if self.unit else text

    @property
    def help_text(self) -> str:
        return localised(self.help_uk, self.help_en)

    @property
    def attribute(self) -> str:
        """The public queryset's annotation that holds this field's typed value."""
        return f"f_{self.key}"

    @property
    def is_choice(self) -> bool:
        return self.type in (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE)

    @property
    def is_list(self) -> bool:
        return self.type == FieldType.MULTIPLE_CHOICE

    @property
    def is_number(self) -> bool:
        return self.type in (FieldType.INTEGER, FieldType.DECIMAL)

    def choice_label(self, value) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return str(value)

    @functools.cached_property
    def model_field(self) -> models.Field:
        """The (unattached) Django field of this type and these limits."""
        field = _build(self)
        field.set_attributes_from_name(self.name)
        field.verbose_name = _lazy_text(
            f"{self.label_uk}, {self.unit}" if self.unit and self.label_uk else self.label_uk,
            f"{self.label_en}, {self.unit}" if self.unit and self.label_en else self.label_en,
        )
        field.help_text = _lazy_text(self.help_uk, self.help_en)
        field.blank = not self.required
        field.null = True
        # Marks the field as one whose value lives in the record's ``values`` under this key.
        field.data_key = self.key
        field.data_spec = self
        # Expressions identify their output field by model and name (never attached).
        from layers.models.datasets import DataRecord

        field.model = DataRecord
        if isinstance(field, ArrayField):
            field.base_field.set_attributes_from_name(self.name)
            field.base_field.model = DataRecord
        return field


def _limits(spec: FieldSpec, low_default=None, high_default=None) -> list:
    validators = []
    low = spec.min_value if spec.min_value is not None else low_default
    high = spec.max_value if spec.max_value is not None else high_default
    if spec.type == FieldType.INTEGER:
        low = None if low is None else int(decimal.Decimal(low).to_integral_value("ROUND_CEILING"))
        high = None if high is None else int(decimal.Decimal(high).to_integral_value("ROUND_FLOOR"))
    if low is not None:
        validators.append(MinValueValidator(low))
    if high is not None:
        validators.append(MaxValueValidator(high))
    return validators


def _choice_field(spec: FieldSpec) -> models.CharField:
    choices = [(c.value, _lazy_text(c.label_uk, c.label_en or c.value)) for c in spec.choices]
    return models.CharField(max_length=CHOICE_LENGTH, choices=choices)


def _build(spec: FieldSpec) -> models.Field:
    kind = spec.type
    if kind == FieldType.TEXT:
        return models.CharField(max_length=spec.max_length or DEFAULT_TEXT_LENGTH)
    if kind == FieldType.LONG_TEXT:
        return models.TextField(max_length=spec.max_length or DEFAULT_LONG_TEXT_LENGTH)
    if kind == FieldType.INTEGER:
        return models.IntegerField(validators=_limits(spec, *INTEGER_RANGE))
    if kind == FieldType.DECIMAL:
        places = spec.decimal_places
        bound = decimal.Decimal(10) ** (DECIMAL_DIGITS - places) - 1
        return models.DecimalField(
            max_digits=DECIMAL_DIGITS,
            decimal_places=places,
            validators=_limits(spec, -bound, bound),
        )
    if kind == FieldType.BOOLEAN:
        return models.BooleanField()
    if kind == FieldType.DATE:
        return models.DateField()
    if kind == FieldType.CHOICE:
        return _choice_field(spec)
    if kind == FieldType.MULTIPLE_CHOICE:
        return ArrayField(_choice_field(spec))
    if kind == FieldType.URL:
        return models.URLField(
            max_length=spec.max_length or URL_LENGTH, validators=[web_url_validate]
        )
    if kind == FieldType.PHONE:
        return models.CharField(max_length=40, validators=[PHONE])
    if kind == FieldType.EMAIL:
        return models.EmailField()
    if kind == FieldType.REFERENCE:
        return models.UUIDField()
    raise ValueError(f"unknown field type {kind!r}")


def is_data_field(field) -> bool:
    """Whether a field's value lives in a data record's ``values`` (not in a column)."""
    return getattr(field, "data_key", None) is not None
