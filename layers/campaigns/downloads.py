"""The hromada's summary of a campaign year: counts by object group and status (as the
ministry's reporting asks), and every accepted checklist in the checklist layout — one row
per object, one column per criterion — as CSV and as an Excel workbook."""

import csv
import io
import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _

from layers.campaigns.access import user_sees_campaign
from layers.campaigns.selectors import STATUSES, campaign_summary
from layers.imports.report import _xlsx_value, attachment, spreadsheet_safe
from layers.models.accessibility import ChecklistCriterion
from layers.models.campaigns import Campaign, ChecklistSubmission, SubmissionState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def checklist_layout(campaign: Campaign) -> tuple[list[str], list[str], list[list]]:
    """(codes, labels, rows): the header as stable codes and as people read it, and one row
    per object whose checklist of the year was accepted, with its answer to each criterion
    of the campaign's template (empty where the criterion is not of its object group)."""
    criteria = list(
        ChecklistCriterion.objects.filter(section__template=campaign.template)
        .select_related("section")
        .order_by("section__object_group", "section__order", "order", "id")
    )
    codes = ["object_id", "name", "address", "category", "object_group", "owner"]
    codes += ["year", "assessed_on", "assessed_by", "status"]
    labels = [_("object id"), _("name"), _("address"), _("category"), _("object group")]
    labels += [_("owner"), _("year"), _("assessed on"), _("responsible person"), _("status")]
    codes += [f"{c.section.code}/{c.code}" for c in criteria]
    labels += [f"{c.section.title}: {c.text}" for c in criteria]
    rows = []
    accepted = (
        ChecklistSubmission.objects.filter(
            campaign=campaign, state=SubmissionState.ACCEPTED, assessment__isnull=False
        )
        .select_related("accessible_object", "assessment")
        .prefetch_related("assessment__answers")
        .order_by("accessible_object__name", "accessible_object_id")
    )
    for submission in accepted:
        obj, assessment = submission.accessible_object, submission.assessment
        answers = {a.criterion_id: a.answer for a in assessment.answers.all()}
        rows.append(
            [
                str(obj.public_id),
                obj.name,
                obj.address,
                str(obj.get_category_display()),
                str(obj.object_group.label),
                obj.owner,
                assessment.year,
                assessment.assessed_on.isoformat(),
                assessment.assessed_by,
                str(assessment.get_status_display()),
                *[answers.get(c.pk, "") for c in criteria],
            ]
        )
    return codes, labels, rows


def _summary_rows(campaign: Campaign) -> list[list]:
    header = [_("object group"), *[str(s.label) for s in STATUSES], _("total")]
    body = [
        [str(group), *[counts.get(s.value, 0) for s in STATUSES], counts.get("total", 0)]
        for group, counts in campaign_summary(campaign)
    ]
    return [header, *body]


@login_required
def summary(request, year: int, suffix: str):
    if not user_sees_campaign(request.user):
        raise PermissionDenied
    campaign = Campaign.objects.select_related("template").filter(year=year).first()
    if campaign is None or suffix not in ("csv", "xlsx"):
        raise Http404("No such summary.")
    codes, labels, rows = checklist_layout(campaign)
    stem = f"barrier-free-{campaign.year}"
    if suffix == "csv":
        # The checklist layout only: a CSV holds one table. UTF-8 with a byte order mark,
        # so that Excel reads the Cyrillic right.
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(codes)
        writer.writerow(labels)
        for row in rows:
            writer.writerow([spreadsheet_safe(cell) for cell in row])
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = attachment(f"{stem}-checklists.csv")
        return response
    return _workbook(campaign, codes, labels, rows, filename=f"{stem}.xlsx")


def _workbook(campaign, codes, labels, rows, *, filename: str) -> FileResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Summary")[:31])
    sheet.append([str(campaign)])
    for row in _summary_rows(campaign):
        sheet.append([_xlsx_value(cell) for cell in row])
    sheet = workbook.create_sheet(title=_("Checklists")[:31])
    sheet.append(codes)
    sheet.append([_xlsx_value(label) for label in labels])
    for row in rows:
        sheet.append([_xlsx_value(cell) for cell in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
