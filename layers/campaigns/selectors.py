"""Reads of the campaign: an owner's objects, the staff dashboard (every object due, by
state, category and owner) and the year's summary by object group and status."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from layers.models import Status
from layers.models.accessibility import AccessibleObject, Assessment
from layers.models.campaigns import (
    Campaign,
    ChecklistSubmission,
    Stewardship,
    StewardshipState,
    SubmissionState,
)
from layers.rules.accessibility import AssessmentStatus, Category, ObjectGroup

NOT_STARTED = "not_started"
OVERDUE = "overdue"
# The dashboard's columns, in the order of the work.
PROGRESS = {
    NOT_STARTED: _("due, not started"),
    SubmissionState.IN_PROGRESS: _("in progress"),
    SubmissionState.RETURNED: _("returned for correction"),
    SubmissionState.SUBMITTED: _("submitted"),
    SubmissionState.ACCEPTED: _("accepted"),
}


def owner_objects(user):
    """The objects ``user`` answers for, with their owners' organisation."""
    return (
        AccessibleObject.objects.filter(
            stewardships__user=user, stewardships__state=StewardshipState.ACTIVE
        )
        .exclude(status=Status.ARCHIVED)
        .order_by("name", "id")
        .distinct()
    )


def current_campaign(today: datetime.date) -> Campaign | None:
    """The campaign of this year if it is open, else the latest that has started."""
    return (
        Campaign.objects.filter(starts_on__lte=today).select_related("template").first()
    )  # newest year first


def submission_of(campaign: Campaign | None, accessible_object) -> ChecklistSubmission | None:
    if campaign is None:
        return None
    return ChecklistSubmission.objects.filter(
        campaign=campaign, accessible_object=accessible_object
    ).first()


@dataclass
class DashboardRow:
    obj: AccessibleObject
    progress: str
    overdue: bool
    owner: str
    submission_id: int | None


@dataclass
class Dashboard:
    campaign: Campaign
    today: datetime.date
    rows: list[DashboardRow] = field(default_factory=list)

    @property
    def totals(self) -> Counter:
        counts = Counter(row.progress for row in self.rows)
        counts[OVERDUE] = sum(1 for row in self.rows if row.overdue)
        return counts

    def _by(self, key) -> list[tuple[str, Counter]]:
        groups: dict[str, Counter] = {}
        for row in self.rows:
            counts = groups.setdefault(key(row), Counter())
            counts[row.progress] += 1
            counts[OVERDUE] += row.overdue
            counts["total"] += 1
        return sorted(groups.items(), key=lambda pair: str(pair[0]))

    def by_category(self):
        return [(Category(c).label, counts) for c, counts in self._by(lambda r: r.obj.category)]

    def by_owner(self):
        return self._by(lambda row: row.owner)

    @property
    def waiting(self) -> list[DashboardRow]:
        return [row for row in self.rows if row.progress == SubmissionState.SUBMITTED]

    @property
    def stale(self) -> int:
        """Objects whose latest assessment is older than the campaign's year (or none)."""
        return sum(
            1
            for row in self.rows
            if row.obj.last_assessed_on is None
            or row.obj.last_assessed_on.year < self.campaign.year
        )


def campaign_dashboard(campaign: Campaign, *, today: datetime.date) -> Dashboard:
    """Every object on the public map, with where its checklist of the campaign stands."""
    submissions = ChecklistSubmission.objects.filter(
        campaign=campaign, accessible_object=OuterRef("pk")
    )
    organisation = Stewardship.objects.filter(
        accessible_object=OuterRef("pk"), state=StewardshipState.ACTIVE
    ).order_by("created_at")
    objects = (
        AccessibleObject.objects.filter(status=Status.PUBLISHED)
        .annotate(
            progress=Subquery(submissions.values("state")[:1]),
            submission_id=Subquery(submissions.values("pk")[:1]),
            steward_organisation=Subquery(organisation.values("organisation")[:1]),
            # An assessment of the year entered otherwise (the editor, an import): done.
            assessed=Exists(
                Assessment.objects.filter(
                    accessible_object=OuterRef("pk"), year=campaign.year
                ).exclude(status="")
            ),
        )
        .order_by("name", "id")
    )
    late = today > campaign.ends_on
    dashboard = Dashboard(campaign, today)
    for obj in objects:
        progress = obj.progress or (SubmissionState.ACCEPTED if obj.assessed else NOT_STARTED)
        done = progress in (SubmissionState.SUBMITTED, SubmissionState.ACCEPTED)
        dashboard.rows.append(
            DashboardRow(
                obj=obj,
                progress=progress,
                overdue=late and not done,
                owner=obj.steward_organisation or obj.owner or str(_("no owner named")),
                submission_id=obj.submission_id,
            )
        )
    return dashboard


def year_assessments(year: int):
    """The official assessments of ``year`` of the objects on the public map — accepted
    from an owner's checklist or entered by the registry's staff and reviewed."""
    return Assessment.objects.filter(year=year, accessible_object__status=Status.PUBLISHED).exclude(
        status=""
    )


def campaign_summary(campaign: Campaign) -> list[tuple[str, Counter]]:
    """The year's assessments counted by object group and status, as the ministry's
    reporting asks (each group: barrier-free, partially, not, total)."""
    counts = {group: Counter() for group in ObjectGroup}
    for assessment in year_assessments(campaign.year).select_related("accessible_object"):
        group = assessment.accessible_object.object_group
        counts[group][assessment.status] += 1
        counts[group]["total"] += 1
    return [(ObjectGroup(group).label, counts[group]) for group in ObjectGroup]


STATUSES = tuple(AssessmentStatus)
