"""Writes of the SDG monitoring: indicators (upserted by code, their definition version raised
when what defines the value changes), entered values (proposed by one person, approved or
rejected by another: the editing workflow's four-eyes rule, its roles and its errors) and
snapshots of computed values. Keyword-only; ``full_clean()`` then save, in a transaction."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layers.editing.errors import NotPermitted, OwnChange, WorkflowError
from layers.editing.permissions import Action, user_can
from layers.editing.services.common import decision_record
from layers.registry import registry_get
from sdg.models import EnteredValue, Indicator, IndicatorKind, Snapshot, ValueState

# What defines an indicator's value: a change of any of these raises its definition version
# (texts, responsible body and frequency do not change a figure).
DEFINING_FIELDS = ("kind", "computation", "unit_en", "baseline_year", "baseline_value")


@transaction.atomic
def indicator_upsert(*, code: str, values: dict) -> tuple[Indicator, str]:
    """Create or update the indicator ``code``; returns it and "created", "changed" or
    "unchanged". ValidationError (nothing written) if the definition does not hold."""
    indicator = Indicator.objects.select_for_update().filter(code=code).first()
    if indicator is None:
        indicator = Indicator(code=code, **values)
        indicator.full_clean()
        indicator.save()
        return indicator, "created"
    if all(getattr(indicator, name) == value for name, value in values.items()):
        return indicator, "unchanged"
    redefined = any(
        name in values and getattr(indicator, name) != values[name] for name in DEFINING_FIELDS
    )
    for name, value in values.items():
        setattr(indicator, name, value)
    if redefined:
        indicator.definition_version += 1
    indicator.full_clean()
    indicator.save()
    return indicator, "changed"


def _review_registry(indicator: Indicator):
    return registry_get(indicator.review_registry)


@transaction.atomic
def entered_value_propose(
    *, indicator: Indicator, user, year: int, value: float, source: str
) -> EnteredValue:
    """Propose a yearly value of an entered indicator; it is public only once approved. The
    proposer needs the edit role of the indicator's review registry."""
    if indicator.kind != IndicatorKind.ENTERED:
        raise WorkflowError(_("Values of a computed indicator are computed, not entered."))
    if not user_can(user, Action.EDIT, _review_registry(indicator)):
        raise NotPermitted()
    entered = EnteredValue(indicator=indicator, year=year, value=value, source=source, author=user)
    entered.full_clean(exclude=["reviewer"])
    entered.save()
    return entered


def _decide(entered: EnteredValue, user, state: str, comment: str) -> EnteredValue:
    entered = EnteredValue.objects.select_for_update().get(pk=entered.pk)
    if entered.state != ValueState.PROPOSED:
        raise WorkflowError(_("This value has already been decided."))
    if not user_can(user, Action.REVIEW, _review_registry(entered.indicator)):
        raise NotPermitted()
    if entered.author_id == user.pk:
        raise OwnChange()
    # The workflow's own record of a decision (state, reviewer, comment, moment, checked).
    decision_record(entered, user=user, state=state, comment=comment)
    return entered


@transaction.atomic
def entered_value_approve(*, entered: EnteredValue, user, comment: str = "") -> EnteredValue:
    """Publish a proposed value (a reviewer other than its author). An approved value of the
    same year is replaced: it stays in the history, rejected by this decision."""
    EnteredValue.objects.select_for_update().filter(
        indicator_id=entered.indicator_id, year=entered.year, state=ValueState.APPROVED
    ).exclude(pk=entered.pk).update(state=ValueState.REJECTED, decided_at=timezone.now())
    return _decide(entered, user, ValueState.APPROVED, comment)


@transaction.atomic
def entered_value_reject(*, entered: EnteredValue, user, comment: str) -> EnteredValue:
    return _decide(entered, user, ValueState.REJECTED, comment)


@transaction.atomic
def snapshot_take(*, indicator: Indicator, moment=None) -> Snapshot:
    """Compute a computed indicator now and store the value with the change stamps it was
    computed from and the definition version."""
    from sdg.compute import indicator_compute, moment_year

    moment = moment or timezone.now()
    result = indicator_compute(indicator, year=moment_year(moment))
    snapshot = Snapshot(
        indicator=indicator,
        taken_at=moment,
        year=result.year,
        value=result.figures.value,
        numerator=result.figures.numerator,
        denominator=result.figures.denominator,
        stamps=result.stamps,
        definition_version=indicator.definition_version,
        by_area=result.figures.by_area,
        by_breakdown={key: figures.as_json() for key, figures in result.by_breakdown.items()},
    )
    snapshot.full_clean()
    snapshot.save()
    return snapshot


def snapshots_take_all(*, moment=None) -> list[Snapshot]:
    """A snapshot of every computed indicator (the monthly task, the admin action)."""
    return [
        snapshot_take(indicator=indicator, moment=moment)
        for indicator in Indicator.objects.filter(kind=IndicatorKind.COMPUTED)
    ]
