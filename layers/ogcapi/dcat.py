"""The DCAT-AP 3.0 catalogue (JSON-LD) of the registries, for harvesting by the national and
European open-data portals; checked with the official SHACL shapes in the tests.

One ``dcat:Dataset`` per registry, one ``dcat:Distribution`` per file and API collection,
one ``dcat:DataService`` for the OGC API. Texts in Ukrainian and English; media types,
formats, languages, themes and frequencies as the IRIs DCAT-AP names.
"""

import datetime

from django.http import HttpRequest
from django.utils import translation

from layers.hromada import hromada_profile
from layers.models.datasets import DataTheme
from layers.ogcapi.licence import Licence, data_licence
from layers.ogcapi.links import url
from layers.ogcapi.metadata import (
    FILE_TYPE,
    IANA,
    LANGUAGE,
    LANGUAGES,
    DatasetMetadata,
    Distribution,
    OtherDataset,
)

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "dcatap": "http://data.europa.eu/r5r/",
}
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
THEMES = "http://publications.europa.eu/resource/authority/data-theme"
OGC_FEATURES = "http://www.opengis.net/doc/IS/ogcapi-features-1/1.0"
GEOSPARQL_WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"
AVAILABILITY = "http://publications.europa.eu/resource/authority/planned-availability/"


def _texts(getter) -> list[dict]:
    """A literal in each portal language: [{"@value": ..., "@language": ...}]."""
    values = []
    for language in LANGUAGES:
        with translation.override(language):
            values.append({"@value": str(getter()), "@language": language})
    return values


