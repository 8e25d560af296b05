"""Whole-layer downloads and the DCAT catalogue."""

import logging
import shutil
from pathlib import Path

from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from layers.ogcapi import http
from layers.ogcapi.crs import default_crs
from layers.ogcapi.dcat import catalogue_document
from layers.ogcapi.documents import (
    download_format,
    download_name,
    extra_download,
    registry_downloads,
)
from layers.ogcapi.downloads import (
    DownloadFailed,
    build_geopackage,
    build_shapefile_zip,
    csv_rows,
    layer_queryset,
)
from layers.ogcapi.exceptions import OGCAPIError, UnknownParameter
from layers.ogcapi.families import promote_to_multi
from layers.ogcapi.files import cached_file, file_response
from layers.ogcapi.geojson import features_sql, stream_feature_collection
from layers.ogcapi.licence import data_licence, data_source, licence_text
from layers.ogcapi.links import link, url
from layers.ogcapi.metadata import all_dataset_metadata, other_datasets
from layers.ogcapi.views.base import conditional, json_response, ogc_endpoint, registry_or_404
from layers.selectors.stamps import combined_stamp, registry_stamp

logger = logging.getLogger(__name__)


class DownloadUnavailable(OGCAPIError):
    status = 503
    code = "ServiceUnavailable"


def _licence_links(response, request: HttpRequest):
    licence = data_licence()
    response["Link"] = (
        f'<{licence.url}>; rel="license", <{url(request, "dcat")}>; rel="describedby"'
    )
    return response


@ogc_endpoint
def download(request: HttpRequest, collection_id: str, name: str):
    """The whole layer as a file: ``<collection>.<suffix>`` (or the format's short name, as
    the links gave it before), built once per state of the layer (``files.cached_file``).
    A registry's own formats (``Registry.extra_downloads``) are written by their builders."""
    registry = registry_or_404(collection_id)
    fmt = download_format(registry, name)
    if request.GET:
        raise UnknownParameter("A download is the whole layer and takes no parameters.")
    media_type, suffix, _title = registry_downloads(registry)[fmt]
    extra = extra_download(registry, fmt)
    filename = download_name(registry, fmt)
    stamp = registry_stamp(registry)
    if extra is not None and extra.stamp:
        # What else the file reads has no Last-Modified of its own: the ETag alone says it.
        stamp = f"{stamp}|{import_string(extra.stamp)(registry)}"
    portal = request.build_absolute_uri("/")
    collection_url = url(request, "collection", registry.id)
    licence = data_licence()

    def write(path: Path) -> None:
        if extra is not None:
            import_string(extra.build)(
                registry, path, portal_url=portal, collection_url=collection_url
            )
        elif fmt == "geojson":
            _write_chunks(path, _geojson_chunks(registry, portal, collection_url))
        elif fmt == "csv":
            _write_chunks(path, csv_rows(registry))
        else:
            try:
                if fmt == "gpkg":
                    built = build_geopackage(
                        registry,
                        title=str(registry.title),
                        description=(
                            f"{registry.description} — {licence.spdx}, {data_source(portal)}"
                        ),
                        licence=f"{licence.spdx} {licence.url}; {data_source(portal)}",
                    )
                else:
                    readme = licence_text(
                        title=registry.title, portal_url=portal, collection_url=collection_url
                    )
                    built = build_shapefile_zip(registry, readme=readme)
            except DownloadFailed:
                logger.exception("Download %s of %s failed", fmt, registry.id)
                raise DownloadUnavailable(
                    "The file could not be made now; try again later."
                ) from None
            with built.handle, path.open("wb") as out:
                shutil.copyfileobj(built.handle, out, 1024 * 1024)

    # A CSV says nothing in words (a header of property names): one file for both languages;
    # a registry's own format says whether it does.
    in_words = extra.by_language if extra is not None else fmt != "csv"
    textual = media_type.startswith("text/") or media_type.endswith("json")

    def build():
        path = cached_file(
            # A registry's own formats are files of their own name: each keeps only its
            # newest version without touching the common files of the same suffix.
            name=registry.id if extra is None else f"{registry.id}.{fmt}",
            suffix=suffix,
            stamp=str(stamp),
            language=(get_language() or "uk") if in_words else "all",
            build=write,
        )
        response = file_response(
            request,
            path,
            media_type=f"{media_type}; charset=utf-8" if textual else media_type,
            filename=filename,
            etag=http.representation_etag(str(stamp), request, media_type),
        )
        return _licence_links(response, request)

    return conditional(request, stamp, media_type, build)


def _write_chunks(path: Path, chunks) -> None:
    with path.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)


def _geojson_chunks(registry, portal: str, collection_url: str):
    licence = data_licence()
    sql, params = features_sql(
        layer_queryset(registry),
        properties=dict(registry.properties),
        crs=default_crs(),
        multi=promote_to_multi(registry),
    )
    head = {
        "type": "FeatureCollection",
        "name": registry.id,
        "title": str(registry.title),
        "license": licence.spdx,
        "source": data_source(portal),
        "timeStamp": timezone.now().isoformat(),
    }

    def tail(returned, _last_id):
        return {
            "numberReturned": returned,
            "links": [
                link(licence.url, "license", http.HTML, licence.title),
                link(collection_url, "collection", http.JSON, str(registry.title)),
            ],
        }

    return stream_feature_collection(sql, params, head=head, tail=tail, whole_layer=True)


@ogc_endpoint
def catalogue(request: HttpRequest):
    """The DCAT-AP catalogue at a stable URL (``/ogc/catalogue``)."""
    datasets, stamp = all_dataset_metadata(request)
    # And the data sets of other apps (the SDG indicators: GEOPORTAL_CATALOGUE_DATASETS).
    others, others_stamp = other_datasets(request)
    return conditional(
        request,
        combined_stamp([stamp, others_stamp]),
        http.JSON_LD,
        lambda: json_response(catalogue_document(request, datasets, others), http.JSON_LD),
    )
