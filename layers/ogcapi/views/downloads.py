"""Whole-layer downloads and the DCAT catalogue."""

import logging

from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.utils import timezone

from layers.ogcapi import http
from layers.ogcapi.crs import default_crs
from layers.ogcapi.dcat import catalogue_document
from layers.ogcapi.documents import DOWNLOADS
from layers.ogcapi.downloads import (
    DownloadFailed,
    build_geopackage,
    build_shapefile_zip,
    csv_rows,
    layer_queryset,
)
from layers.ogcapi.exceptions import NotFound, OGCAPIError, UnknownParameter
from layers.ogcapi.geojson import features_sql, stream_feature_collection
from layers.ogcapi.licence import data_licence, data_source, licence_text
from layers.ogcapi.links import link, url
from layers.ogcapi.views.base import conditional, json_response, ogc_endpoint, registry_or_404
from layers.registry import public_registries
from layers.selectors.stamps import combined_stamp, registry_stamp
from layers.selectors.summary import collection_summary

logger = logging.getLogger(__name__)


class DownloadUnavailable(OGCAPIError):
    status = 503
    code = "ServiceUnavailable"


def _attachment(response, filename: str, request: HttpRequest):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    licence = data_licence()
    response["Link"] = (
        f'<{licence.url}>; rel="license", <{url(request, "dcat")}>; rel="describedby"'
    )
    return response


@ogc_endpoint
def download(request: HttpRequest, collection_id: str, fmt: str):
    registry = registry_or_404(collection_id)
    if fmt not in DOWNLOADS:
        raise NotFound(f"No download format {fmt!r}; formats: {', '.join(DOWNLOADS)}.")
    if request.GET:
        raise UnknownParameter("A download is the whole layer and takes no parameters.")
    media_type, suffix, _title = DOWNLOADS[fmt]
    filename = f"{registry.id}.{suffix}"
    stamp = registry_stamp(registry)
    portal = request.build_absolute_uri("/")
    collection_url = url(request, "collection", registry.id)
    licence = data_licence()

    def build():
        if fmt == "geojson":
            sql, params = features_sql(
                layer_queryset(registry), properties=dict(registry.properties), crs=default_crs()
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

            response = StreamingHttpResponse(
                stream_feature_collection(sql, params, head=head, tail=tail, whole_layer=True),
                content_type=f"{media_type}; charset=utf-8",
            )
        elif fmt == "csv":
            response = StreamingHttpResponse(
                csv_rows(registry), content_type="text/csv; charset=utf-8"
            )
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
            response = FileResponse(built.handle, content_type=built.media_type)
        return _attachment(response, filename, request)

    return conditional(request, stamp, media_type, build)


@ogc_endpoint
def catalogue(request: HttpRequest):
    """The DCAT catalogue at a stable URL (``/ogc/catalogue``)."""
    summaries = {registry.id: collection_summary(registry) for registry in public_registries()}
    stamp = combined_stamp([s.stamp for s in summaries.values()])
    return conditional(
        request,
        stamp,
        http.JSON_LD,
        lambda: json_response(catalogue_document(request, summaries), http.JSON_LD),
    )
