"""The catalogue is DCAT-AP 3.0 (checked with the official SHACL shapes, tests/ogcapi/
dcat_ap_3), and the national portal's passports are filled from what the portal knows."""

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point, Polygon
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from layers.models import DatasetPassport
from layers.ogcapi.passports import PASSPORT_FIELDS
from layers.registry import public_registries, registry_get
from tests.factories import SQUARE
from tests.ogcapi.conftest import body, json_body, publish

pytestmark = pytest.mark.django_db

SHAPES = Path(__file__).with_name("dcat_ap_3")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")


def _shapes() -> Graph:
    graph = Graph()
    for name in ("shapes.ttl", "range.ttl", "shapes_recommended.ttl"):
        graph.parse(SHAPES / name, format="turtle")
    return graph


def _graph(document: dict) -> Graph:
    return Graph().parse(data=json.dumps(document), format="json-ld")


def _conforms(document: dict) -> tuple[bool, str]:
    conforms, _results, text = validate(
        _graph(document), shacl_graph=_shapes(), inference="none", advanced=True
    )
    return conforms, text


@pytest.fixture
def catalogue(get):
    trees = registry_get("trees")
    for registry in public_registries():  # each data set has its place and time
        dates = {"heritage": "listing_date", "protection-zones": "decision_date"}
        if registry.id in dates:
            publish(registry, 1, **{dates[registry.id]: dt.date(1970, 1, 1)})
        elif registry.id != "trees":
            publish(registry, 1)
    publish(trees, 2, planted_on=dt.date(1990, 4, 1))
    publish(registry_get("heritage"), 1, geom=Polygon(SQUARE, srid=4326))
    publish(registry_get("heritage"), 1, geom=Point(26.99, 49.42, srid=4326))
    DatasetPassport.objects.create(
        registry="trees",
        department="Управління ЖКГ, відділ благоустрою",
        responsible_person="Іваненко Ірина",
        email="green@example.org",
        phone="+380 382 00 00 00",
        legal_basis="Правила утримання зелених насаджень",
    )
    return json_body(get("/ogc/catalogue"))


def test_the_catalogue_conforms_to_dcat_ap_3(catalogue):
    conforms, report = _conforms(catalogue)

    assert conforms, report
    # Warnings (recommended properties) would show in the report too: there are none.
    assert "Severity: sh:Warning" not in report


def test_the_shapes_do_find_what_is_missing(catalogue):
    # The check above can fail: without its description the catalogue is refused.
    broken = {key: value for key, value in catalogue.items() if key != "dct:description"}

    conforms, report = _conforms(broken)

    assert not conforms
    assert "description" in report


def test_datasets_have_themes_formats_service_contact_and_time(catalogue):
    graph = _graph(catalogue)
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    identifiers = {str(graph.value(d, DCTERMS.identifier)) for d in datasets}
    trees = next(d for d in datasets if str(graph.value(d, DCTERMS.identifier)) == "trees")
    formats = {str(graph.value(x, DCTERMS.format)) for x in graph.objects(trees, DCAT.distribution)}
    media = {str(graph.value(x, DCAT.mediaType)) for x in graph.objects(trees, DCAT.distribution)}
    contact = graph.value(trees, DCAT.contactPoint)
    temporal = graph.value(trees, DCTERMS.temporal)

    assert identifiers == {r.id for r in public_registries()}
    assert URIRef("http://publications.europa.eu/resource/authority/data-theme/ENVI") in set(
        graph.objects(trees, DCAT.theme)
    )
    assert {f.rsplit("/", 1)[1] for f in formats} == {"GEOJSON", "CSV", "GPKG", "SHP"}
    assert "https://www.iana.org/assignments/media-types/application/geo+json" in media
    assert str(graph.value(contact, VCARD.hasEmail)) == "mailto:green@example.org"
    assert str(graph.value(temporal, DCAT.startDate)) == "1990-04-01"
    assert graph.value(trees, DCTERMS.accrualPeriodicity) is not None
    (service,) = graph.subjects(RDF.type, DCAT.DataService)
    assert trees in set(graph.objects(service, DCAT.servesDataset))


def test_a_mixed_registry_is_one_dataset_with_the_files_of_each_family(catalogue):
    graph = _graph(catalogue)
    (heritage,) = [
        d
        for d in graph.subjects(RDF.type, DCAT.Dataset)
        if str(graph.value(d, DCTERMS.identifier)) == "heritage"
    ]
    files = {
        str(u)
        for x in graph.objects(heritage, DCAT.distribution)
        for u in graph.objects(x, DCAT.downloadURL)
    }

    assert any(u.endswith("/heritage.points.gpkg") for u in files)
    assert any(u.endswith("/heritage.polygons.shp.zip") for u in files)


def test_passports_have_every_field_and_say_what_is_missing(get, catalogue):
    document = json_body(get("/ogc/passports"))
    by_id = {p["identifier"]: p for p in document["passports"]}
    trees, heritage = by_id["trees"], by_id["heritage"]

    assert [f["name"] for f in document["fields"]] == [key for key, _label in PASSPORT_FIELDS]
    assert all(f["title_uk"] and f["title_en"] for f in document["fields"])
    assert set(by_id) == {r.id for r in public_registries()}
    assert trees["email"] == "green@example.org" and trees["legal_basis"]
    assert trees["responsible_person"].startswith("Іваненко")
    assert trees["issued"] and trees["modified"] and trees["frequency"]
    assert trees["structure_url"].endswith("/ogc/collections/trees/structure")
    assert "publisher_code" in trees["missing"]  # the hromada profile has none yet
    assert {"email", "responsible_person", "legal_basis"} <= set(heritage["missing"])


def test_passports_as_csv_in_ukrainian(get, catalogue):
    response = get("/ogc/passports.csv", HTTP_ACCEPT_LANGUAGE="uk")

    text = body(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][0] == "Ідентифікатор набору даних"
    assert len(rows) == 1 + len(public_registries())


def test_the_structure_of_a_dataset_lists_its_fields(get):
    document = json_body(get("/ogc/collections/trees/structure"))
    fields = {f["name"]: f for f in document["fields"]}
    text = body(get("/ogc/collections/trees/structure.csv")).decode("utf-8-sig")

    assert set(registry_get("trees").properties) <= set(fields)
    assert fields["condition"]["values"] and fields["planted_on"]["format"] == "date"
    assert fields["geometry"]["values"] == ["Point"]
    assert text.splitlines()[0].startswith("name,title_uk,title_en,type")
    assert get("/ogc/collections/nothing/structure").status_code == 404
