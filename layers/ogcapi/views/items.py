"""``/collections/{id}/items`` and ``/collections/{id}/items/{featureId}``."""

import json
import uuid

from django.db.models import Subquery
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from layers.ogcapi import http
from layers.ogcapi.crs import default_crs
from layers.ogcapi.documents import feature_links, item_format
from layers.ogcapi.exceptions import InvalidParameter, NotFound, UnknownParameter
from layers.ogcapi.families import promote_to_multi
from layers.ogcapi.geojson import feature_texts, features_sql, stream_feature_collection
from layers.ogcapi.links import link, url
from layers.ogcapi.params import ItemsQuery, items_query
from layers.ogcapi.views.base import (
    conditional,
    html_response,
    json_response,
    ogc_endpoint,
    registry_or_404,
)
from layers.selectors.stamps import public_count, registry_stamp


def _page_url(
    request: HttpRequest, *, offset: int, f: str | None = None, after: str | None = None
) -> str:
    query = request.GET.copy()
    query["offset"] = str(offset)
    query.pop("after", None)
    if after:
        query["after"] = after
    if f:
        query["f"] = f
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()


def _has_next(query: ItemsQuery, *, matched: int, returned: int, last_id: str | None) -> bool:
    """Whether a page follows this one. In the default order it is asked of the database
    (one indexed lookup): the offset a client carries no longer counts records that left
    the set between its pages."""
    if returned < query.limit:
        return False
    if query.keyset and last_id:
        anchor = query.registry.objects().filter(public_id=last_id).values("pk")[:1]
        return query.queryset.filter(pk__gt=Subquery(anchor)).exists()
    return query.offset + returned < matched


def _page_links(request, query: ItemsQuery, *, more: bool, last_id: str | None, f: str) -> list:
    """self, alternate, collection, next (when ``more``) and prev. In the default order the
    next link starts after ``last_id`` (the page's last feature): keyset paging, as cheap
    at the end of a layer as at its start."""
    this_after = request.GET.get("after")
    links = [
        link(
            _page_url(request, offset=query.offset, f="json", after=this_after),
            "self" if f == "json" else "alternate",
            http.GEOJSON,
            _("This page as GeoJSON"),
        ),
        link(
            _page_url(request, offset=query.offset, f="html", after=this_after),
            "alternate" if f == "json" else "self",
            http.HTML,
            _("This page as HTML"),
        ),
        link(
            url(request, "collection", query.registry.id),
            "collection",
            http.JSON,
            str(query.registry.title),
        ),
    ]
    if more:
        links.append(
            link(
                _page_url(
                    request,
                    offset=query.offset + query.limit,
                    f=f,
                    after=last_id if query.keyset else None,
                ),
                "next",
                http.GEOJSON if f == "json" else http.HTML,
                _("Next page"),
            )
        )
    if query.offset > 0:
        links.append(
            link(
                _page_url(request, offset=max(0, query.offset - query.limit), f=f),
                "prev",
                http.GEOJSON if f == "json" else http.HTML,
                _("Previous page"),
            )
        )
    return links


def _row(request, collection_id: str, feature: dict, columns) -> dict:
    href = url(request, "item", collection_id, feature["id"], f="html")
    properties = feature["properties"]
    return {
        "id": feature["id"],
        "href": href,
        "values": [properties.get(column) for column in columns],
    }


def _sql(query: ItemsQuery):
    return features_sql(
        query.page(),
        properties=query.properties,
        crs=query.crs,
        skip_geometry=query.skip_geometry,
        multi=promote_to_multi(query.registry),
    )


@ogc_endpoint
def items(request: HttpRequest, collection_id: str):
    """The features of a collection: a FeatureCollection streamed from PostGIS, or a page."""
    registry = registry_or_404(collection_id)
    representation = http.negotiate(request, json_type=http.GEOJSON)
    query = items_query(request, registry)
    stamp = registry_stamp(registry)
    media_type = http.GEOJSON if representation == "json" else http.HTML

    def matched(returned: int) -> int:
        # A page that is not full ends the result: its count needs no query (after a
        # keyset anchor the offset is the client's word, not a position: count).
        if query.after_pk is None and returned < query.limit and (returned or query.offset == 0):
            return query.offset + returned
        # Unfiltered, the layer is counted once per state of it (GDAL pages by 10).
        return query.queryset.count() if query.filtered else public_count(registry, stamp)

    def page_facts(returned: int, last_id: str | None, f: str) -> tuple[int, list]:
        """numberMatched and the links of a page of ``returned`` features."""
        number_matched = matched(returned)
        more = _has_next(query, matched=number_matched, returned=returned, last_id=last_id)
        return number_matched, _page_links(request, query, more=more, last_id=last_id, f=f)

    def build():
        sql, params = _sql(query)
        if representation == "html":
            features = [json.loads(text) for text in feature_texts(sql, params)]
            last_id = features[-1]["id"] if features else None
            number_matched, links = page_facts(len(features), last_id, "html")
            return html_response(
                request,
                "items.html",
                {
                    "registry": registry,
                    "rows": [_row(request, registry.id, f, query.properties) for f in features],
                    "columns": list(query.properties),
                    "matched": number_matched,
                    "first": query.offset + 1 if features else 0,
                    "last": query.offset + len(features),
                    "links": links,
                },
            )
        head = {"type": "FeatureCollection", "timeStamp": timezone.now().isoformat()}

        def tail(returned: int, last_id: str | None) -> dict:
            number_matched, links = page_facts(returned, last_id, "json")
            return {"numberMatched": number_matched, "numberReturned": returned, "links": links}

        # A page is at most LIMIT_MAXIMUM features (a few MB): it is read whole from
        # PostgreSQL before the first byte goes out. Streamed, its COPY would stay open for
        # as long as a slow phone takes to read it, and the web's statement budget
        # (settings) would cut it half-sent; read first, a query over the budget is a clean
        # 503 with Retry-After (layers/availability.py) and the connection is free at once.
        response = HttpResponse(
            b"".join(stream_feature_collection(sql, params, head=head, tail=tail)),
            content_type=f"{http.GEOJSON}; charset=utf-8",
        )
        response["Content-Crs"] = f"<{query.crs.uri}>"
        return response

    response = conditional(request, stamp, media_type, build)
    response["Content-Crs"] = f"<{query.crs.uri}>"
    return response


