"""Whole-layer files: GeoJSON, CSV, GeoPackage and zipped Shapefile, each with the licence
and the source.

GeoJSON and CSV are streamed straight from PostGIS. GeoPackage and Shapefile are written by
GDAL's ``ogr2ogr`` in a server-generated temporary directory from a GeoJSON-sequence file that
this process writes from the same public SQL as the API: the subprocess needs no database
credentials, sees exactly what the API serves, and no client string ever becomes a path or an
argument. The finished file is opened and its directory removed before the response streams.
"""

import csv
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import F, Func, IntegerField, QuerySet

from layers.ogcapi.crs import default_crs
from layers.ogcapi.families import promote_to_multi
from layers.ogcapi.geojson import feature_batches, features_sql
from layers.ogcapi.queryables import GEOMETRY_ATTRIBUTE, property_field
from layers.registry import Registry
from layers.replicas import read_alias
from layers.selectors.public import registry_public_queryset

OGR2OGR = shutil.which("ogr2ogr") or "/usr/bin/ogr2ogr"
OGR2OGR_TIMEOUT_S = 600
# Geometry families a Shapefile can hold one of: (ST_Dimension, layer suffix, -nlt).
_FAMILIES = {
    "Point": (0, "points", "POINT"),
    "MultiPoint": (0, "points", "MULTIPOINT"),
    "LineString": (1, "lines", "MULTILINESTRING"),
    "MultiLineString": (1, "lines", "MULTILINESTRING"),
    "Polygon": (2, "polygons", "MULTIPOLYGON"),
    "MultiPolygon": (2, "polygons", "MULTIPOLYGON"),
}


class DownloadFailed(RuntimeError):
    """GDAL could not write the file (a server error: logged, not the client's fault)."""


def layer_queryset(registry: Registry) -> QuerySet:
    """The whole published layer in storage order: a sequential scan, where ordering by
    key would walk the primary-key index (1.3 s more for 500,000 trees). The order stays
    the same while the layer does not change (see ``geojson._copy_chunks``)."""
    return registry_public_queryset(registry).order_by()


def list_attributes(registry: Registry) -> tuple[str, ...]:
    """Attributes whose values are lists (written as ``a;b`` text in flat formats)."""
    return tuple(
        attribute
        for attribute in registry.properties.values()
        if isinstance(property_field(registry, attribute), ArrayField)
    )


# --- CSV ------------------------------------------------------------------------------------
def csv_rows(registry: Registry) -> Iterator[bytes]:
    """The layer as CSV (UTF-8, a header row, ``wkt`` geometry in WGS 84 lon/lat), streamed
    from PostgreSQL's COPY. Lists are ``a;b``, booleans ``true``/``false``."""
    lists = list_attributes(registry)
    columns = {
        f"ogc_{index}": (
            Func(
                F(attribute),
                function="array_to_string",
                template="%(function)s(%(expressions)s, ';')",
            )
            if attribute in lists
            else F(attribute)
        )
        for index, attribute in enumerate(registry.properties.values())
    }
    geometry = F(GEOMETRY_ATTRIBUTE)
    if promote_to_multi(registry):
        geometry = Func(geometry, function="ST_Multi")
    columns["ogc_wkt"] = Func(geometry, function="ST_AsText")
    inner = layer_queryset(registry).annotate(**columns).values("public_id", *columns)
    inner_sql, inner_params = inner.query.sql_with_params()
    names = ["id", *registry.properties, "wkt"]
    selected = ", ".join(
        f"t.{column}::text AS {_quote(name)}"
        for column, name in zip(["public_id", *columns], names, strict=True)
    )
    connection = connections[read_alias()]  # a replica when there is one
    with connection.cursor() as cursor:
        # COPY takes no bind parameters: the driver quotes them into the text.
        inner_text = connection.ops.compose_sql(inner_sql, inner_params)
        copy_sql = (
            f"COPY (SELECT {selected} FROM ({inner_text}) AS t) "  # noqa: S608 - our own SQL
            "TO STDOUT WITH (FORMAT csv, HEADER true)"
        )
        with cursor.cursor.copy(copy_sql) as copy:
            for chunk in copy:
                yield bytes(chunk)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- GeoPackage and Shapefile ---------------------------------------------------------------
@dataclass(frozen=True)
class BuiltFile:
    handle: io.BufferedReader  # open; its directory is already gone
    filename: str
    media_type: str


def _write_geojsonseq(path: Path, registry: Registry, queryset: QuerySet) -> int:
    sql, params = features_sql(
        queryset,
        properties=dict(registry.properties),
        crs=default_crs(),
        lists_as_text=list_attributes(registry),
        multi=promote_to_multi(registry),
    )
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for batch in feature_batches(sql, params):
            out.write("\n".join(batch))
            out.write("\n")
            written += len(batch)
        if not written:
            # GDAL cannot open an empty sequence; an empty collection gives an empty layer.
            out.write('{"type": "FeatureCollection", "features": []}')
    return written


