"""How a file's columns and values become a registry's fields and values.

A ``ColumnMapping`` says which source column fills which field, how the values of choice and
related fields translate («аварійне» → ``hazardous``, «Липа серцелиста» → that species), and
which field matches rows to existing records (an inventory number) so a file can update them.
Suggestions come from field names and their Ukrainian and English labels, exactly or, for
near misses, by RapidFuzz similarity; a mapping is plain JSON, saved and reused for the next
file of the same layout.
"""

import re
from dataclasses import dataclass, field

from django.contrib.gis.db.models import GeometryField
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import translation
from rapidfuzz import fuzz, process

from layers.datasets.fields import is_data_field
from layers.editing.values import editable_fields

LANGUAGES = ("uk", "en")
# Below this similarity (0-100) a column or a value is not suggested.
COLUMN_CUTOFF = 88
VALUE_CUTOFF = 85
# Related tables larger than this are matched exactly only (a species catalogue is ~100).
FUZZY_LOOKUP_LIMIT = 5000
GEOMETRY_FIELD = "geom"


def normalise(text) -> str:
    """Lower case, no accents of punctuation: «Діаметр стовбура, см» → «діаметр стовбура см»."""
    text = str(text).casefold().replace("’", "'").replace("ʼ", "'")
    text = re.sub(r"[_\-./,;:()\[\]«»\"]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class ColumnMapping:
    """Field name → source column; field name → {source value → stored value}; the field
    whose value matches existing records (or None: every row is a new record)."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, object]] = field(default_factory=dict)
    key: str | None = None

    def as_json(self) -> dict:
        return {"columns": self.columns, "values": self.values, "key": self.key}

    @classmethod
    def from_json(cls, data: dict) -> "ColumnMapping":
        if not isinstance(data, dict):
            raise ValueError("A mapping is a JSON object.")
        columns = data.get("columns", {})
        values = data.get("values", {})
        key = data.get("key")
        if not isinstance(columns, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
        ):
            raise ValueError("columns: an object of field name → column name.")
        if not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
            raise ValueError("values: an object of field name → {file value: registry value}.")
        if key is not None and not isinstance(key, str):
            raise ValueError("key: a field name or null.")
        return cls(columns=dict(columns), values={k: dict(v) for k, v in values.items()}, key=key)


def importable_fields(registry) -> list[models.Field]:
    """The fields a file may fill: every editable field but the geometry (read apart)."""
    return [f for f in editable_fields(registry) if not isinstance(f, GeometryField)]


def field_names(field: models.Field) -> set[str]:
    """What a column for this field may be called: its name and its labels in each language."""
    names = {normalise(field.name)}
    for language in LANGUAGES:
        with translation.override(language):
            label = str(field.verbose_name or "")
        if label:
            names.add(normalise(label))
            names.add(normalise(label.split(",")[0]))  # without the unit
    spec = getattr(field, "data_spec", None)
    if spec is not None:
        names |= {normalise(spec.label_uk), normalise(spec.label_en)} - {""}
    return names


def suggest_columns(registry, columns: list[str]) -> dict[str, str]:
    """Field name → column, for the columns whose names or labels match (exact first)."""
    fields = importable_fields(registry)
    candidates = {name: f.name for f in fields for name in field_names(f)}
    suggested: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        target = candidates.get(normalise(column))
        if target and target not in suggested:
            suggested[target] = column
            taken.add(column)
    for column in columns:
        if column in taken:
            continue
        match = process.extractOne(
            normalise(column), list(candidates), scorer=fuzz.WRatio, score_cutoff=COLUMN_CUTOFF
        )
        if match is not None:
            target = candidates[match[0]]
            if target not in suggested:
                suggested[target] = column
                taken.add(column)
    return suggested


def choice_options(field: models.Field) -> dict[str, object]:
    """How the values of a choice field may be written → the stored value."""
    base = field.base_field if isinstance(field, ArrayField) else field
    options: dict[str, object] = {}
    for value, _label in base.flatchoices or ():
        options[normalise(value)] = value
        for language in LANGUAGES:
            with translation.override(language):
                options[normalise(dict(base.flatchoices)[value])] = value
    spec = getattr(field, "data_spec", None)
    if spec is not None:
        for choice in spec.choices:
            for text in (choice.value, choice.label_uk, choice.label_en):
                if text:
                    options[normalise(text)] = choice.value
    return options


def related_options(field: models.ForeignKey) -> dict[str, object]:
    """How a related object may be named in a file → its primary key (a species by its
    Latin, Ukrainian or English name)."""
    model = field.related_model
    names = [n for n in getattr(model, "IMPORT_NAMES", ()) if n]
    options: dict[str, object] = {}
    for obj in model.objects.all()[:FUZZY_LOOKUP_LIMIT]:
        for text in [str(obj), *(getattr(obj, n, "") for n in names)]:
            if text:
                options[normalise(text)] = obj.pk
    return options


# How surveys write yes and no (Ukrainian and English; spreadsheets' TRUE/FALSE and 1/0).
BOOLEAN_WORDS = {
    True: ("так", "т", "є", "наявний", "наявна", "наявне", "yes", "y", "true", "1", "+"),
    False: ("ні", "н", "немає", "нема", "відсутній", "відсутня", "відсутнє", "no", "n", "false",
            "0"),
}  # fmt: skip


def boolean_options() -> dict[str, bool]:
    return {normalise(word): value for value, words in BOOLEAN_WORDS.items() for word in words}


def value_options(field: models.Field) -> dict[str, object] | None:
    """The written forms a field's values may take, or None for free values."""
    if isinstance(field, models.ForeignKey):
        return related_options(field)
    base = field.base_field if isinstance(field, ArrayField) else field
    if base.choices:
        return choice_options(field)
    if isinstance(base, models.BooleanField):
        return boolean_options()
    return None


def suggest_value(options: dict[str, object], raw) -> object | None:
    """The stored value a written one most likely means, or None."""
    text = normalise(raw)
    if not text:
        return None
    if text in options:
        return options[text]
    match = process.extractOne(text, list(options), scorer=fuzz.WRatio, score_cutoff=VALUE_CUTOFF)
    return options[match[0]] if match else None


def suggest_values(registry, columns: dict[str, str], samples: dict[str, set]) -> dict:
    """For each mapped choice or related field: {value seen in the file: stored value}."""
    fields = {f.name: f for f in importable_fields(registry)}
    suggested: dict[str, dict] = {}
    for name, column in columns.items():
        options = value_options(fields[name]) if name in fields else None
        if not options:
            continue
        found = {}
        for raw in sorted(samples.get(column, ()), key=str):
            parts = re.split(r"\s*[;,]\s*", str(raw)) if _is_list(fields[name]) else [raw]
            for part in parts:
                value = suggest_value(options, part)
                if value is not None and normalise(part) != normalise(value):
                    found[str(part)] = value
        if found:
            suggested[name] = found
    return suggested


def _is_list(field) -> bool:
    return isinstance(field, ArrayField) or getattr(
        getattr(field, "data_spec", None), "is_list", False
    )


def key_candidates(registry) -> list[str]:
    """Fields that can match rows to records: identifiers unique enough to be a key."""
    names = []
    for f in importable_fields(registry):
        if is_data_field(f):
            if f.data_spec.type == "text":
                names.append(f.name)
        elif isinstance(f, models.CharField) and not f.choices and f.name not in ("address",):
            names.append(f.name)
    return names
