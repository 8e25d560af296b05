"""The admin's inlines as editors of a record's parts: what the inlines and link fields of a
change form hold becomes the part lists of one call of the editing services
(``RegistryAdmin.save_related``); no inline saves a row itself."""

from layers.editing.part_kinds import PHOTO_FIELDS, LinkPart
from layers.editing.permissions import Action
from layers.editing.values import value_to_json
from layers.registry import registry_for_model


class RoleInlineMixin:
    """An inline whose permissions follow its page's: the registry's administrators (a
    role, not a Django permission) edit a record's parts where they edit the record."""

    def _parent_allows(self, request, action: str) -> bool:
        parent = self.admin_site._registry.get(self.parent_model)
        allows = getattr(parent, "_role_allows", None)
        return bool(allows and allows(request, action))

    def has_view_permission(self, request, obj=None):
        return self._parent_allows(request, Action.VIEW) or super().has_view_permission(
            request, obj
        )

    def has_add_permission(self, request, obj=None):
        return self._parent_allows(request, Action.EDIT) or super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_allows(request, Action.EDIT) or super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return self._parent_allows(request, Action.EDIT) or super().has_delete_permission(
            request, obj
        )


class PartInlineMixin(RoleInlineMixin):
    """An inline that edits one part of its record (``part_name`` on the registry entry)."""

    part_name = ""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.part_name = self.part_name
        return formset


def _kept_forms(formset):
    """The inline's rows that stay: not marked for deletion, not an untouched empty row."""
    for form in formset.forms:
        if not hasattr(form, "cleaned_data"):
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        if form.instance.pk is None and not form.has_changed():
            continue
        yield form


def formset_items(part, formset) -> list[dict]:
    """The part's full list as the inline now holds it (JSON items, ``layers.editing.parts``);
    what the inline does not show of a row (an assessment's answers) is kept as stored."""
    items = []
    for form in _kept_forms(formset):
        instance = form.instance
        stored = type(instance).objects.filter(pk=instance.pk).first() if instance.pk else None
        item = part.item(stored) if stored is not None else {}
        key = getattr(instance, part.key)
        if stored is None and part.key == "id":
            key = None
        item[part.key] = value_to_json(part.model_field(part.key), key)
        for name in part.fields:
            field = part.model_field(name)
            item[name] = value_to_json(field, field.value_from_object(instance))
        items.append(item)
    return items


def _changed(formset, record) -> bool:
    if record is None:
        return any(form.has_changed() for form in formset.forms)
    return formset.has_changed()


class PartsAdminMixin:
    """For a registry's admin: the record's parts from its change form."""

    def parts_from_admin(self, request, form, formsets, record) -> dict:
        """Part name → full list, for each part the form changed (photos aside: their
        files are stored first, ``photos_from_admin``)."""
        registry = registry_for_model(self.model)
        declared = {part.name: part for part in registry.parts}
        parts = {}
        for part in registry.parts:
            # Links edited as a field of the form (a zone's heritage objects).
            edited = part.parent in form.fields and (
                record is None or part.parent in form.changed_data
            )
            if isinstance(part, LinkPart) and edited:
                linked = form.cleaned_data.get(part.parent) or []
                parts[part.name] = [{part.key: str(obj.public_id)} for obj in linked]
        for formset in formsets:
            name = getattr(formset, "part_name", "")
            if name in declared and name != "photos" and _changed(formset, record):
                parts[name] = formset_items(declared[name], formset)
        return parts

    def photos_from_admin(self, request, formsets, record) -> list[dict] | None:
        """The photo list as the inline holds it, new files stored staged under ``record``
        (``photo_add``); None when the inline did not change."""
        from layers.services.photos import photo_add_prepared

        formset = next((f for f in formsets if getattr(f, "part_name", "") == "photos"), None)
        if formset is None or not _changed(formset, record):
            return None
        items = []
        for form in _kept_forms(formset):
            values = {name: form.cleaned_data.get(name) for name in PHOTO_FIELDS}
            photo_id = form.instance.pk
            if getattr(form, "prepared", None) is not None:
                # A new file (or a replacement): staged, attached when the change applies.
                photo_id = photo_add_prepared(
                    record=record, prepared=form.prepared, user=request.user, **values
                ).pk
            blanks = {k: "" if v is None else v for k, v in values.items()}
            items.append({"id": photo_id, **blanks})
        return items
