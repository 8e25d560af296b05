"""Tables: CSV (the ``csv`` module) here, XLSX in ``layers.imports.workbooks``; rows of cells
with geometry from longitude/latitude or projected x/y columns or a WKT column.

The first row names the columns (row 1 as a spreadsheet shows it; the first data row is 2).
``inspect`` reads the whole table once: it checks the encoding, counts the rows against the
limit, refuses formulas wherever they are, and looks at the first rows to tell degrees from
metres and to notice longitude and latitude swapped.
"""

import codecs
import csv
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layers.imports.base import ImportFileError, Limits, Row, SourceInfo, Value
from layers.imports.coordinates import MAX_WKT_CHARS, crs_code, parse_number, point, wkt_geometry
from layers.imports.gis import normalise_encoding

PAIRS = (
    ("lon", "lat"),
    ("lng", "lat"),
    ("long", "lat"),
    ("longitude", "latitude"),
    ("довгота", "широта"),
    ("x", "y"),
)
LON_NAMES = ("lon", "lng", "long", "longitude", "довгота", "x")
LAT_NAMES = ("lat", "latitude", "широта", "y")
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "геометрія")
DELIMITERS = (",", ";", "\t")
SAMPLE_ROWS = 50
_CHUNK = 1024 * 1024


def _refuse(message, code: str, **params) -> ImportFileError:
    return ImportFileError(message, code, **params)


def _too_many_rows(limit: int) -> ImportFileError:
    return _refuse(
        _("The file has more than %(limit)s rows; split it."), "too_many_rows", limit=limit
    )


# --- Columns and coordinates -----------------------------------------------------------------
def _header(cells: list, limits: Limits) -> list[str]:
    names = ["" if cell is None else str(cell).strip() for cell in cells]
    while names and not names[-1]:
        names.pop()
    if not names or all(not name or _is_number(name) for name in names):
        raise _refuse(_("The first row must name the columns."), "header_required")
    if len(names) > limits.max_columns:
        raise _refuse(
            _("The table has %(count)s columns; at most %(limit)s are accepted."),
            "too_many_columns",
            count=len(names),
            limit=limits.max_columns,
        )
    columns: list[str] = []
    for index, name in enumerate(names, start=1):
        name = name or f"column_{index}"
        if name in columns:
            raise _refuse(
                _("The column name %(name)s appears twice."), "duplicate_column", name=name[:80]
            )
        columns.append(name)
    return columns


def _is_number(text: str) -> bool:
    try:
        return parse_number(text) is not None
    except ValueError:
        return False


def _coordinate_columns(columns: list[str], x: str | None, y: str | None, wkt: str | None):
    """('pair' | 'wkt' | 'none', {"x": .., "y": ..} or {"wkt": ..})."""
    for given in (x, y, wkt):
        if given is not None and given not in columns:
            raise _refuse(
                _("The table has no column %(column)s."), "unknown_column", column=str(given)[:80]
            )
    if wkt and (x or y):
        raise _refuse(
            _("Choose either a WKT column or coordinate columns, not both."), "coordinate_columns"
        )
    if wkt:
        return "wkt", {"wkt": wkt}
    if x or y:
        if not (x and y):
            raise _refuse(_("Choose both coordinate columns."), "coordinate_columns")
        return "pair", {"x": x, "y": y}
    lowered: dict[str, str] = {}
    for column in columns:
        lowered.setdefault(column.strip().lower(), column)
    for lon, lat in PAIRS:
        if lon in lowered and lat in lowered:
            return "pair", {"x": lowered[lon], "y": lowered[lat]}
    lon = next((lowered[name] for name in LON_NAMES if name in lowered), None)
    lat = next((lowered[name] for name in LAT_NAMES if name in lowered), None)
    if lon and lat:
        return "pair", {"x": lon, "y": lat}
    wkt = next((lowered[name] for name in WKT_NAMES if name in lowered), None)
    if wkt:
        return "wkt", {"wkt": wkt}
    return "none", {}


def _geometry_mode(kind: str, columns: dict[str, str], sample: list[dict]) -> tuple[str, bool]:
    """(geometry mode, axis swap suspected) from the first rows."""
    if kind != "pair":
        return kind, False
    pairs = []
    for values in sample:
        try:
            x, y = parse_number(values.get(columns["x"])), parse_number(values.get(columns["y"]))
        except ValueError:
            continue
        if x is not None and y is not None:
            pairs.append((x, y))
    if any(abs(x) > 180 or abs(y) > 90 for x, y in pairs):
        return "xy", False
    swapped = sum(1 for x, y in pairs if 44 <= x <= 53 and 22 <= y <= 41)
    return "lonlat", bool(pairs) and swapped * 2 > len(pairs)


def table_info(format: str, columns, kind, coordinate_columns, sample, count, **extra):
    mode, swapped = _geometry_mode(kind, coordinate_columns, sample)
    notes = list(extra.pop("notes", []))
    if swapped:
        notes.append(gettext("Longitude and latitude look swapped; check which column is which."))
    if mode == "xy":
        notes.append(gettext("The coordinates look projected; choose their coordinate system."))
    return SourceInfo(
        format=format,
        columns=columns,
        crs=None,
        row_count=count,
        geometry=mode,
        coordinate_columns=coordinate_columns,
        axis_swap_suspected=swapped,
        notes=notes,
        **extra,
    )


def _source_crs(info: SourceInfo, source_crs: str | None) -> str:
    code = crs_code(source_crs)
    if code is None and info.geometry == "xy":
        raise _refuse(
            _("The coordinates are projected; choose the coordinate system they are in."),
            "crs_required",
        )
    return code or "EPSG:4326"


