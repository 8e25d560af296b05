from django import forms
from django.contrib import admin, messages
from django.contrib.gis.db.models import GeometryField
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from leaflet.admin import LeafletGeoAdmin

from layers.admin.parts import PartsAdminMixin
from layers.editing import services
from layers.editing.errors import WorkflowError
from layers.editing.permissions import Action, user_can
from layers.editing.values import editable_field_names
from layers.forms import RegistryGeometryField
from layers.hromada import hromada_profile
from layers.models.base import WORKFLOW_FIELDS, Status
from layers.registry import registry_for_model


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list for finding and auditing what the portal's own pages write through the
    services: nothing is added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionedFormMixin(forms.Form):
    """Carries the version the edit started from, so that a save on a stale version is
    refused instead of overwriting a colleague's work. A change without it is refused too,
    as on the editor's pages and in the API."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    approve_now = forms.BooleanField(
        label=_("Approve this change now"),
        required=False,
        help_text=_(
            "For a published record: as its reviewer, you approve your own change and it is "
            "published at once (recorded as approved by you). Otherwise it waits for "
            "another reviewer."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is not None:
            current = (
                type(instance).objects.filter(pk=instance.pk).values_list("version", flat=True)
            ).first()
            base = cleaned.get("base_version")
            if base is None:
                raise ValidationError(
                    _("The version your change is based on is missing. Reload the page."),
                    code="version_required",
                )
            if base != current:
                raise ValidationError(
                    _(
                        "The record was changed by someone else since you opened it "
                        "(your version %(base)s, now %(current)s). Reload the page."
                    )
                    % {"base": base, "current": current},
                    code="stale_version",
                )
        return cleaned


class RegistryRoleAdminMixin:
    """Admin pages of a registry's data, open to its administrators as well as superusers.

    The admin is for administrators: editors and reviewers work in the editor and the API
    (whose pages show only what their role allows); an administrator of the registry (a role
    holding every action) or a superuser may use its admin, whose saves still go through
    the services."""

    def admin_registry(self):
        return registry_for_model(self.model)

    def _role_allows(self, request, action: str) -> bool:
        registry = self.admin_registry()
        administers = all(
            user_can(request.user, each, registry) for each in (Action.EDIT, Action.REVIEW)
        )
        return administers and user_can(request.user, action, registry)

    def has_module_permission(self, request):
        return self._role_allows(request, Action.VIEW) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._role_allows(request, Action.VIEW) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._role_allows(request, Action.CREATE) or super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._role_allows(request, Action.EDIT) or super().has_change_permission(
            request, obj
        )


class ServicesSaveMixin:
    """For admin pages whose save is one call of the editing services, in ``save_related``:
    the formsets save nothing themselves, a refused save says why (and not "changed
    successfully") and shows the page again (``save_unsaved_url``), a proposed change says
    that it waits for review."""

    WAITING = gettext_lazy("The change is waiting for review; the published record stays as it is.")

    @staticmethod
    def formsets_unsaved(formsets) -> None:
        # The admin's change message reads what a formset's save would have set.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @staticmethod
    def save_refused(request, exc) -> None:
        request._registry_admin_unsaved = True
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))

    @staticmethod
    def save_unsaved(request) -> bool:
        return getattr(request, "_registry_admin_unsaved", False)

    def save_unsaved_url(self, request, obj) -> str:
        """Where a save that wrote nothing goes: the same page."""
        return request.path

    def message_user(self, request, message, *args, **kwargs):
        level = kwargs.get("level", args[0] if args else messages.INFO)
        if self.save_unsaved(request) and level == messages.SUCCESS:
            return
        super().message_user(request, message, *args, **kwargs)

    def response_change(self, request, obj):
        if self.save_unsaved(request):
            return HttpResponseRedirect(self.save_unsaved_url(request, obj))
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if self.save_unsaved(request):
            return HttpResponseRedirect(self.save_unsaved_url(request, obj))
        return super().response_add(request, obj, post_url_continue)

    def log_addition(self, request, obj, message):
        if obj.pk is not None:
            super().log_addition(request, obj, message)


class RegistryAdmin(RegistryRoleAdminMixin, ServicesSaveMixin, PartsAdminMixin, LeafletGeoAdmin):
    """Admin of a registry model: a Leaflet map widget whose input passes the one geometry
    validator, the workflow fields read-only, and every save — the record's values and its
    parts from the inlines — through one call of the editing workflow's services (a change
    to a published record becomes a change request; nothing is deleted, records are
    archived)."""

    form = forms.ModelForm

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        # Registries with a form of their own get the version field mixed into it.
        if not issubclass(self.form, VersionedFormMixin):
            self.form = type(f"Versioned{self.form.__name__}", (VersionedFormMixin, self.form), {})

    readonly_fields = WORKFLOW_FIELDS
    list_display = ("__str__", "address", "status", "updated_at")
    list_filter = ("status",)
    search_fields = ("name", "address", "public_id")
    show_full_result_count = False  # counting 500,000 trees on every page load is wasted work

    @property
    def settings_overrides(self):
        """Open the map widget on the hromada, not on Leaflet's world view."""
        profile = hromada_profile()
        return {"DEFAULT_CENTER": list(profile.map_center), "DEFAULT_ZOOM": profile.map_zoom}

    def formfield_for_dbfield(self, db_field, request=None, **kwargs):
        if isinstance(db_field, GeometryField):
            kwargs["form_class"] = RegistryGeometryField
            kwargs["geometry_types"] = self._geometry_types(db_field)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def _geometry_types(self, db_field) -> tuple[str, ...]:
        if db_field.name == "geom":
            return self.model.GEOMETRY_TYPES
        return {"MULTIPOLYGON": ("Polygon", "MultiPolygon"), "POINT": ("Point",)}.get(
            db_field.geom_type, ()
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        (title, options), *rest = fieldsets
        extra = ["base_version"]
        registry = registry_for_model(self.model)
        if obj.status == Status.PUBLISHED and user_can(request.user, Action.REVIEW, registry):
            extra.append("approve_now")
        fields = [*options.get("fields", ()), *extra]
        return [(title, {**options, "fields": fields}), *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            form_class.base_fields["base_version"].initial = obj.version
        return form_class

    def has_delete_permission(self, request, obj=None):
        return False  # archive instead (the editing workflow keeps history)

    def save_model(self, request, obj, form, change):
        """Nothing here: the record and its parts are written together in ``save_related``,
        once the inlines are known."""

    def save_related(self, request, form, formsets, change):
        registry = registry_for_model(self.model)
        editable = set(editable_field_names(registry))
        obj = form.instance
        self.formsets_unsaved(formsets)
        try:
            with transaction.atomic():  # a refused change leaves nothing, staged photos neither
                if not change:
                    values = {k: v for k, v in form.cleaned_data.items() if k in editable}
                    record = services.record_create(
                        registry=registry,
                        user=request.user,
                        values=values,
                        parts=self.parts_from_admin(request, form, formsets, None),
                    )
                    obj.pk = record.pk
                    photos = self.photos_from_admin(request, formsets, record)
                    if photos is not None:
                        services.record_update(
                            registry=registry,
                            record=record,
                            user=request.user,
                            values={},
                            parts={"photos": photos},
                            base_version=record.version,
                        )
                    obj.refresh_from_db()
                    return
                values = {k: form.cleaned_data[k] for k in form.changed_data if k in editable}
                parts = self.parts_from_admin(request, form, formsets, obj)
                photos = self.photos_from_admin(request, formsets, obj)
                if photos is not None:
                    parts["photos"] = photos
                if not values and not parts:
                    return
                result = services.record_update(
                    registry=registry,
                    record=obj,
                    user=request.user,
                    values=values,
                    parts=parts,
                    base_version=form.cleaned_data["base_version"],
                )
                if not result.applied and form.cleaned_data.get("approve_now"):
                    services.change_approve(
                        change=result.change, user=request.user, own_explicit=True
                    )
                    result = services.EditResult(record=result.record)
        except (WorkflowError, ValidationError) as exc:
            self.save_refused(request, exc)
            return
        obj.refresh_from_db()
        if not result.applied:
            messages.info(request, self.WAITING)
