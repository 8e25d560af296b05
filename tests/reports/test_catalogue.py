"""Citizen reports are a data set of the DCAT-AP catalogue (its CSV, GeoJSON and Open311),
which stays valid against the official SHACL shapes (tests/ogcapi/dcat_ap_3) with it."""

import json

import pytest
from django.test import Client
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

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
