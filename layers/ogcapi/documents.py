"""The JSON documents of the API (landing page, conformance, collections), as dicts.

Shapes follow the OGC API – Features Part 1 schemas (landingPage.yaml, confClasses.yaml,
collections.yaml, collection.yaml, extent.yaml, link.yaml) and Part 2 (collection ``crs``
and ``storageCrs``).
"""

import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _

from layers.hromada import hromada_profile
from layers.ogcapi import http
from layers.ogcapi.crs import CRS84, supported_crs
from layers.ogcapi.exceptions import NotFound
from layers.ogcapi.families import base_id, family_views, is_family_view
from layers.ogcapi.licence import data_licence
from layers.ogcapi.links import link, url
from layers.ogcapi.params import LIMIT_DEFAULT
from layers.ogcapi.tiles import CONFORMANCE as TILES_CONFORMANCE
from layers.ogcapi.tiles import TILESETS_VECTOR
from layers.registry import ExtraDownload, Registry
from layers.selectors.summary import CollectionSummary

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/property-property",
]

DOWNLOADS = {
    # format -> (media type, file suffix, title): the files every registry has.
    "geojson": (http.GEOJSON, "geojson", "GeoJSON"),
    "csv": ("text/csv", "csv", "CSV"),
    "gpkg": ("application/geopackage+sqlite3", "gpkg", "GeoPackage"),
    "shapefile": ("application/zip", "shp.zip", "Shapefile (zip)"),
}


def registry_downloads(registry: Registry) -> dict[str, tuple[str, str, str]]:
    """Every file of a collection as ``DOWNLOADS`` gives them: the common four, then the
    registry's own (``Registry.extra_downloads``)."""
    extra = {
        download.format: (download.media_type, download.suffix, str(download.title))
        for download in registry.extra_downloads
    }
    return {**DOWNLOADS, **extra}


def extra_download(registry: Registry, fmt: str) -> ExtraDownload | None:
    """The registry's own download of this format; None for the common ones."""
    return next((d for d in registry.extra_downloads if d.format == fmt), None)


def item_format(registry: Registry, f: str | None) -> ExtraDownload | None:
    """The registry's own format a single feature is asked for in (``?f=a11yjson``)."""
    download = extra_download(registry, f) if f else None
    return download if download is not None and download.item else None


def download_name(registry: Registry, fmt: str) -> str:
    """The file name of a download, also the last part of its URL (tools that open a URL
    as a file — GDAL, QGIS — pick the driver by its extension)."""
    return f"{registry.id}.{registry_downloads(registry)[fmt][1]}"


def download_url(request: HttpRequest, registry: Registry, fmt: str) -> str:
    return url(request, "download", registry.id, download_name(registry, fmt))


def download_format(registry: Registry, name: str) -> str:
    """The format a download URL's last part names: the file name, or the format's short
    name (``gpkg``), as links gave it before."""
    formats = registry_downloads(registry)
    if name in formats:
        return name
    for fmt in formats:
        if name == download_name(registry, fmt):
            return fmt
    files = ", ".join(download_name(registry, fmt) for fmt in formats)
    raise NotFound(f"No download {name!r} of {registry.id}; the files are: {files}.")


def alternates(self_url: str, *, json_type: str = http.JSON, html: bool = True) -> list[dict]:
    """``self`` (JSON) and ``alternate`` (HTML) links of a resource URL without a query."""
    joiner = "&" if "?" in self_url else "?"
    links = [link(f"{self_url}{joiner}f=json", "self", json_type, _("This document"))]
    if html:
        links.append(
            link(f"{self_url}{joiner}f=html", "alternate", http.HTML, _("This document as HTML"))
        )
    return links


def collection_links(request: HttpRequest, collection_id: str) -> list[dict]:
    """The links every collection's description carries, a registry's or a simple one's:
    itself, its items as GeoJSON and HTML, its queryables, the data licence and the DCAT
    catalogue. Each kind adds its own (tiles, downloads) after these."""
    items = url(request, "items", collection_id)
    licence = data_licence()
    return [
        *alternates(url(request, "collection", collection_id)),
        link(items, "items", http.GEOJSON, _("Features as GeoJSON")),
        link(f"{items}?f=html", "items", http.HTML, _("Features as HTML")),
        link(
            url(request, "queryables", collection_id),
            "http://www.opengis.net/def/rel/ogc/1.0/queryables",
            http.SCHEMA_JSON,
            _("Queryable properties"),
        ),
        link(licence.url, "license", http.HTML, licence.title),
        link(url(request, "dcat"), "describedby", http.JSON_LD, _("DCAT catalogue")),
    ]