def _ogr2ogr(*arguments: str) -> None:
    """Run ogr2ogr with our own arguments (paths we made, names from the registry list)."""
    completed = subprocess.run(  # noqa: S603 - no shell, no client input in the arguments
        [OGR2OGR, *arguments],
        capture_output=True,
        text=True,
        timeout=OGR2OGR_TIMEOUT_S,
        check=False,
        env={**os.environ, "CPL_LOG": os.devnull},
    )
    if completed.returncode != 0:
        raise DownloadFailed(completed.stderr.strip()[-2000:])


def _open_and_clean(path: Path, directory: Path) -> io.BufferedReader:
    handle = path.open("rb")
    shutil.rmtree(directory, ignore_errors=True)
    return handle


def build_geopackage(
    registry: Registry, *, title: str, description: str, licence: str
) -> BuiltFile:
    directory = Path(tempfile.mkdtemp(prefix="ogc-gpkg-"))
    try:
        source = directory / "layer.geojsonl"
        _write_geojsonseq(source, registry, layer_queryset(registry))
        target = directory / f"{registry.id}.gpkg"
        _ogr2ogr(
            "-f",
            "GPKG",
            str(target),
            str(source),
            "-nln",
            registry.id.replace("-", "_"),
            "-lco",
            f"IDENTIFIER={title}",
            "-lco",
            f"DESCRIPTION={description}",
            "-lco",
            "FID=fid",
            "-mo",
            f"LICENSE={licence}",
            "-a_srs",
            "EPSG:4326",
        )
        return BuiltFile(
            _open_and_clean(target, directory), target.name, "application/geopackage+sqlite3"
        )
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise


def geometry_families(registry: Registry) -> list[tuple[int, str, str]]:
    """(dimension, layer suffix, -nlt) for each kind of geometry the registry holds."""
    families = {}
    for kind in registry.geometry_types or ("Point",):
        dimension, suffix, nlt = _FAMILIES[kind]
        families.setdefault(dimension, (dimension, suffix, nlt))
        if nlt.startswith("MULTI"):
            families[dimension] = (dimension, suffix, nlt)
    return list(families.values())


def build_shapefile_zip(registry: Registry, *, readme: str) -> BuiltFile:
    """A zip of one Shapefile per geometry family (a Shapefile holds one), a README with the
    licence and source, and a table of the shortened field names (dBASE allows 10 letters)."""
    directory = Path(tempfile.mkdtemp(prefix="ogc-shp-"))
    try:
        families = geometry_families(registry)
        base = registry.id.replace("-", "_")
        names = []
        for index, (dimension, suffix, nlt) in enumerate(families):
            layer = base if len(families) == 1 else f"{base}_{suffix}"
            queryset = (
                layer_queryset(registry)
                .annotate(
                    ogc_dimension=Func(
                        F(GEOMETRY_ATTRIBUTE), function="ST_Dimension", output_field=IntegerField()
                    )
                )
                .filter(ogc_dimension=dimension)
            )
            source = directory / f"{layer}.geojsonl"
            written = _write_geojsonseq(source, registry, queryset)
            if not written and (names or index < len(families) - 1):
                continue  # no features of this kind: no layer (unless there would be none)
            _ogr2ogr(
                "-f",
                "ESRI Shapefile",
                str(directory / f"{layer}.shp"),
                str(source),
                "-nln",
                layer,
                "-nlt",
                nlt,
                "-lco",
                "ENCODING=UTF-8",
                "-a_srs",
                "EPSG:4326",
            )
            source.unlink()
            names.append(layer)
        fields = _field_table(directory / f"{names[0]}.dbf", list(registry.properties))
        archive = directory / f"{registry.id}.shp.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            for layer in names:
                for extension in ("shp", "shx", "dbf", "prj", "cpg"):
                    member = directory / f"{layer}.{extension}"
                    if member.exists():
                        zipped.write(member, member.name)
            zipped.writestr("README.txt", readme + "\n" + fields)
        return BuiltFile(_open_and_clean(archive, directory), archive.name, "application/zip")
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise


def _field_table(dbf: Path, properties: list[str]) -> str:
    """'shapefile field -> property' lines: ogr2ogr keeps the order, shortens the names."""
    from django.contrib.gis.gdal import DataSource

    layer = DataSource(str(dbf.with_suffix(".shp")))[0]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["shapefile_field", "property"])
    for short, full in zip(layer.fields, ["id", *properties], strict=False):
        writer.writerow([short, full])
    return buffer.getvalue()
