"""The admin of the SDG monitoring: indicators (their computation checked on save, as the
loader checks it), the settlements (read-only: the loader owns them), entered values (their
review happens through the services, see the actions) and snapshots (read-only)."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from layers.editing.errors import WorkflowError
from sdg.models import EnteredValue, Indicator, Settlement, Snapshot, ValueState
from sdg.services import entered_value_approve, entered_value_reject, indicator_upsert


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "goal", "target", "title_uk", "kind", "definition_version")
    list_filter = ("goal", "kind")
    search_fields = ("code", "title_uk", "title_en")
    readonly_fields = ("definition_version", "updated_at")
    actions = ["snapshot_now"]

    def save_model(self, request, obj, form, change):
        # Through the service: the definition version follows what changed.
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            indicator_upsert(code=obj.code, values=values)
        else:
            indicator_upsert(
                code=obj.code,
                values={f: form.cleaned_data[f] for f in form.cleaned_data if f != "code"},
            )

    @admin.action(description=_("Snapshot now (in the background)"))
    def snapshot_now(self, request, queryset):
        from sdg.tasks import sdg_snapshot

        ids = list(queryset.filter(kind="computed").values_list("pk", flat=True))
        transaction.on_commit(lambda: sdg_snapshot.defer(indicator_ids=ids))
        self.message_user(request, _("Snapshots asked for: %(count)d.") % {"count": len(ids)})


@admin.register(Settlement)
class SettlementAdmin(admin.ModelAdmin):
    list_display = ("name_uk", "name_en", "katottg", "population", "population_year")
    readonly_fields = [f.name for f in Settlement._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(EnteredValue)
class EnteredValueAdmin(admin.ModelAdmin):
    list_display = ("indicator", "year", "value", "state", "author", "reviewer")
    list_filter = ("state", "indicator")
    readonly_fields = ("state", "author", "reviewer", "decided_at", "created_at")
    actions = ["approve", "reject"]

    def save_model(self, request, obj, form, change):
        from sdg.services import entered_value_propose

        if change:  # a decided or proposed value stays as it was: its history is the record
            self.message_user(
                request, _("A value is changed by proposing a new one."), messages.ERROR
            )
            return
        try:
            entered_value_propose(
                indicator=obj.indicator,
                user=request.user,
                year=obj.year,
                value=obj.value,
                source=obj.source,
            )
        except WorkflowError as exc:
            self.message_user(request, str(exc), messages.ERROR)

    def _decide(self, request, queryset, decide):
        for entered in queryset.filter(state=ValueState.PROPOSED):
            try:
                decide(entered=entered, user=request.user)
            except WorkflowError as exc:
                self.message_user(request, f"{entered}: {exc}", messages.ERROR)

    @admin.action(description=_("Approve the selected values"))
    def approve(self, request, queryset):
        self._decide(request, queryset, entered_value_approve)

    @admin.action(description=_("Reject the selected values"))
    def reject(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda **kw: entered_value_reject(**kw, comment=str(_("Rejected in the admin."))),
        )


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ("indicator", "taken_at", "year", "value", "definition_version")
    list_filter = ("indicator",)
    readonly_fields = [f.name for f in Snapshot._meta.fields]

    def has_add_permission(self, request):
        return False
