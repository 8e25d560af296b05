"""The report of a checked import: counts, the table of problems and warnings (one line per
problem, filtered and paged in the database), and the downloads of the file's rows as they
came with a "problems" and a "warnings" column added, for staff to fix and upload again.

Spreadsheets run what looks like a formula; every text cell that would start one gets a
leading apostrophe (``spreadsheet_safe``).
"""

import csv
import re
import tempfile
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from layers.imports.checking import GEOMETRY_COLUMN
from layers.imports.mapping import GEOMETRY_FIELD, importable_fields
from layers.models.imports import ImportJob, ImportRow, RowAction

PAGE_SIZE = 50
KINDS = ("all", "errors", "warnings")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d{1,3})?")


def spreadsheet_safe(value):
    """A cell value a spreadsheet will not run: text starting with = + - @, a tab or a
    carriage return gets a leading apostrophe (CSV/formula injection). Plain numbers
    (-12.5, +380…) are numbers, not formulas, and stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        if _PLAIN_NUMBER.fullmatch(value):
            return value
        return "'" + value
    return value


def report_counts(job: ImportJob) -> dict:
    counts = ImportRow.objects.filter(job=job).aggregate(
        rows=Count("id"),
        new=Count("id", filter=Q(action=RowAction.CREATE)),
        changed=Count("id", filter=Q(action=RowAction.UPDATE)),
        unchanged=Count("id", filter=Q(action=RowAction.UNCHANGED)),
        refused=Count("id", filter=Q(action=RowAction.REFUSED)),
        warnings=Count("id", filter=~Q(warnings=[])),
    )
    return counts


@dataclass
class Problem:
    number: int
    kind: str  # "error" or "warning"
    column: str
    field: str
    field_label: str
    message: str


def _field_labels(registry) -> dict[str, str]:
    labels = {f.name: str(f.verbose_name) for f in importable_fields(registry)}
    labels[GEOMETRY_FIELD] = _("location")
    return labels


# One line per problem (a row's ``errors``) or warning, as (number, kind, column, field,
# message); fixed SQL, the job id its only parameter.
_LINES = {
    "errors": (
        "SELECT r.number, 'error' AS kind, e->>'column' AS col, e->>'field' AS fld,"
        " e->>'message' AS msg FROM layers_importrow r, jsonb_array_elements(r.errors) e"
        " WHERE r.job_id = %s"
    ),
    "warnings": (
        "SELECT r.number, 'warning' AS kind, e->>'column' AS col, e->>'field' AS fld,"
        " e->>'message' AS msg FROM layers_importrow r, jsonb_array_elements(r.warnings) e"
        " WHERE r.job_id = %s"
    ),
}


def _problem_sql(job_id: int, kind: str, column: str, field: str) -> tuple[str, list]:
    names = ("errors", "warnings") if kind == "all" else (kind,)
    sql = " UNION ALL ".join(_LINES[name] for name in names)
    params: list = [job_id] * len(names)
    where = []
    if column:
        where.append("col = %s")
        params.append(column)
    if field:
        where.append("fld = %s")
        params.append(field)
    sql = f"SELECT number, kind, col, fld, msg FROM ({sql}) p"  # noqa: S608 - fixed SQL
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql, params


def problems_page(
    job: ImportJob, registry, *, kind: str = "all", column: str = "", field: str = "", page=1
):
    """One page of the problems (``kind``: all, errors, warnings), with the filters' options
    and the total: (problems, total, pages, columns, fields)."""
    kind = kind if kind in KINDS else "all"
    sql, params = _problem_sql(job.pk, kind, column, field)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) c", params)  # noqa: S608
        total = cursor.fetchone()[0]
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, page), pages)
        cursor.execute(
            f"{sql} ORDER BY number, kind, col LIMIT %s OFFSET %s",
            [*params, PAGE_SIZE, (page - 1) * PAGE_SIZE],
        )
        rows = cursor.fetchall()
        all_sql, all_params = _problem_sql(job.pk, "all", "", "")
        cursor.execute(
            f"SELECT DISTINCT col, fld FROM ({all_sql}) d ORDER BY col, fld",  # noqa: S608
            all_params,
        )
        pairs = cursor.fetchall()
    labels = _field_labels(registry)
    problems = [
        Problem(
            number=number,
            kind=kind_,
            column=col or "",
            field=fld or "",
            field_label=labels.get(fld or "", fld or ""),
            message=msg or "",
        )
        for number, kind_, col, fld, msg in rows
    ]
    columns = sorted({col for col, _fld in pairs if col})
    fields = sorted(
        {(fld, labels.get(fld, fld)) for _col, fld in pairs if fld}, key=lambda item: item[1]
    )
    return problems, total, page, pages, columns, fields


# --- Downloads --------------------------------------------------------------------------


def _header(job: ImportJob) -> tuple[list[str], list[str], bool]:
    """(header, source columns, with a WKT column): the file's own columns, then ours."""
    columns = [str(c) for c in (job.options or {}).get("columns") or []]
    with_wkt = job.format not in ("csv", "xlsx")
    ours = [_("row"), *columns]
    if with_wkt:
        ours.append(_("geometry (WKT, WGS 84)"))
    ours += [_("problems"), _("warnings")]
    return ours, columns, with_wkt


def _messages(items: list[dict]) -> str:
    return "; ".join(
        f"{item.get('column') or GEOMETRY_COLUMN}: {item.get('message', '')}" for item in items
    )


def _rows(job: ImportJob):
    header, columns, with_wkt = _header(job)
    yield header
    queryset = ImportRow.objects.filter(job=job).order_by("number")
    for row in queryset.iterator(chunk_size=2000):
        cells = [row.number, *((row.source or {}).get(c) for c in columns)]
        if with_wkt:
            cells.append(row.geom.wkt if row.geom is not None else None)
        cells += [_messages(row.errors), _messages(row.warnings)]
        yield cells


class _Echo:
    def write(self, value):
        return value


def _file_stem(job: ImportJob) -> str:
    stem = job.file_name.rsplit(".", 1)[0] or "import"
    return f"{stem}-report"


def report_csv(job: ImportJob) -> StreamingHttpResponse:
    """The rows as they came plus problems and warnings, as UTF-8 CSV with a byte order mark
    (so Excel reads the Cyrillic right), streamed."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        for cells in _rows(job):
            yield writer.writerow(
                ["" if cell is None else spreadsheet_safe(cell) for cell in cells]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(f"{_file_stem(job)}.csv")
    return response


def report_xlsx(job: ImportJob) -> FileResponse:
    """The same as an Excel workbook (openpyxl in write-only mode: memory stays flat)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Report")[:31])
    bold = Font(bold=True)
    for index, cells in enumerate(_rows(job)):
        if index == 0:
            header = []
            for text in cells:
                cell = WriteOnlyCell(sheet, value=_xlsx_value(text))
                cell.font = bold
                header.append(cell)
            sheet.append(header)
            continue
        sheet.append([_xlsx_value(cell) for cell in cells])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{_file_stem(job)}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _xlsx_value(value):
    """A cell for openpyxl: text without the characters XML 1.0 cannot hold (they would make
    the workbook unreadable), then made safe (openpyxl writes "=…" as a formula)."""
    if isinstance(value, dict | list):
        value = str(value)
    if isinstance(value, str):
        value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)
    return spreadsheet_safe(value)


def attachment(filename: str) -> str:
    """A Content-Disposition for a download named ``filename`` (any script)."""
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
