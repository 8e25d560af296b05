"""The indicators are data sets of the DCAT-AP catalogue, which stays valid against the
official SHACL shapes (tests/ogcapi/dcat_ap_3) with them."""

import json

import pytest
from django.test import Client
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from tests.ogcapi import conftest as ogc
from tests.ogcapi import test_dcat_ap as dcat

pytestmark = pytest.mark.django_db

# The OGC tests' client and their catalogue with a record of every registry (so that every
# registry's data set has its place and time, and the shapes' warnings speak of ours only).
get = ogc.get
registries_catalogue = dcat.catalogue


def test_every_indicator_is_a_valid_data_set_of_the_catalogue(
    settlements, indicators, registries_catalogue
):
    response = Client().get("/ogc/catalogue")
    assert response.status_code == 200
    document = json.loads(response.content)
    graph = Graph().parse(data=json.dumps(document), format="json-ld")
    conforms, _results, report = validate(
        graph, shacl_graph=dcat._shapes(), inference="none", advanced=True
    )
    assert conforms, report
    assert "Severity: sh:Warning" not in report
    identifiers = {str(o) for o in graph.objects(None, DCTERMS.identifier)}
    assert {f"sdg-{code}" for code in indicators} <= identifiers
    node = URIRef("http://testserver/sdg/api/indicators/15-kh-1/#dataset")
    assert (node, RDF.type, DCAT.Dataset) in graph
    downloads = {
        str(url)
        for distribution in graph.objects(node, DCAT.distribution)
        for url in graph.objects(distribution, DCAT.downloadURL)
    }
    assert downloads == {
        "http://testserver/sdg/indicators/15-kh-1/data.csv",
        "http://testserver/sdg/api/indicators/15-kh-1/",
    }


def test_the_catalogue_etag_follows_an_approved_value(settlements, indicators):
    from django.contrib.auth import get_user_model

    from layers.editing.models import Role
    from layers.editing.services import role_grant
    from layers.registry import registry_get
    from sdg.services import entered_value_approve, entered_value_propose

    client = Client()
    before = client.get("/ogc/catalogue")["ETag"]
    User = get_user_model()
    editor, reviewer = User.objects.create_user("e"), User.objects.create_user("r")
    role_grant(user=editor, registry=registry_get("waste-sites"), role=Role.EDITOR)
    role_grant(user=reviewer, registry=registry_get("waste-sites"), role=Role.REVIEWER)
    proposed = entered_value_propose(
        indicator=indicators["12-5-kh-1"], user=editor, year=2025, value=9, source="x"
    )
    entered_value_approve(entered=proposed, user=reviewer)
    assert client.get("/ogc/catalogue")["ETag"] != before
