"""Citizen reports are a data set of the DCAT-AP catalogue (its CSV, GeoJSON and Open311),
which stays valid against the official SHACL shapes (tests/ogcapi/dcat_ap_3) with it."""

import json

import pytest
from django.test import Client
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from layers.ogcapi.dcat import OGC_FEATURES
from reports.catalogue import OPEN311
from tests.ogcapi import conftest as ogc
from tests.ogcapi import test_dcat_ap as dcat
from tests.reports.conftest import public_report

pytestmark = pytest.mark.django_db

get = ogc.get  # the OGC tests' fixtures: their client and a catalogue of every registry
registries_catalogue = dcat.catalogue


def test_reports_are_a_valid_data_set_of_the_catalogue(world, registries_catalogue):
    public_report(world, category="tree-fallen", state="fixed")
    client = Client()
    before = client.get("/ogc/catalogue")["ETag"]
    public_report(world, category="waste-dump")
    response = client.get("/ogc/catalogue")
    assert response.status_code == 200 and response["ETag"] != before
    graph = Graph().parse(data=json.dumps(json.loads(response.content)), format="json-ld")
    conforms, _results, report = validate(
        graph, shacl_graph=dcat._shapes(), inference="none", advanced=True
    )
    assert conforms, report
    assert "Severity: sh:Warning" not in report
    node = URIRef("http://testserver/reports/#dataset")
    assert (node, RDF.type, DCAT.Dataset) in graph
    assert "citizen-reports" in {str(o) for o in graph.objects(node, DCTERMS.identifier)}
    downloads = {
        str(url)
        for distribution in graph.objects(node, DCAT.distribution)
        for url in graph.objects(distribution, DCAT.downloadURL)
    }
    assert downloads == {
        "http://testserver/reports/download/reports.csv",
        "http://testserver/reports/download/reports.geojson",
    }


def test_each_distribution_claims_only_the_standard_it_conforms_to(world):
    """The Open311 interface is not this OGC API: it conforms to GeoReport v2 alone and is
    not served by the OGC API's data service, while the OGC collection conforms to OGC API –
    Features through that service, and the files claim no interface at all."""
    public_report(world, category="waste-dump")
    catalogue = json.loads(Client().get("/ogc/catalogue").content)
    graph = Graph().parse(data=json.dumps(catalogue), format="json-ld")
    by_access = {
        str(access): distribution
        for distribution in graph.objects(
            URIRef("http://testserver/reports/#dataset"), DCAT.distribution
        )
        for access in graph.objects(distribution, DCAT.accessURL)
    }

    def claims(access_url):
        return {str(o) for o in graph.objects(by_access[access_url], DCTERMS.conformsTo)}

    def served(access_url):
        return set(graph.objects(by_access[access_url], DCAT.accessService))

    open311 = next(url for url in by_access if "/open311/" in url)
    ogc_collection = "http://testserver/ogc/collections/reports/items"
    assert claims(open311) == {OPEN311}
    assert not served(open311)
    assert claims(ogc_collection) == {OGC_FEATURES}
    assert served(ogc_collection)
    descriptions = {str(o) for o in graph.objects(by_access[open311], DCTERMS.description)}
    assert not any("OGC API" in text for text in descriptions), descriptions
