"""Admin of the registries defined as data: the definition with its fields inline, and the
shared choice lists with their values. Every save goes through ``layers.datasets.services``,
so a schema change that stored values would not pass is refused with a count of records
(see that module), and the map, tiles and OGC API pick the change up at once."""

import copy

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, construct_instance
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layers.datasets import services
from layers.models.datasets import (
    CHOICE_TYPES,
    ChoiceItem,
    ChoiceList,
    DataRecord,
    FieldDefinition,
    RegistryDefinition,
)


class FieldDefinitionForm(forms.ModelForm):
    convert = forms.BooleanField(
        label=gettext_lazy("convert stored values"),
        required=False,
        help_text=gettext_lazy(
            "When changing the type: convert every stored value (nothing changes unless all do)."
        ),
    )

    class Meta:
        model = FieldDefinition
        fields = (
            "name",
            "type",
            "required",
            "label_uk",
            "label_en",
            "help_uk",
            "help_en",
            "choice_list",
            "reference_registry",
            "min_value",
            "max_value",
            "max_length",
            "decimal_places",
            "unit",
            "is_public",
            "queryable",
            "in_popup",
            "order",
        )

    def clean(self):
        cleaned = super().clean()
        # The schema rules run here, so a refused change is shown beside the field and
        # nothing of the page's other changes is saved.
        if self.instance.pk and not self.errors and self.has_changed():
            candidate = construct_instance(self, copy.copy(self.instance))
            problem = services.field_check(candidate, convert=bool(cleaned.get("convert")))
            if problem is not None:
                raise ValidationError(problem.message())
        return cleaned


def _save_through_services(formset, save, remove) -> None:
    """Save an inline formset through the services (never the formset's own save), and
    leave what the admin's change message reads (new, changed, deleted objects)."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for deleted in formset.deleted_forms:
        if deleted.instance.pk:
            remove(deleted.instance)
            formset.deleted_objects.append(deleted.instance)
    for inline_form in formset.forms:
        if inline_form in formset.deleted_forms or not inline_form.has_changed():
            continue
        is_new = inline_form.instance.pk is None
        save(inline_form)
        if is_new:
            formset.new_objects.append(inline_form.instance)
        else:
            formset.changed_objects.append((inline_form.instance, inline_form.changed_data))


class FieldFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        refused = []
        for form in self.deleted_forms:
            if form.instance.pk:
                used = services.field_use_count(form.instance)
                if used:
                    refused.append(
                        _(
                            "%(count)s record(s) hold values of “%(field)s”: it is not removed "
                            "(clear the values first, or make the field staff-only)."
                        )
                        % {"count": used, "field": form.instance.name}
                    )
        if refused:
            raise ValidationError(refused)


class FieldInline(admin.StackedInline):
    model = FieldDefinition
    form = FieldDefinitionForm
    formset = FieldFormSet
    extra = 0
    fields = (
        ("name", "type", "required"),
        ("label_uk", "label_en"),
        ("help_uk", "help_en"),
        ("choice_list", "reference_registry"),
        ("min_value", "max_value", "max_length", "decimal_places", "unit"),
        ("is_public", "queryable", "in_popup", "order"),
        "convert",
    )
    show_change_link = False


@admin.register(RegistryDefinition)
class RegistryDefinitionAdmin(admin.ModelAdmin):
    list_display = ("slug", "title_uk", "title_en", "geometry_kind", "is_public", "records")
    list_filter = ("is_public", "geometry_kind")
    search_fields = ("slug", "title_uk", "title_en")
    readonly_fields = ("schema_version", "created_at", "updated_at")
    inlines = [FieldInline]
    fieldsets = (
        (None, {"fields": ("slug", ("title_uk", "title_en"), "description_uk", "description_en")}),
        (
            gettext_lazy("Map"),
            {
                "fields": (
                    "geometry_kind",
                    ("colour", "style_field"),
                    ("min_zoom", "max_zoom"),
                    ("shown_by_default", "is_public", "order"),
                )
            },
        ),
        (
            gettext_lazy("Open data"),
            {
                "fields": (
                    ("licence", "update_frequency"),
                    "source",
                    ("department", "contact_email"),
                    "keywords",
                    "themes",
                )
            },
        ),
        (None, {"fields": ("schema_version", "created_at", "updated_at")}),
    )

    @admin.display(description=gettext_lazy("records"))
    def records(self, obj):
        return DataRecord.objects.filter(definition=obj).count()

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "slug") if obj is not None else fields

    def has_delete_permission(self, request, obj=None):
        # A registry with records keeps them: it is made non-public, not deleted.
        if obj is not None and DataRecord.objects.filter(definition=obj).exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.definition_save(definition=obj)

    def save_formset(self, request, form, formset, change):
        def save(inline_form):
            field = inline_form.instance
            field.registry = form.instance
            convert = bool(inline_form.cleaned_data.get("convert"))
            services.field_save(field=field, convert=convert)

        _save_through_services(formset, save, lambda item: services.field_remove(field=item))

    def save_related(self, request, form, formsets, change):
        try:
            super().save_related(request, form, formsets, change)
        except ValidationError as exc:
            # The inline forms checked the rules; a race with another save ends here.
            messages.error(request, " ".join(exc.messages))
            raise

    def response_add(self, request, obj, post_url_continue=None):
        self._style_field_warning(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._style_field_warning(request, obj)
        return super().response_change(request, obj)

    def _style_field_warning(self, request, obj) -> None:
        if (
            obj.style_field
            and not obj.fields.filter(name=obj.style_field, type__in=CHOICE_TYPES[:1]).exists()
        ):
            messages.warning(
                request,
                _("“%(field)s” is not a choice field of this registry: the map uses one colour.")
                % {"field": obj.style_field},
            )


class ChoiceItemInline(admin.TabularInline):
    model = ChoiceItem
    extra = 1
    fields = ("value", "label_uk", "label_en", "colour", "order")


@admin.register(ChoiceList)
class ChoiceListAdmin(admin.ModelAdmin):
    list_display = ("slug", "title_uk", "title_en")
    search_fields = ("slug", "title_uk", "title_en", "items__value", "items__label_uk")
    inlines = [ChoiceItemInline]

    def save_model(self, request, obj, form, change):
        services.choice_list_save(choice_list=obj)

    def save_formset(self, request, form, formset, change):
        def save(inline_form):
            inline_form.instance.choice_list = form.instance
            services.choice_item_save(item=inline_form.instance)

        _save_through_services(formset, save, lambda item: services.choice_item_remove(item=item))
