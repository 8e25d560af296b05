"""What the job page shows of a taken-in file before (and after) its check: what the readers
detected, where its first rows land on the map, and the values seen in each column.

The file is read once for this (``job_preview``) and the result kept in the job's options
under ``"preview"``, so the page does not read a large file on every view. After a check the
rows come from ``ImportRow`` instead, marked with what each will do.
"""

import json

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layers.imports import readers, services
from layers.imports.mapping import ColumnMapping, suggest_columns, suggest_values
from layers.models.boundary import boundary_pinned, hromada_area_contains
from layers.models.imports import ImportJob, ImportRow, ImportState, RowAction

PREVIEW_ROWS = 500
SAMPLE_ROWS = 2000
MAX_DISTINCT = 60
MAX_VALUE_CHARS = 200
MAX_FEATURE_BYTES = 20_000  # larger geometries are simplified for the preview
READING_KEYS = ("x_column", "y_column", "wkt_column")

# How the readers say they found the encoding → what the page says.
ENCODING_HOW = {
    "given": gettext_lazy("as you chose"),
    "BOM": gettext_lazy("from the byte order mark at the start of the file"),
    "valid UTF-8": gettext_lazy("the text is valid UTF-8"),
    "cp1251 fallback": gettext_lazy("the text is not valid UTF-8, so Windows-1251"),
    ".cpg": gettext_lazy("from the Shapefile's .cpg file"),
    "DBF language driver": gettext_lazy("from the code page mark of the .dbf file"),
    "RFC 8259": gettext_lazy("GeoJSON is always UTF-8"),
}


def encoding_how(detected: str | None) -> str:
    if not detected:
        return ""
    for prefix, text in ENCODING_HOW.items():
        if detected.startswith(prefix):
            return str(text)
    return detected


def _text(value) -> str:
    return str(value)[:MAX_VALUE_CHARS]


def _feature_geometry(geojson: dict) -> dict:
    text = json.dumps(geojson)
    if len(text) <= MAX_FEATURE_BYTES:
        return geojson
    geom = GEOSGeometry(text, srid=4326).simplify(0.0001, preserve_topology=True)
    return json.loads(geom.json)


def _inside(geojson: dict) -> bool | None:
    try:
        return hromada_area_contains(GEOSGeometry(json.dumps(geojson), srid=4326))
    except Exception:  # no boundary loaded, or a geometry GEOS does not take
        return None


def _info(info) -> dict:
    return {
        "format": info.format,
        "layers": list(info.layers),
        "layer": info.layer,
        "encoding": info.encoding,
        "encoding_detected": info.encodings_detected,
        "crs": info.crs,
        "row_count": info.row_count,
        "geometry": info.geometry,
        "coordinate_columns": dict(info.coordinate_columns),
        "axis_swap_suspected": bool(getattr(info, "axis_swap_suspected", False)),
        "layer_row_counts": dict(getattr(info, "layer_row_counts", {}) or {}),
        "notes": [str(note) for note in getattr(info, "notes", [])],
    }


def _inspect(job: ImportJob, path):
    options = job.options or {}
    return readers.inspect(
        path,
        original_name=job.file_name,
        encoding=job.encoding or None,
        layer=job.layer or None,
        **{key: options.get(key) for key in READING_KEYS},
    )


def _read(job: ImportJob) -> dict:
    """Read the file's first rows: features, counts and the values of each column."""
    features, values = [], {}
    counts = {"read": 0, "no_geometry": 0, "bad_geometry": 0, "outside": 0}
    preview = {"features": features, "values": values, "counts": counts, "error": ""}
    try:
        with services.LocalCopy(job) as path, boundary_pinned():
            info = _inspect(job, path)
            preview["info"] = _info(info)
            rows = readers.read_rows(path, info, source_crs=job.source_crs or None)
            for index, row in enumerate(rows):
                if index >= SAMPLE_ROWS:
                    break
                for column, value in row.values.items():
                    seen = values.setdefault(column, [])
                    if value not in (None, "") and len(seen) < MAX_DISTINCT:
                        text = _text(value)
                        if text not in seen:
                            seen.append(text)
                if index >= PREVIEW_ROWS:
                    continue
                counts["read"] += 1
                if row.geometry_error:
                    counts["bad_geometry"] += 1
                    continue
                if row.geometry is None:
                    counts["no_geometry"] += 1
                    continue
                inside = _inside(row.geometry)
                counts["outside"] += inside is False
                features.append(
                    {
                        "type": "Feature",
                        "geometry": _feature_geometry(row.geometry),
                        "properties": {"row": row.number, "status": "read", "outside": not inside},
                    }
                )
    except readers.ImportFileError as exc:
        preview["error"] = str(exc.message)
    return preview


def job_preview(job: ImportJob, *, refresh: bool = False) -> dict:
    """The preview of the job's file (read once, then kept with the job)."""
    options = job.options or {}
    if not refresh and "preview" in options:
        return options["preview"]
    preview = _read(job)
    options = {**(ImportJob.objects.filter(pk=job.pk).values_list("options", flat=True)[0])}
    options["preview"] = preview
    ImportJob.objects.filter(pk=job.pk).update(options=options)
    job.options = options
    return preview


