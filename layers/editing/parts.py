"""A record's parts: what belongs to a record without being a column of it — a waste site's
containers, a tree's log, an object's assessments, every record's photos, a protection
zone's links to heritage objects. Each registry entry declares its parts (``parts=``).

A part travels whole: a change of a record carries the full new list of each part it
changes (in ``ChangeRequest.payload["parts"]``), checked by the part models' own rules when
it is proposed and again when it is applied, and written only then, by ``Part.write``.
Items are JSON (as a record's values are): the fields, plus the item's key (``key``), which
identifies it across versions so that a review shows what was added, changed and removed.
After every applied write the services store the parts' JSON on the record
(``parts_snapshot``), so the history keeps each version of the parts with the record's and
a restore brings them back.
"""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MAX_ITEMS = 1000  # a record with more parts of one kind is a mistake or an attack

# The registry list (``layers.registry``) declares parts and is imported before the apps are
# ready; ``layers.editing.values`` imports the models, so it is imported where it is used.


def _error(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


@dataclass(frozen=True, eq=False)
class Part:
    """One kind of part: rows of ``model_label`` whose ``parent`` foreign key is the record.

    ``fields``: what an item sets; ``key``: what identifies an item ("id" for rows that
    have nothing better); ``shown``: values an item carries for people to read (derived or
    set by the workflow), never taken from input and not compared.
    """

    name: str
    title: Promise
    model_label: str
    parent: str = ""
    fields: tuple[str, ...] = ()
    key: str = "id"
    shown: tuple[str, ...] = ()

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def model_field(self, name: str):
        return self.model._meta.get_field(name)

    # --- reading ----------------------------------------------------------------------

    def rows(self, record):
        return self.model.objects.filter(**{self.parent: record.pk})

    def item(self, row) -> dict[str, Any]:
        from layers.editing.values import value_to_json

        item = {self.key: value_to_json(self.model_field(self.key), getattr(row, self.key))}
        for name in self.fields:
            model_field = self.model_field(name)
            item[name] = value_to_json(model_field, model_field.value_from_object(row))
        for name in self.shown:
            item[name] = self.shown_value(row, name)
        return item

    def shown_value(self, row, name: str) -> Any:
        value = getattr(row, name)
        return str(value) if value is not None else None

    def read(self, record) -> list[dict]:
        if record.pk is None:
            return []
        return [self.item(row) for row in self.rows(record)]

    # --- checking ---------------------------------------------------------------------

    def clean(self, record, items) -> list[dict]:
        """The items in their stored JSON form, each checked by the part model's rules;
        ValidationError keyed ``<part>.<index>.<field>`` for what is wrong."""
        if not isinstance(items, list):
            raise ValidationError({self.name: _error(_("A list is expected."), "not_a_list")})
        if len(items) > MAX_ITEMS:
            raise ValidationError(
                {self.name: _error(_("At most %(max)s items."), "too_many", max=MAX_ITEMS)}
            )
        cleaned, errors, keys = [], {}, set()
        for index, item in enumerate(items):
            try:
                one = self.clean_item(record, item)
            except ValidationError as exc:
                for name, messages in _message_dict(exc).items():
                    errors[f"{self.name}.{index}.{name}"] = messages
                continue
            key = one.get(self.key)
            if key is not None:
                if key in keys:
                    errors[f"{self.name}.{index}.{self.key}"] = [
                        str(_("The same item is listed twice."))
                    ]
                keys.add(key)
            cleaned.append(one)
        if errors:
            raise ValidationError(errors)
        return cleaned

    def clean_item(self, record, item) -> dict:
        from layers.editing.values import value_from_json, value_to_json

        if not isinstance(item, dict):
            raise ValidationError(_("Each item is an object of fields."), code="not_an_object")
        allowed = {self.key, *self.fields, *self.shown}
        unknown = sorted(set(item) - allowed)
        if unknown:
            raise ValidationError(
                {name: _error(_("This field cannot be set."), "not_editable") for name in unknown}
            )
        row = self.model()
        errors = {}
        for name in self.fields:
            model_field = self.model_field(name)
            try:
                value = value_from_json(None, model_field, item.get(name))
            except ValidationError as exc:
                errors[name] = exc.messages
                continue
            if value is None and not model_field.null:
                # Left out: the field's default, or empty text where text may be blank.
                if model_field.has_default():
                    value = model_field.get_default()
                elif model_field.blank and model_field.empty_strings_allowed:
                    value = ""
            setattr(row, model_field.attname, value)
        if errors:
            raise ValidationError(errors)
        try:
            row.full_clean(exclude=self.unchecked(), validate_unique=False)
        except ValidationError as exc:
            raise ValidationError(_message_dict(exc)) from None
        cleaned = {self.key: self.key_clean(item.get(self.key))}
        for name in self.fields:
            cleaned[name] = value_to_json(
                self.model_field(name), self.model_field(name).value_from_object(row)
            )
        return cleaned

    def unchecked(self) -> list[str]:
        """Fields the row check leaves out: the parent (set when written), the key, the rest
        of the model that items do not carry."""
        names = {f.name for f in self.model._meta.concrete_fields}
        return sorted(names - set(self.fields))

    def key_clean(self, value):
        if value in (None, ""):
            return None
        try:
            return self.model_field(self.key).to_python(value) if self.key == "id" else value
        except ValidationError:
            raise ValidationError({self.key: _("Not a valid key.")}) from None

    # --- writing ----------------------------------------------------------------------

    def write(self, record, items: list[dict], *, user) -> None:
        """Make the record's parts of this kind exactly ``items`` (checked by ``clean``):
        matched by key, changed in place; new ones added; missing ones removed."""
        from layers.editing.values import value_from_json

        existing = {str(getattr(row, self.key)): row for row in self.rows(record)}
        kept = set()
        for item in items:
            key = item.get(self.key)
            row = existing.get(str(key)) if key is not None else None
            if row is None:
                row = self.model(**{self.parent: record})
                if key is not None and self.key != "id":
                    setattr(row, self.key, key)
                self.on_add(row, user=user)
            for name in self.fields:
                model_field = self.model_field(name)
                setattr(row, model_field.attname, value_from_json(None, model_field, item[name]))
            self.prepare(row, item)
            row.full_clean(exclude=[self.parent], validate_unique=False)
            row.save()
            self.saved(row, item)
            kept.add(row.pk)
        for row in existing.values():
            if row.pk not in kept:
                self.remove(row)

    def on_add(self, row, *, user) -> None:
        """Set what the workflow sets on a new row (who recorded it)."""

    def prepare(self, row, item: dict) -> None:
        """Set a row's derived values before it is saved."""

    def saved(self, row, item: dict) -> None:
        """Write what hangs off a saved row (an assessment's answers)."""

    def remove(self, row) -> None:
        row.delete()

    # --- comparing --------------------------------------------------------------------

    def compared(self, item: dict) -> dict:
        return {name: item.get(name) for name in self.fields}

    def label(self, item: dict) -> str:
        """How an item is named in a review or a history (its first fields' values)."""
        from layers.editing.values import value_display_field

        shown = [
            value_display_field(self.model_field(name), item.get(name))
            for name in self.fields[:3]
            if item.get(name) not in (None, "", [])
        ]
        return " · ".join(str(value) for value in shown) or str(item.get(self.key))

    def image_url(self, item: dict) -> str:
        """A picture of the item for the review (a photo's thumbnail); '' if none."""
        return ""

    def details(self, item: dict) -> list[tuple[str, Any]]:
        """(label, value as people read it) for each field of an item."""
        from layers.editing.values import value_display_field

        return [
            (
                str(self.model_field(name).verbose_name),
                value_display_field(self.model_field(name), item.get(name)),
            )
            for name in self.fields
        ]


def _message_dict(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            name: [str(m) for m in ValidationError(errors).messages]
            for name, errors in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}


@dataclass(frozen=True, eq=False)
class LoggedPart(Part):
    """A log whose entries name who recorded them (the tree's log)."""

    def on_add(self, row, *, user) -> None:
        if getattr(user, "is_authenticated", False):
            row.recorded_by = user

    def key_clean(self, value):
        if value in (None, ""):
            return None
        try:
            return str(uuid.UUID(str(value)))
        except ValueError:
            raise ValidationError({self.key: _("Not a valid key.")}) from None

    def write(self, record, items, *, user) -> None:
        taken = set(
            self.model.objects.exclude(**{self.parent: record.pk})
            .filter(public_id__in=[i[self.key] for i in items if i.get(self.key)])
            .values_list("public_id", flat=True)
        )
        if taken:
            raise ValidationError({self.name: _("An entry of another record has this key.")})
        super().write(record, items, user=user)


@dataclass(frozen=True, eq=False)
class PartChanges:
    """What a change does to one kind of part."""

    part: Part
    added: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, dict]] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    @property
    def title(self):
        return self.part.title

    def rows(self) -> list[dict]:
        """For a template: one row per item touched, with its old and new details."""
        part = self.part

        def row(kind, old, new):
            item = new or old
            old_details = part.details(old) if old else []
            new_details = part.details(new) if new else []
            return {
                "kind": kind,
                "label": part.label(item),
                "old": old_details,
                "new": new_details,
                # Of a changed item, what changed (shown in bold beside the rest).
                "changed_labels": {
                    label
                    for (label, a), (_label, b) in zip(old_details, new_details, strict=True)
                    if a != b
                }
                if old_details and new_details
                else set(),
                "image": part.image_url(item),
            }

        return [
            *(row("added", None, new) for new in self.added),
            *(row("changed", old, new) for old, new in self.changed),
            *(row("removed", old, None) for old in self.removed),
        ]


