"""A DCAT catalogue (JSON-LD, DCAT-AP style) of the collections, for harvesting by the
national open-data portal. Titles and descriptions in Ukrainian and English."""

from django.http import HttpRequest
from django.utils import translation

from layers.hromada import hromada_profile
from layers.ogcapi import http
from layers.ogcapi.documents import DOWNLOADS, download_url
from layers.ogcapi.families import published_collections
from layers.ogcapi.licence import data_licence
from layers.ogcapi.links import url
from layers.selectors.summary import CollectionSummary

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
# The EU frequency vocabulary that DCAT-AP uses for dct:accrualPeriodicity.
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
LANGUAGES = ("uk", "en")


def _texts(getter) -> list[dict]:
    """A literal in each portal language: [{"@value": ..., "@language": ...}]."""
    values = []
    for language in LANGUAGES:
        with translation.override(language):
            values.append({"@value": str(getter()), "@language": language})
    return values


def _bbox_wkt(bbox) -> str:
    west, south, east, north = bbox
    return f"POLYGON(({west} {south},{east} {south},{east} {north},{west} {north},{west} {south}))"


def catalogue_document(request: HttpRequest, summaries: dict[str, CollectionSummary]) -> dict:
    profile = hromada_profile()
    portal_licence = {"@id": data_licence().url}
    publisher = {
        "@type": "foaf:Organization",
        "foaf:name": [
            {"@value": profile.name_uk, "@language": "uk"},
            {"@value": profile.name_en, "@language": "en"},
        ],
    }
    datasets = []
    for registry in published_collections():
        summary = summaries[registry.id]
        licence = {"@id": data_licence(registry).url}
        landing = url(request, "collection", registry.id)
        distributions = [
            {
                "@type": "dcat:Distribution",
                "dct:title": "OGC API – Features",
                "dcat:accessURL": {"@id": url(request, "items", registry.id)},
                "dcat:mediaType": http.GEOJSON,
                "dct:conformsTo": {"@id": "http://www.opengis.net/doc/IS/ogcapi-features-1/1.0"},
                "dct:license": licence,
            }
        ]
        for fmt, (media_type, _suffix, title) in DOWNLOADS.items():
            link = download_url(request, registry, fmt)
            distributions.append(
                {
                    "@type": "dcat:Distribution",
                    "dct:title": title,
                    "dcat:accessURL": {"@id": link},
                    "dcat:downloadURL": {"@id": link},
                    "dcat:mediaType": media_type,
                    "dct:license": licence,
                }
            )
        dataset = {
            "@id": landing,
            "@type": "dcat:Dataset",
            "dct:identifier": registry.id,
            "dct:title": _texts(lambda registry=registry: registry.title),
            "dct:description": _texts(lambda registry=registry: registry.description),
            "dct:publisher": publisher,
            "dct:license": licence,
            "dcat:landingPage": {"@id": f"{landing}?f=html"},
            "dcat:distribution": distributions,
            "dcat:keyword": [{"@value": keyword} for keyword in registry.keywords],
            "dct:accrualPeriodicity": {"@id": FREQUENCY + registry.update_frequency},
        }
        if registry.department:
            dataset["dcat:contactPoint"] = {
                "@type": "vcard:Organization",
                "vcard:fn": registry.department,
            }
        if summary.stamp.last_modified:
            dataset["dct:modified"] = {
                "@value": summary.stamp.last_modified.isoformat(),
                "@type": "xsd:dateTime",
            }
        if summary.bbox:
            dataset["dct:spatial"] = {
                "@type": "dct:Location",
                "dcat:bbox": {
                    "@value": _bbox_wkt(summary.bbox),
                    "@type": "http://www.opengis.net/ont/geosparql#wktLiteral",
                },
            }
        datasets.append(dataset)
    return {
        "@context": CONTEXT,
        "@id": url(request, "dcat"),
        "@type": "dcat:Catalog",
        "dct:title": _texts(lambda: profile.portal_title),
        "dct:publisher": publisher,
        "dct:license": portal_licence,
        "foaf:homepage": {"@id": url(request, "landing")},
        "dcat:dataset": datasets,
    }
