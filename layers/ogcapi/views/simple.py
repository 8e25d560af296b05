"""The views of a simple collection (``layers/ogcapi/simple.py``: citizen reports), and the
dispatch that sends a collection id to them or to the registry views.

Features are built in Python from the app's own serialiser: a simple collection is
thousands of objects, and a page is at most ``LIMIT_MAXIMUM`` of them. The same wrapper
(``ogc_endpoint``), validators (``conditional``), links and templates as the registries'.
"""

import functools
from collections.abc import Callable

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from layers.ogcapi import http
from layers.ogcapi.documents import feature_links
from layers.ogcapi.exceptions import NotFound
from layers.ogcapi.links import link, url
from layers.ogcapi.simple import (
    SimpleCollection,
    simple_collection_get,
    simple_document,
    simple_items_query,
    simple_queryables_schema,
)
from layers.ogcapi.views.base import conditional, html_response, json_response, ogc_endpoint

GEOJSON_CONTENT_CRS = "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"


def by_kind(registry_view: Callable, simple_view: Callable) -> Callable:
    """One route for both kinds: a simple collection's id goes to ``simple_view`` (with the
    collection instead of its id), any other to the registry view as before."""

    @functools.wraps(registry_view)
    def dispatch(request: HttpRequest, collection_id: str, *args, **kwargs):
        collection = simple_collection_get(collection_id)
        if collection is None:
            return registry_view(request, collection_id, *args, **kwargs)
        return simple_view(request, collection, *args, **kwargs)

    dispatch.csrf_exempt = True  # as ogc_endpoint: both views refuse writes with a 405
    return dispatch


@ogc_endpoint
def collection(request: HttpRequest, collection: SimpleCollection):
    representation = http.negotiate(request)
    document = simple_document(request, collection)
    stamp = collection.stamp()
    if representation == "html":
        return conditional(
            request,
            stamp,
            http.HTML,
            lambda: html_response(
                request,
                "collection.html",
                {
                    "document": document,
                    "registry": collection,
                    "downloads": collection.downloads(),
                },
            ),
        )
    return conditional(request, stamp, http.JSON, lambda: json_response(document))


@ogc_endpoint
def queryables(request: HttpRequest, collection: SimpleCollection):
    representation = http.negotiate(request, json_type=http.SCHEMA_JSON)
    document = simple_queryables_schema(
        collection, self_url=url(request, "queryables", collection.id)
    )
    if representation == "html":
        return html_response(
            request,
            "queryables.html",
            {
                "registry": collection,
                "properties": list(document["properties"].items()),
                "equality_only": True,  # no CQL2, no sortby: the caption says so
            },
        )
    return json_response(document, http.SCHEMA_JSON)


def _page_url(request: HttpRequest, *, offset: int, f: str) -> str:
    query = request.GET.copy()
    query["offset"] = str(offset)
    query["f"] = f
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()


def _page_links(request, collection, query, *, more: bool, f: str) -> list[dict]:
    kind = http.GEOJSON if f == "json" else http.HTML
    links = [
        link(
            _page_url(request, offset=query.offset, f="json"),
            "self" if f == "json" else "alternate",
            http.GEOJSON,
            _("This page as GeoJSON"),
        ),
        link(
            _page_url(request, offset=query.offset, f="html"),
            "alternate" if f == "json" else "self",
            http.HTML,
            _("This page as HTML"),
        ),
        link(url(request, "collection", collection.id), "collection", http.JSON, collection.title),
    ]
    if more:
        links.append(
            link(
                _page_url(request, offset=query.offset + query.limit, f=f),
                "next",
                kind,
                _("Next page"),
            )
        )
    if query.offset > 0:
        links.append(
            link(
                _page_url(request, offset=max(0, query.offset - query.limit), f=f),
                "prev",
                kind,
                _("Previous page"),
            )
        )
    return links


@ogc_endpoint
def items(request: HttpRequest, collection: SimpleCollection):
    representation = http.negotiate(request, json_type=http.GEOJSON)
    query = simple_items_query(request, collection)
    media_type = http.GEOJSON if representation == "json" else http.HTML

    def build():
        features = query.page(collection)
        returned = len(features)
        if returned < query.limit and (returned or query.offset == 0):
            matched = query.offset + returned  # the last page: no count needed
        else:
            matched = query.queryset.count()
        more = returned == query.limit and query.offset + returned < matched
        links = _page_links(request, collection, query, more=more, f=representation)
        if representation == "html":
            return html_response(
                request,
                "items.html",
                {
                    "registry": collection,
                    "rows": [_row(request, collection, feature) for feature in features],
                    "columns": list(collection.columns),
                    "matched": matched,
                    "first": query.offset + 1 if features else 0,
                    "last": query.offset + returned,
                    "links": links,
                },
            )
        document = {
            "type": "FeatureCollection",
            "timeStamp": timezone.now().isoformat(),
            "features": features,
            "numberMatched": matched,
            "numberReturned": returned,
            "links": links,
        }
        return json_response(document, http.GEOJSON)

    response = conditional(request, collection.stamp(), media_type, build)
    response["Content-Crs"] = GEOJSON_CONTENT_CRS
    return response


def _row(request, collection, feature: dict) -> dict:
    properties = feature["properties"]
    return {
        "id": str(feature["id"]),
        "href": url(request, "item", collection.id, feature["id"], f="html"),
        "values": [properties.get(column) for column in collection.columns],
    }


@ogc_endpoint
def item(request: HttpRequest, collection: SimpleCollection, feature_id: str):
    representation = http.negotiate(request, json_type=http.GEOJSON)
    query = simple_items_query(request, collection, paged=False)
    obj = None
    if feature_id.isascii() and feature_id.isdigit() and len(feature_id) < 10:  # never a 500
        obj = query.queryset.filter(pk=int(feature_id)).first()
    if obj is None:
        raise NotFound(f"There is no feature {feature_id!r} in {collection.id}.")
    feature = query.features(collection, [obj])[0]
    links = feature_links(request, collection.id, collection.title, representation)

    def build():
        if representation == "html":
            coordinates = (feature["geometry"] or {}).get("coordinates")
            return html_response(
                request,
                "item.html",
                {
                    "registry": collection,
                    "feature": feature,
                    "title": feature["properties"].get("category_title") or feature["id"],
                    "properties": list(feature["properties"].items()),
                    "point": coordinates,
                    "links": links,
                },
            )
        return json_response({**feature, "links": links}, http.GEOJSON)

    response = conditional(
        request,
        collection.stamp(),
        http.GEOJSON if representation == "json" else http.HTML,
        build,
    )
    response["Content-Crs"] = GEOJSON_CONTENT_CRS
    return response