def part_changes(part: Part, old: list[dict], new: list[dict]) -> PartChanges:
    """Items of ``new`` not in ``old`` (by key), changed, and gone."""
    before = {str(i.get(part.key)): i for i in old if i.get(part.key) is not None}
    result = PartChanges(part)
    seen = set()
    for item in new:
        key = item.get(part.key)
        earlier = before.get(str(key)) if key is not None else None
        if earlier is None:
            result.added.append(item)
            continue
        seen.add(str(key))
        if part.compared(earlier) != part.compared(item):
            result.changed.append((earlier, item))
    result.removed.extend(item for key, item in before.items() if key not in seen)
    return result


# --- a registry's parts -------------------------------------------------------------------


def parts_read(registry, record) -> dict[str, list[dict]]:
    """Every part of a record as it is stored now, by part name."""
    return {part.name: part.read(record) for part in registry.parts}


def parts_clean(registry, record, parts) -> dict[str, list[dict]]:
    """Checked JSON of the parts a change gives (a dict: part name → full list)."""
    if parts is None:
        return {}
    if not isinstance(parts, dict):
        raise ValidationError({"parts": _("An object of part lists is expected.")})
    declared = {part.name: part for part in registry.parts}
    errors, cleaned = {}, {}
    for name, items in parts.items():
        part = declared.get(name)
        if part is None:
            errors[f"parts.{name}"] = [str(_("This registry's records have no such part."))]
            continue
        try:
            cleaned[name] = part.clean(record, items)
        except ValidationError as exc:
            errors.update(_message_dict(exc))
    if errors:
        raise ValidationError(errors)
    return cleaned


def parts_write(registry, record, parts: dict[str, list[dict]], *, user) -> None:
    """Write checked parts (``parts_clean``) of a saved record."""
    declared = {part.name: part for part in registry.parts}
    for name, items in parts.items():
        declared[name].write(record, items, user=user)


def parts_changes(registry, old: dict | None, new: dict) -> list[PartChanges]:
    """What ``new`` (part name → list) changes from ``old``, per kind of part it names."""
    old = old or {}
    changes = [
        part_changes(part, old.get(part.name) or [], new[part.name])
        for part in registry.parts
        if part.name in new
    ]
    return [change for change in changes if change]
