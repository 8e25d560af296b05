"""The editor page's forms for a record's parts: one formset per part declared on the
registry entry, a row per item and an empty row to add one. What the rows hold becomes the
part lists of the same call of the services as the record's values, so a record and its
parts change together, as one change for review."""

from dataclasses import dataclass

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from layers.editing.part_kinds import AssessmentPart, LinkPart, PhotoPart
from layers.editing.parts import Part
from layers.editing.values import value_to_json

MAX_ROWS = 200  # the formsets' own cap; a part's list is capped again by the services


class PartRowForm(forms.Form):
    # The item's key as stored (empty for a new row): what the row changes.
    stored_key = forms.CharField(widget=forms.HiddenInput, required=False)


def _formfield(model_field) -> forms.Field:
    if isinstance(model_field, ArrayField):
        return forms.TypedMultipleChoiceField(
            label=model_field.verbose_name,
            choices=model_field.base_field.choices,
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    field = model_field.formfield()
    if isinstance(model_field, models.DateField):
        field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    if isinstance(model_field, models.TextField):
        field.widget = forms.Textarea(attrs={"rows": 2})
    return field


def _row_form_class(part: Part) -> type[forms.Form]:
    attrs: dict = {}
    if isinstance(part, LinkPart):
        linked = part.model.objects.exclude(status="archived").order_by("name", "id")
        attrs["linked"] = forms.ChoiceField(
            label=part.model._meta.verbose_name,
            choices=[("", "—"), *[(str(o.public_id), str(o)) for o in linked[:2000]]],
        )
    for name in part.fields:
        attrs[name] = _formfield(part.model_field(name))
    if isinstance(part, PhotoPart):
        attrs["upload"] = forms.FileField(
            label=_("image file"),
            required=False,
            help_text=_("JPEG, PNG or WebP. Metadata such as the GPS position is removed."),
            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        )
    if isinstance(part, PhotoPart):
        # The file and what it shows first; the order among the photos last.
        attrs["field_order"] = ["upload", "alt_text", "caption", "author", "licence"]
    return type(f"{part.name.title()}RowForm", (PartRowForm,), attrs)


@dataclass
class PartFormset:
    """A part of the record and its rows on the editor page."""

    part: Part
    formset: forms.BaseFormSet
    stored: dict  # stored key -> item, as the page was built

    @property
    def prefix(self) -> str:
        return self.formset.prefix

    def rows(self) -> list[dict]:
        """Per row, for the template: its form, the stored item (None for a new row), and
        how the item is named and pictured."""
        rows = []
        for form in self.formset:
            item = self.stored.get(form["stored_key"].value() or "")
            rows.append(
                {
                    "form": form,
                    "item": item,
                    "label": self.part.label(item) if item else "",
                    "image": self.part.image_url(item) if item else "",
                }
            )
        return rows

    def kept_forms(self) -> list[forms.Form]:
        kept = []
        for form in self.formset.forms:
            if self.formset._should_delete_form(form):
                continue
            if not form.cleaned_data.get("stored_key") and not form.has_changed():
                continue
            kept.append(form)
        return kept

    def items(self, *, record, user) -> list[dict]:
        """The part's full list as the rows hold it; a photo row with a new file stores it
        staged (``photo_add``) and lists it."""
        items = []
        for form in self.kept_forms():
            stored = self.stored.get(form.cleaned_data.get("stored_key") or "")
            item = dict(stored or {})  # what the row does not show (answers) is kept
            if isinstance(self.part, LinkPart):
                item = {self.part.key: form.cleaned_data["linked"]}
            for name in self.part.fields:
                item[name] = value_to_json(self.part.model_field(name), form.cleaned_data[name])
            if isinstance(self.part, PhotoPart) and form.cleaned_data.get("upload"):
                item["id"] = self._upload(form, record=record, user=user)
            elif stored is None and self.part.key not in self.part.fields:
                item[self.part.key] = None
            items.append(item)
        return items

    def _upload(self, form, *, record, user) -> int:
        from layers.services.photos import photo_add

        try:
            return photo_add(
                record=record,
                file=form.cleaned_data["upload"],
                alt_text=form.cleaned_data.get("alt_text") or "",
                caption=form.cleaned_data.get("caption") or "",
                author=form.cleaned_data.get("author") or "",
                licence=form.cleaned_data.get("licence") or "",
                user=user,
            ).pk
        except ValidationError as exc:
            index = self.kept_forms().index(form)
            raise ValidationError(
                {f"{self.part.name}.{index}.{k}": v for k, v in exc.message_dict.items()}
            ) from None

    def add_error(self, index: int, name: str, messages) -> bool:
        """Show a service's error on the row it is about; False if there is no such row."""
        kept = self.kept_forms()
        if not 0 <= index < len(kept):
            return False
        form = kept[index]
        target = "upload" if name == "image" else name
        form.add_error(target if target in form.fields else None, messages)
        return True


def _initial(part: Part, item: dict) -> dict:
    initial = {"stored_key": str(item.get(part.key))}
    if isinstance(part, LinkPart):
        initial["linked"] = item.get(part.key)
    for name in part.fields:
        initial[name] = item.get(name)
    return initial


def part_formsets(registry, record, data=None, files=None, proposed=None) -> list[PartFormset]:
    """The editor page's formsets of a saved record's parts (bound to ``data`` on a POST;
    rows filled with ``proposed`` lists, part name → items, where given: a rejected
    change's, to fix and resubmit)."""
    result = []
    for part in registry.parts:
        if isinstance(part, AssessmentPart):
            continue  # the yearly checklist has its own form (the barrier-free campaign)
        items = part.read(record)
        shown = (proposed or {}).get(part.name, items)
        formset_class = forms.formset_factory(
            _row_form_class(part), extra=1, can_delete=True, max_num=MAX_ROWS, validate_max=True
        )
        prefix = f"part-{part.name}"
        # A post without the part's rows (a script, a page without them) leaves it as it is.
        sent = data is not None and f"{prefix}-TOTAL_FORMS" in data
        formset = formset_class(
            data if sent else None,
            files if sent else None,
            prefix=prefix,
            initial=[_initial(part, item) for item in shown],
        )
        result.append(PartFormset(part, formset, {str(i.get(part.key)): i for i in items}))
    return result


def parts_from_formsets(formsets: list[PartFormset], *, record, user) -> dict:
    """Part name → full list for each formset the user changed."""
    return {
        f.part.name: f.items(record=record, user=user)
        for f in formsets
        if f.formset.is_bound and f.formset.has_changed()
    }


def part_errors_apply(formsets: list[PartFormset], exc: ValidationError) -> ValidationError | None:
    """Put the errors about parts (``<part>.<index>.<field>``) on their rows; the rest (the
    record's own fields, a part as a whole) is returned for the record's form."""
    if not hasattr(exc, "error_dict"):
        return exc
    by_name = {f.part.name: f for f in formsets}
    rest = {}
    for key, errors in exc.message_dict.items():
        name, _dot, tail = key.partition(".")
        index, _dot, field = tail.partition(".")
        target = by_name.get(name)
        if target is not None and index.isdigit() and target.add_error(int(index), field, errors):
            continue
        if target is not None:  # about the part as a whole: said on the record's form
            title = str(target.part.title).capitalize()
            rest.setdefault("__all__", []).extend(f"{title}: {e}" for e in errors)
            continue
        rest.setdefault(key, []).extend(errors)
    return ValidationError(rest) if rest else None