def feature_links(
    request: HttpRequest, collection_id: str, collection_title: str, representation: str
) -> list[dict]:
    """One feature's links: itself as GeoJSON and as HTML (``self`` is the one answered) and
    its collection."""
    this = request.build_absolute_uri(request.path)
    as_json = representation == "json"
    return [
        link(
            f"{this}?f=json",
            "self" if as_json else "alternate",
            http.GEOJSON,
            _("This feature as GeoJSON"),
        ),
        link(
            f"{this}?f=html",
            "alternate" if as_json else "self",
            http.HTML,
            _("This feature as HTML"),
        ),
        link(url(request, "collection", collection_id), "collection", http.JSON, collection_title),
    ]


def extent_document(bbox, first=None, last=None) -> dict:
    """A collection's extent (extent.yaml): its box in CRS84 and, when its records have a
    time, the interval from the first to the last; empty for an empty collection."""
    extent = {}
    if bbox:
        extent["spatial"] = {"bbox": [list(bbox)], "crs": CRS84}
    if first:
        extent["temporal"] = {
            "interval": [[rfc3339(first), rfc3339(last)]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    return extent


def rfc3339(moment: datetime.date | datetime.datetime | None) -> str | None:
    """An extent's bound as RFC 3339 (a day from its start, UTC); None for an open end."""
    if moment is None:
        return None
    if not isinstance(moment, datetime.datetime):
        return f"{moment.isoformat()}T00:00:00Z"
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _family_links(request: HttpRequest, registry: Registry) -> list[dict]:
    """A mixed registry links to its one-family collections, and each of them to it."""
    if is_family_view(registry):
        whole = base_id(registry)
        return [
            link(
                url(request, "collection", whole),
                "related",
                http.JSON,
                _("All geometry types in one collection (not for QGIS or Shapefile)"),
            )
        ]
    return [
        link(url(request, "collection", view.id), "related", http.JSON, str(view.title))
        for view in family_views(registry)
    ]


def landing_document(request: HttpRequest) -> dict:
    landing = url(request, "landing")
    return {
        "title": _("%(portal)s: open data") % {"portal": hromada_profile().portal_title},
        "description": _(
            "The open registries of the hromada as OGC API – Features: every published record, "
            "as GeoJSON, HTML and downloads."
        ),
        "links": [
            *alternates(landing),
            link(
                url(request, "openapi"), "service-desc", http.OPENAPI_JSON, _("The API definition")
            ),
            link(
                url(request, "openapi", f="html"),
                "service-doc",
                http.HTML,
                _("The API documentation"),
            ),
            link(url(request, "conformance"), "conformance", http.JSON, _("Conformance classes")),
            link(url(request, "collections"), "data", http.JSON, _("Collections")),
            link(url(request, "dcat"), "describedby", http.JSON_LD, _("DCAT catalogue")),
            link(
                url(request, "tmss"),
                "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes",
                http.JSON,
                _("Tile matrix sets"),
            ),
            link(data_licence().url, "license", http.HTML, data_licence().title),
        ],
    }


def conformance_document() -> dict:
    return {"conformsTo": [*CONFORMANCE, *TILES_CONFORMANCE]}


def collection_document(
    request: HttpRequest, registry: Registry, summary: CollectionSummary
) -> dict:
    """One collection's description: links (items, queryables, licence, downloads), extent and
    the CRS list."""
    links = [
        *collection_links(request, registry.id),
        link(url(request, "tilesets", registry.id), TILESETS_VECTOR, http.JSON, _("Vector tiles")),
    ]
    for fmt, (media_type, _suffix, title) in registry_downloads(registry).items():
        links.append(
            link(
                download_url(request, registry, fmt),
                "enclosure",
                media_type,
                _("Whole layer: %(format)s") % {"format": title},
            )
        )
    links.extend(_family_links(request, registry))
    extent = extent_document(
        summary.bbox, *((summary.first_time, summary.last_time) if summary.has_time else ())
    )
    document = {
        "id": registry.id,
        "title": str(registry.title),
        "description": str(registry.description),
        "links": links,
        "itemType": "feature",
        "crs": list(supported_crs()),
        "storageCrs": CRS84,
        "license": data_licence().spdx,
        "defaultLimit": LIMIT_DEFAULT,
    }
    if extent:
        document["extent"] = extent
    return document