@ogc_endpoint
def item(request: HttpRequest, collection_id: str, feature_id: str):
    """One published feature by its public id; ``f=<format>`` in a registry's own format
    (``Registry.extra_downloads`` with an ``item`` builder: ``f=a11yjson``)."""
    registry = registry_or_404(collection_id)
    own_format = item_format(registry, request.GET.get("f"))
    if own_format is not None:
        public_id = _feature_uuid(feature_id, collection_id)
        return _item_in_own_format(request, registry, public_id, own_format)
    representation = http.negotiate(request, json_type=http.GEOJSON)
    public_id = _feature_uuid(feature_id, collection_id)
    query = items_query(_without_paging(request), registry, paged=False)
    sql, params = features_sql(
        query.queryset.filter(public_id=public_id),
        properties=query.properties,
        crs=query.crs,
        skip_geometry=query.skip_geometry,
        multi=promote_to_multi(registry),
    )
    texts = feature_texts(sql, params)
    if not texts:
        raise NotFound(f"There is no feature {feature_id!r} in {collection_id}.")
    stamp = registry_stamp(registry)
    this = request.build_absolute_uri(request.path)
    links = feature_links(request, registry.id, str(registry.title), representation)
    if representation == "json":
        # The HTML page lists its other formats by media type, which would not tell these
        # from GeoJSON; JSON clients read the titles.
        links.extend(
            link(
                f"{this}?f={download.format}",
                "alternate",
                download.media_type,
                _("This feature as %(format)s") % {"format": download.title},
            )
            for download in registry.extra_downloads
            if download.item
        )

    def build():
        if representation == "html":
            feature = json.loads(texts[0])
            geometry = feature.get("geometry") or {}
            return html_response(
                request,
                "item.html",
                {
                    "registry": registry,
                    "feature": feature,
                    "title": feature["properties"].get("name") or feature["id"],
                    "properties": list(feature["properties"].items()),
                    "point": geometry.get("coordinates")
                    if geometry.get("type") == "Point" and query.crs.uri == default_crs().uri
                    else None,
                    "links": links,
                },
            )
        # Splice the links into the PostGIS-built feature rather than re-serialising it.
        body = texts[0][:-1] + ',"links":' + json.dumps(links, ensure_ascii=False) + "}"
        response = json_response({}, http.GEOJSON)
        response.content = body.encode()
        return response

    response = conditional(
        request, stamp, http.GEOJSON if representation == "json" else http.HTML, build
    )
    response["Content-Crs"] = f"<{query.crs.uri}>"
    return response


def _feature_uuid(feature_id: str, collection_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(feature_id)
    except ValueError:
        raise NotFound(f"There is no feature {feature_id!r} in {collection_id}.") from None


def _item_in_own_format(request: HttpRequest, registry, public_id: uuid.UUID, download):
    """One feature as its registry's own format gives it (WGS 84, every public property)."""
    others = [name for name in request.GET if name != "f"]
    if others:
        raise InvalidParameter(
            f"f={download.format} is the whole feature in WGS 84: {others[0]!r} does not apply."
        )
    document = import_string(download.item)(
        registry, public_id, portal_url=request.build_absolute_uri("/")
    )
    if document is None:
        raise NotFound(f"There is no feature {str(public_id)!r} in {registry.id}.")
    return conditional(
        request,
        registry_stamp(registry),
        download.media_type,
        lambda: json_response(document, download.media_type),
    )


def _without_paging(request: HttpRequest) -> HttpRequest:
    """An item takes crs, properties and skipGeometry; paging and filters make no sense."""
    allowed = {"f", "crs", "properties", "skipGeometry"}
    unknown = [name for name in request.GET if name not in allowed]
    if unknown:
        raise UnknownParameter(f"Unknown parameter {unknown[0]!r} for a single feature.")
    return request