def _geometry(values: dict, info: SourceInfo, crs: str) -> tuple[dict | None, str | None]:
    if info.geometry == "wkt":
        text = values.get(info.coordinate_columns["wkt"])
        if text is None:
            return None, None
        return wkt_geometry(str(text), crs)
    if info.geometry not in ("lonlat", "xy"):
        return None, None
    numbers = []
    for axis in ("x", "y"):
        column = info.coordinate_columns[axis]
        try:
            numbers.append(parse_number(values.get(column)))
        except ValueError as error:
            return None, gettext("Column %(column)s: %(reason)s.") % {
                "column": column,
                "reason": error,
            }
    x, y = numbers
    if x is None and y is None:
        return None, None
    if x is None or y is None:
        return None, gettext("Only one of the two coordinates is given.")
    return point(x, y, crs)


def _row(number: int, cells: list, info: SourceInfo, crs: str) -> Row:
    columns = info.columns
    values: dict[str, Value] = {
        column: (cells[index] if index < len(cells) else None)
        for index, column in enumerate(columns)
    }
    extra = sum(1 for cell in cells[len(columns) :] if cell is not None)
    geometry, error = _geometry(values, info, crs)
    return Row(
        number=number,
        values=values,
        geometry=geometry,
        geometry_error=error,
        row_error=(
            gettext("The row has %(count)s more cells than the first row names.") % {"count": extra}
            if extra
            else None
        ),
    )


# --- CSV -------------------------------------------------------------------------------------
def csv_encoding(path: Path, given: str | None) -> tuple[str, str]:
    with path.open("rb") as handle:
        bom = handle.read(3) == codecs.BOM_UTF8
        if given:
            return ("utf-8-sig" if bom and given == "utf-8" else given), "given"
        if bom:
            return "utf-8-sig", "BOM"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1251", "cp1251 fallback (not valid UTF-8)"
    return "utf-8", "valid UTF-8"


def _sniff_delimiter(sample: str) -> str:
    lines = sample.splitlines()[:SAMPLE_ROWS]
    if len(sample) >= 64 * 1024 and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        counts = [len(record) for record in csv.reader(lines, delimiter=delimiter) if record]
        if not counts or counts[0] < 2:
            continue
        score = (sum(count == counts[0] for count in counts) / len(counts), counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_records(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list]]:
    csv.field_size_limit(max(csv.field_size_limit(), MAX_WKT_CHARS + 1024))
    number = 0
    try:
        with path.open(encoding=encoding, newline="") as text:
            for number, record in enumerate(csv.reader(text, delimiter=delimiter), start=1):
                yield number, [cell if cell != "" else None for cell in record]
    except UnicodeDecodeError:
        raise _refuse(
            _("The file is not valid %(encoding)s text (after row %(row)s)."),
            "bad_encoding",
            encoding=encoding,
            row=number,
        ) from None
    except csv.Error as error:
        raise _refuse(
            _("The CSV cannot be read at row %(row)s (%(reason)s)."),
            "bad_csv",
            row=number + 1,
            reason=str(error)[:120],
        ) from None


def _blank(cells: list) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def scan_table(records, limits: Limits, kind_args) -> tuple:
    header = next(records, None)
    if header is None:
        raise _refuse(_("The first row must name the columns."), "header_required")
    columns = _header(header[1], limits)
    kind, coordinate_columns = _coordinate_columns(columns, *kind_args)
    count, sample = 0, []
    for _number, cells in records:
        if _blank(cells):
            continue
        count += 1
        if count > limits.max_rows:
            raise _too_many_rows(limits.max_rows)
        if len(sample) < SAMPLE_ROWS:
            sample.append(dict(zip(columns, cells, strict=False)))
    return columns, kind, coordinate_columns, sample, count


def inspect_csv(path: Path, *, encoding: str | None, x_column, y_column, wkt_column) -> SourceInfo:
    limits = Limits.current()
    encoding, detected = csv_encoding(path, normalise_encoding(encoding))
    with path.open("rb") as handle:
        sample = handle.read(64 * 1024).decode(encoding, "replace")
    delimiter = _sniff_delimiter(sample)
    records = _csv_records(path, encoding, delimiter)
    with closing(records):
        scanned = scan_table(records, limits, (x_column, y_column, wkt_column))
    return table_info(
        "csv",
        *scanned,
        layers=["csv"],
        layer="csv",
        encoding=encoding,
        encodings_detected=detected,
        delimiter=delimiter,
    )


def table_rows(records, info: SourceInfo, source_crs: str | None) -> Iterator[Row]:
    limits = Limits.current()
    crs = _source_crs(info, source_crs)
    with closing(records):
        header = next(records, None)
        if header is None or _header(header[1], limits) != info.columns:
            raise _refuse(_("The file changed since it was inspected."), "changed")
        count = 0
        for number, cells in records:
            if _blank(cells):
                continue
            count += 1
            if count > limits.max_rows:
                raise _too_many_rows(limits.max_rows)
            yield _row(number, cells, info, crs)


def read_csv(path: Path, info: SourceInfo, *, source_crs: str | None) -> Iterator[Row]:
    encoding = normalise_encoding(info.encoding) or "utf-8"
    delimiter = info.delimiter or ","
    if delimiter not in DELIMITERS:
        raise _refuse(_("The file changed since it was inspected."), "changed")
    yield from table_rows(_csv_records(path, encoding, delimiter), info, source_crs)
