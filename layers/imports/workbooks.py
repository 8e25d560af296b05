"""XLSX workbooks, read by openpyxl in read-only mode without evaluating anything: a cell
with a formula refuses the file (with the cell's reference), external links were refused
with the archive (``layers.imports.archives``), dates become ``datetime.date``.
"""

from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, time, timedelta
from pathlib import Path

import openpyxl
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layers.imports.base import ImportFileError, Limits, Row, SourceInfo, Value
from layers.imports.tables import scan_table, table_info, table_rows


def _bad_workbook() -> ImportFileError:
    return ImportFileError(_("The workbook cannot be read."), "bad_xlsx")


def _cell(value: object) -> Value:
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if value == "":
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _sheet_records(path: Path, sheet: str | None) -> Iterator[tuple[int, list]]:
    """(row number, cell values) of the sheet; ImportFileError on any formula."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception:
        raise _bad_workbook() from None
    try:
        names = [ws.title for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
        yield 0, names  # the sheet names first
        if sheet is not None and sheet not in names:
            raise ImportFileError(
                _("The workbook has no sheet %(sheet)s."), "unknown_layer", sheet=sheet[:80]
            )
        worksheet = workbook[sheet or names[0]]
        worksheet.reset_dimensions()  # the declared dimensions may be wrong
        for number, row in enumerate(worksheet.iter_rows(), start=1):
            cells = []
            for cell in row:
                if cell.data_type == "f":
                    raise ImportFileError(
                        _(
                            "Cell %(cell)s holds a formula; formulas are not supported: "
                            "replace them with their values."
                        ),
                        "formula",
                        cell=cell.coordinate,
                    )
                cells.append(_cell(cell.value))
            yield number, cells
    except ImportFileError:
        raise
    except Exception:
        raise _bad_workbook() from None
    finally:
        workbook.close()


def inspect_xlsx(path: Path, *, layer: str | None, x_column, y_column, wkt_column) -> SourceInfo:
    limits = Limits.current()
    records = _sheet_records(path, layer)
    with closing(records):
        _zero, names = next(records)
        scanned = scan_table(records, limits, (x_column, y_column, wkt_column))
    chosen = layer or names[0]
    notes = []
    if layer is None and len(names) > 1:
        notes.append(
            gettext("The workbook has %(count)s sheets; “%(sheet)s” was chosen.")
            % {"count": len(names), "sheet": chosen}
        )
    return table_info(
        "xlsx",
        *scanned,
        layers=names,
        layer=chosen,
        encoding=None,
        encodings_detected=None,
        notes=notes,
    )


def read_xlsx(path: Path, info: SourceInfo, *, source_crs: str | None) -> Iterator[Row]:
    records = _sheet_records(path, info.layer)
    next(records)
    yield from table_rows(records, info, source_crs)