CHECKED_STATES = (
    ImportState.VALIDATED,
    ImportState.REFUSED,
    ImportState.COMMITTING,
    ImportState.COMMITTED,
)
ACTION_STATUS = {
    RowAction.CREATE: "new",
    RowAction.UPDATE: "changed",
    RowAction.UNCHANGED: "unchanged",
    RowAction.REFUSED: "refused",
}


def has_report(job: ImportJob) -> bool:
    """Whether the job's rows were checked with its current mapping (a report exists)."""
    return job.state in CHECKED_STATES and job.rows.exists()


def map_features(job: ImportJob) -> dict:
    """GeoJSON of where the first rows land: as checked (marked by what each will do), or
    as read from the file before a check."""
    if has_report(job):
        rows = (
            ImportRow.objects.filter(job=job, geom__isnull=False)
            .annotate(geojson=AsGeoJSON("geom", precision=7))
            .order_by("number")
            .values_list("number", "action", "geojson")[:PREVIEW_ROWS]
        )
        features = [
            {
                "type": "Feature",
                "geometry": _feature_geometry(json.loads(geojson)),
                "properties": {"row": number, "status": ACTION_STATUS.get(action, "read")},
            }
            for number, action, geojson in rows
        ]
        # A refused row keeps no geometry; where the file puts it is in the preview.
        refused = set(
            ImportRow.objects.filter(job=job, geom__isnull=True, action=RowAction.REFUSED)
            .order_by("number")
            .values_list("number", flat=True)[:PREVIEW_ROWS]
        )
        for feature in job_preview(job).get("features", []):
            if feature["properties"]["row"] in refused:
                properties = {**feature["properties"], "status": "refused"}
                features.append({**feature, "properties": properties})
        features.sort(key=lambda feature: feature["properties"]["row"])
        features = features[:PREVIEW_ROWS]
    else:
        features = job_preview(job).get("features", [])
    return {"type": "FeatureCollection", "features": features}


def distinct_values(job: ImportJob, column: str, limit: int = 200) -> list[str]:
    """The values seen in a column: those of the first rows read, and, once checked, those
    of the rows refused for that column (a value no mapping recognised, further down)."""
    seen = list(job_preview(job).get("values", {}).get(column, []))
    if job.state in CHECKED_STATES:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT source->>%s AS v FROM layers_importrow"
                " WHERE job_id = %s AND action = %s AND errors @> %s::jsonb"
                " AND coalesce(source->>%s, '') <> '' ORDER BY v LIMIT %s",
                [
                    column,
                    job.pk,
                    RowAction.REFUSED,
                    json.dumps([{"column": column}]),
                    column,
                    limit,
                ],
            )
            for (value,) in cursor.fetchall():
                if _text(value) not in seen:
                    seen.append(_text(value))
    return sorted(seen, key=str)[:limit]


@transaction.atomic
def job_reread(
    *, job: ImportJob, registry, encoding: str, layer: str, source_crs: str, columns: dict
) -> ImportJob:
    """Read the job's file again with other choices (layer, encoding, CRS, coordinate
    columns); refused (ValidationError, nothing changed) when it cannot be read so. The
    mapping is kept for the columns still there, and suggested anew when the columns
    changed; an earlier check is dropped."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.state not in (
        ImportState.UPLOADED,
        ImportState.VALIDATED,
        ImportState.REFUSED,
        ImportState.FAILED,
    ):
        raise ValidationError(_("The file is being checked or committed; wait until it is done."))
    options = {k: v for k, v in (job.options or {}).items() if k not in (*READING_KEYS, "preview")}
    options.update(columns)
    options["given"] = {"encoding": bool(encoding), "crs": bool(source_crs)}
    trial = ImportJob(
        pk=job.pk,
        file=job.file,
        file_name=job.file_name,
        encoding=encoding,
        layer=layer,
        source_crs=source_crs,
        options=options,
    )
    try:
        with services.LocalCopy(job) as path:
            info = _inspect(trial, path)
            samples = services._samples(path, info, trial)
    except readers.ImportFileError as exc:
        raise ValidationError(str(exc.message), code=exc.code) from None
    previous = list((job.options or {}).get("columns") or [])
    job.format, job.layer, job.encoding = info.format, info.layer, info.encoding or ""
    job.source_crs = source_crs or (info.crs or "")
    job.options = {**options, "columns": info.columns, "layers": info.layers}
    if list(info.columns) != previous:
        suggested = suggest_columns(registry, info.columns)
        mapping = ColumnMapping(
            columns=suggested, values=suggest_values(registry, suggested, samples)
        )
        job.mapping = mapping.as_json()
    job.rows_total = info.row_count
    job.rows_done = job.rows_bad = job.rows_new = job.rows_changed = 0
    job.state, job.message = ImportState.UPLOADED, ""
    job.full_clean()
    job.save()
    ImportRow.objects.filter(job=job).delete()
    job_preview(job, refresh=True)
    return job
