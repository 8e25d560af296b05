"""``/collections``, ``/collections/{id}`` and ``/collections/{id}/queryables``."""

from django.http import HttpRequest

from layers.ogcapi import http
from layers.ogcapi.documents import (
    alternates,
    collection_document,
    download_url,
    registry_downloads,
)
from layers.ogcapi.families import published_collections
from layers.ogcapi.links import url
from layers.ogcapi.queryables import queryables_schema
from layers.ogcapi.simple import simple_collections, simple_document
from layers.ogcapi.views.base import (
    conditional,
    html_response,
    json_response,
    ogc_endpoint,
    registry_or_404,
)
from layers.selectors.stamps import combined_stamp
from layers.selectors.summary import collection_summary


@ogc_endpoint
def collections(request: HttpRequest):
    representation = http.negotiate(request)
    published = published_collections()
    summaries = {registry.id: collection_summary(registry) for registry in published}
    others = simple_collections()  # after the registries: citizen reports
    stamp = combined_stamp(
        [*(s.stamp for s in summaries.values()), *(other.stamp() for other in others)]
    )
    documents = [
        *(collection_document(request, registry, summaries[registry.id]) for registry in published),
        *(simple_document(request, other) for other in others),
    ]
    document = {"links": alternates(url(request, "collections")), "collections": documents}
    if representation == "html":
        return conditional(
            request,
            stamp,
            http.HTML,
            lambda: html_response(request, "collections.html", {"document": document}),
        )
    return conditional(request, stamp, http.JSON, lambda: json_response(document))


@ogc_endpoint
def collection(request: HttpRequest, collection_id: str):
    registry = registry_or_404(collection_id)
    representation = http.negotiate(request)
    summary = collection_summary(registry)
    document = collection_document(request, registry, summary)
    if representation == "html":
        downloads = [
            {"href": download_url(request, registry, fmt), "title": title, "type": media_type}
            for fmt, (media_type, _suffix, title) in registry_downloads(registry).items()
        ]
        return conditional(
            request,
            summary.stamp,
            http.HTML,
            lambda: html_response(
                request,
                "collection.html",
                {"document": document, "registry": registry, "downloads": downloads},
            ),
        )
    return conditional(request, summary.stamp, http.JSON, lambda: json_response(document))


@ogc_endpoint
def queryables(request: HttpRequest, collection_id: str):
    registry = registry_or_404(collection_id)
    representation = http.negotiate(request, json_type=http.SCHEMA_JSON)
    document = queryables_schema(registry, self_url=url(request, "queryables", registry.id))
    if representation == "html":
        return html_response(
            request,
            "queryables.html",
            {"registry": registry, "properties": list(document["properties"].items())},
        )
    return json_response(document, http.SCHEMA_JSON)
