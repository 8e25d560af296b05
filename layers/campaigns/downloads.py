"""The hromada's summary of a campaign year: counts by object group and status (as the
ministry's reporting asks), and every assessment of the year in the checklist layout — one
row per object, one column per criterion — as CSV and as an Excel workbook. An assessment
is official once accepted: from an owner's checklist, or reviewed through the editor."""

import csv
import io
import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _

from layers.campaigns.access import user_sees_campaign
from layers.campaigns.selectors import STATUSES, campaign_summary, year_assessments
from layers.imports.report import _xlsx_value, attachment, spreadsheet_safe
from layers.models.accessibility import AccessibleObject
from layers.models.campaigns import Campaign
from layers.selectors.checklist_table import checklist_table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def checklist_layout(campaign: Campaign) -> tuple[list[str], list[str], list[list]]:
    """(codes, labels, rows): the checklist table (``layers.selectors.checklist_table``) of
    the objects assessed that year, in the campaign template's columns — the header as
    stable codes and as people read it."""
    accepted = year_assessments(campaign.year).values("accessible_object_id")
    table = checklist_table(
        year=campaign.year,
        template=campaign.template,
        objects=AccessibleObject.objects.filter(pk__in=accepted),
    )
    codes = [column.key for column in table.columns]
    labels = [column.label for column in table.columns]
    rows = [["" if row[key] is None else row[key] for key in codes] for row in table.rows]
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