def _moment(value) -> dict:
    if hasattr(value, "hour"):
        return {"@value": value.isoformat(), "@type": "xsd:dateTime"}
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def _as_datetime(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.combine(value, datetime.time.min, tzinfo=datetime.UTC)


def _bbox_wkt(bbox) -> str:
    west, south, east, north = bbox
    return f"POLYGON(({west} {south},{east} {south},{east} {north},{west} {north},{west} {south}))"


def _location(bbox) -> dict:
    west, south, east, north = bbox
    return {
        "@type": "dct:Location",
        "dcat:bbox": {"@value": _bbox_wkt(bbox), "@type": GEOSPARQL_WKT},
        "dcat:centroid": {
            "@value": f"POINT({(west + east) / 2} {(south + north) / 2})",
            "@type": GEOSPARQL_WKT,
        },
    }


def _hromada_bbox():
    """The hromada's extent: where a data set with no published record yet will be."""
    from layers.models import Hromada

    hromada = Hromada.objects.filter(code=hromada_profile().code).only("geom").first()
    return hromada.geom.extent if hromada and hromada.geom else None


def _publisher() -> dict:
    profile = hromada_profile()
    publisher = {
        "@id": f"urn:katottg:{profile.code}",
        "@type": ["foaf:Agent", "foaf:Organization"],
        "foaf:name": [
            {"@value": profile.name_uk, "@language": "uk"},
            {"@value": profile.name_en, "@language": "en"},
        ],
        "dct:type": {
            "@id": "http://purl.org/adms/publishertype/LocalAuthority",
            "@type": "skos:Concept",
            "skos:prefLabel": {"@value": "Local Authority", "@language": "en"},
        },
    }
    if profile.edrpou:
        publisher["dct:identifier"] = profile.edrpou
    return publisher


def _licence(licence: Licence) -> dict:
    node = {"@id": licence.url, "@type": "dct:LicenseDocument", "dct:identifier": licence.spdx}
    if licence.spdx.startswith("CC-BY"):  # the ADMS licence type of an attribution licence
        node["dct:type"] = {
            "@id": "http://purl.org/adms/licencetype/Attribution",
            "@type": "skos:Concept",
            "skos:prefLabel": {"@value": "Attribution", "@language": "en"},
        }
    return node


def _languages() -> list[dict]:
    return [
        {"@id": LANGUAGE + code, "@type": "dct:LinguisticSystem"} for code in LANGUAGES.values()
    ]


def _theme(code: str) -> dict:
    return {
        "@id": f"{THEMES}/{code}",
        "@type": "skos:Concept",
        "skos:inScheme": {"@id": THEMES},
        "skos:prefLabel": _texts(lambda: DataTheme(code).label),
    }


def _distribution_description(item: Distribution) -> str:
    if item.download_url:
        return translation.gettext("The whole data set as a file, with its licence and source.")
    if item.conforms_to:  # an interface of its own (Open311): not this OGC API's pages
        return translation.gettext(
            "The data set through an interface of its own, as the standard it conforms to "
            "describes."
        )
    return translation.gettext(
        "The data set through OGC API – Features: pages, filters, other CRSs."
    )


def _distribution(item: Distribution, licence: Licence, service_id: str) -> dict:
    node = {
        "@id": f"{item.access_url}#distribution",
        "@type": "dcat:Distribution",
        "dct:title": item.title,
        "dcat:accessURL": {"@id": item.access_url},
        "dcat:mediaType": {"@id": IANA + item.media_type, "@type": "dct:MediaType"},
        "dct:format": {"@id": FILE_TYPE + item.file_type, "@type": "dct:MediaTypeOrExtent"},
        "dct:license": _licence(licence),
        "dct:description": _texts(lambda: _distribution_description(item)),
        "dcatap:availability": {
            "@id": AVAILABILITY + "STABLE",
            "@type": "skos:Concept",
            "skos:prefLabel": {"@value": "stable", "@language": "en"},
        },
    }
    if item.download_url:
        node["dcat:downloadURL"] = {"@id": item.download_url}
        if item.conforms_to:  # a file in a format of its own (A11yJSON)
            node["dct:conformsTo"] = {"@id": item.conforms_to, "@type": "dct:Standard"}
    elif item.conforms_to:  # an interface of its own (Open311), not this OGC API
        node["dct:conformsTo"] = {"@id": item.conforms_to, "@type": "dct:Standard"}
    else:
        node["dcat:accessService"] = {"@id": service_id}
        node["dct:conformsTo"] = {"@id": OGC_FEATURES, "@type": "dct:Standard"}
    return node


def _contact(name: str, email: str) -> dict:
    """Who answers for it: the department (else the hromada) and its email when known."""
    contact = {
        "@type": ["vcard:Kind", "vcard:Organization"],
        "vcard:fn": name or hromada_profile().name,
    }
    if email:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{email}"}
    return contact


def _dataset(request, metadata: DatasetMetadata, service_id: str, hromada_bbox) -> dict:
    registry, summary = metadata.registry, metadata.summary
    dataset = {
        "@id": url(request, "collection", registry.id) + "#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": registry.id,
        "dct:title": _texts(lambda: registry.title),
        "dct:description": _texts(lambda: registry.description or registry.title),
        "dct:publisher": _publisher(),
        "dct:language": _languages(),
        "dcat:landingPage": {"@id": metadata.landing_page, "@type": "foaf:Document"},
        "dcat:distribution": [
            _distribution(item, metadata.licence, service_id) for item in metadata.distributions
        ],
        "dcat:keyword": [{"@value": keyword} for keyword in registry.keywords],
        "dcat:theme": [_theme(code) for code in registry.themes],
        "dct:accrualPeriodicity": {
            "@id": FREQUENCY + registry.update_frequency,
            "@type": "dct:Frequency",
        },
        "dct:conformsTo": {
            "@id": metadata.structure_url,
            "@type": "dct:Standard",
            "dct:title": _texts(lambda: "Структура набору даних / data structure"),
        },
    }
    dataset["dcat:contactPoint"] = _contact(
        metadata.department or metadata.responsible_person, metadata.email
    )
    if metadata.issued:
        dataset["dct:issued"] = _moment(metadata.issued)
    if summary.stamp.last_modified:
        dataset["dct:modified"] = _moment(summary.stamp.last_modified)
    bbox = summary.bbox or hromada_bbox
    if bbox:
        dataset["dct:spatial"] = _location(bbox)
    if summary.has_time and summary.first_time:
        # An interval still open (a tree still standing) runs to the data's last change.
        end = summary.last_time or summary.stamp.last_modified
        period = {"@type": "dct:PeriodOfTime", "dcat:startDate": _moment(summary.first_time)}
        if end:
            period["dcat:endDate"] = _moment(end)
        dataset["dct:temporal"] = period
    return dataset


def _other_dataset(item: OtherDataset, service_id: str, hromada_bbox) -> dict:
    """A data set that is not a registry (``metadata.OtherDataset``): the hromada's place."""
    dataset = {
        "@id": item.node_id,
        "@type": "dcat:Dataset",
        "dct:identifier": item.identifier,
        "dct:title": [{"@value": text, "@language": lang} for lang, text in item.titles.items()],
        "dct:description": [
            {"@value": text, "@language": lang} for lang, text in item.descriptions.items()
        ],
        "dct:publisher": _publisher(),
        "dct:language": _languages(),
        "dcat:landingPage": {"@id": item.landing_page, "@type": "foaf:Document"},
        "dcat:distribution": [
            _distribution(distribution, data_licence(), service_id)
            for distribution in item.distributions
        ],
        "dcat:keyword": [{"@value": keyword} for keyword in item.keywords],
        "dcat:theme": [_theme(code) for code in item.themes],
        "dct:accrualPeriodicity": {"@id": FREQUENCY + item.frequency, "@type": "dct:Frequency"},
        "dcat:contactPoint": _contact(item.contact_name, hromada_profile().open_data_email),
    }
    if hromada_bbox:
        dataset["dct:spatial"] = _location(hromada_bbox)
    if item.modified:
        dataset["dct:modified"] = _moment(item.modified)
    if item.start:
        period = {"@type": "dct:PeriodOfTime", "dcat:startDate": _moment(item.start)}
        if item.end:
            period["dcat:endDate"] = _moment(item.end)
        dataset["dct:temporal"] = period
    return dataset


def catalogue_document(
    request: HttpRequest, datasets: list[DatasetMetadata], others: list[OtherDataset] = ()
) -> dict:
    profile = hromada_profile()
    landing = url(request, "landing")
    service_id = landing + "#service"
    hromada_bbox = _hromada_bbox()  # once: where a data set with no record yet will be
    dataset_nodes = [_dataset(request, metadata, service_id, hromada_bbox) for metadata in datasets]
    # Served by the OGC API: the registries' data sets only.
    served = [{"@id": node["@id"]} for node in dataset_nodes]
    dataset_nodes += [_other_dataset(item, service_id, hromada_bbox) for item in others]
    moments = [m.summary.stamp.last_modified for m in datasets if m.summary.stamp.last_modified]
    service = {
        "@id": service_id,
        "@type": "dcat:DataService",
        "dct:title": _texts(lambda: f"{profile.portal_title}: OGC API – Features"),
        "dcat:endpointURL": {"@id": landing},
        "dcat:endpointDescription": {"@id": url(request, "openapi")},
        "dct:conformsTo": {"@id": OGC_FEATURES, "@type": "dct:Standard"},
        "dct:publisher": _publisher(),
        "dcat:servesDataset": served,
        "dct:license": _licence(data_licence()),
        "dcat:contactPoint": _contact("", profile.open_data_email),
        "dcat:keyword": [{"@value": "OGC API"}, {"@value": "відкриті дані"}],
        "dcat:theme": [
            _theme(code) for code in dict.fromkeys(c for m in datasets for c in m.registry.themes)
        ],
    }
    catalogue = {
        "@context": CONTEXT,
        "@id": url(request, "dcat"),
        "@type": "dcat:Catalog",
        "dct:title": _texts(lambda: profile.portal_title),
        "dct:description": _texts(
            lambda: (
                translation.gettext(
                    "The open registries of %(hromada)s: map layers and open data, as files and "
                    "through OGC API – Features."
                )
                % {"hromada": profile.name}
            )
        ),
        "dct:publisher": _publisher(),
        "dct:language": _languages(),
        "foaf:homepage": {"@id": request.build_absolute_uri("/"), "@type": "foaf:Document"},
        "dcat:themeTaxonomy": {
            "@id": THEMES,
            "@type": "skos:ConceptScheme",
            "dct:title": {"@value": "Data theme", "@language": "en"},
        },
        "dcat:dataset": dataset_nodes,
        "dcat:service": [service],
    }
    catalogue["dct:license"] = _licence(data_licence())
    issued = [m.issued for m in datasets if m.issued]
    if issued:
        catalogue["dct:issued"] = _moment(min(issued, key=_as_datetime))
    if hromada_bbox:
        catalogue["dct:spatial"] = _location(hromada_bbox)
    if moments:
        catalogue["dct:modified"] = _moment(max(moments))
    return catalogue
