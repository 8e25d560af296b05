"""The dashboard's pages, the CSV in the Open SDG layout (read back), the JSON API and its
OpenAPI document (every answer validated against it), the goal colours' contrast."""

import csv
import io
import re

import jsonschema
import pytest
from django.test import Client

from sdg.goals import GOALS, contrast
from tests.sdg.conftest import A_CENTRE, B_CENTRE, tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def trees(settlements, indicators):
    tree(A_CENTRE, condition="hazardous")
    tree(B_CENTRE, condition="good")


def test_goal_tiles_have_enough_contrast_and_the_stylesheet_matches():
    from pathlib import Path

    css = (Path(__file__).parents[2] / "sdg" / "static" / "sdg" / "sdg.css").read_text()
    for goal in GOALS:
        assert contrast(goal.colour, goal.text_colour) >= 4.5
        assert (
            f".sdg-goal-{goal.number} {{ background: {goal.colour}; color: {goal.text_colour}; }}"
            in css
        )


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_pages_answer_in_both_languages(trees, prefix):
    client = Client()
    dashboard = client.get(f"{prefix}/sdg/")
    assert dashboard.status_code == 200
    assert dashboard.content.decode().count('class="sdg-goal sdg-goal-') == 17
    assert client.get(f"{prefix}/sdg/goals/15/").status_code == 200
    page = client.get(f"{prefix}/sdg/indicators/15-kh-2/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="sdg-chart"' in text and 'id="sdg-areas"' in text and 'id="sdg-map"' in text
    assert client.get(f"{prefix}/sdg/goals/18/").status_code == 404
    assert client.get(f"{prefix}/sdg/indicators/no-such/").status_code == 404


def test_the_csv_rereads_in_the_open_sdg_layout(trees):
    response = Client().get("/sdg/indicators/15-kh-2/data.csv")
    assert response.status_code == 200
    assert 'filename="indicator_15-kh-2.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == ["Year", "Settlement", "Value"]
    headline = [row for row in rows if not row["Settlement"]]
    assert len(headline) == 1 and float(headline[0]["Value"]) == pytest.approx(50.0)
    by_settlement = {row["Settlement"]: float(row["Value"]) for row in rows if row["Settlement"]}
    assert by_settlement == {"A": pytest.approx(100.0), "B": pytest.approx(0.0)}  # C: no trees
    for row in rows:
        assert re.fullmatch(r"\d{4}", row["Year"])


def test_a_breakdown_is_a_column_of_its_own(settlements, indicators):
    rows = list(
        csv.DictReader(
            io.StringIO(Client().get("/en/sdg/indicators/11-6-kh-1/data.csv").content.decode())
        )
    )
    assert list(rows[0]) == ["Year", "Settlement", "Breakdown", "Value"]
    assert {row["Breakdown"] for row in rows} >= {"glass", "plastic", ""}


def _validator(document, name):
    schema = {**document["components"]["schemas"][name], "components": document["components"]}
    # OpenAPI 3.0's nullable, as JSON Schema understands it.
    text = str(schema)
    assert "nullable" in text
    return jsonschema.Draft7Validator(_nullable(schema))


def _nullable(node):
    if isinstance(node, dict):
        node = {k: _nullable(v) for k, v in node.items()}
        if node.pop("nullable", False) and "type" in node:
            node["type"] = [node["type"], "null"]
        if "$ref" in node:
            node["$ref"] = node["$ref"]
        return node
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    return node


def test_the_api_answers_what_its_openapi_document_says(trees):
    client = Client()
    document = client.get("/sdg/api/openapi.json").json()
    assert document["openapi"].startswith("3.0")
    assert "/sdg/api/indicators/{code}/" in document["paths"]
    listing = client.get("/sdg/api/indicators/").json()
    _validator(document, "IndicatorList").validate(listing)
    assert len(listing["indicators"]) == 15
    by_code = {item["code"]: item for item in listing["indicators"]}
    assert by_code["15-kh-2"]["current"]["value"] == pytest.approx(50.0)

    one = client.get("/sdg/api/indicators/15-kh-2/").json()
    _validator(document, "Indicator").validate(one)
    assert {row["key"]: row["value"] for row in one["by_settlement"]} == {
        "A": pytest.approx(100.0),
        "B": pytest.approx(0.0),
        "C": None,
    }
    entered = client.get("/sdg/api/indicators/12-5-kh-1/").json()
    assert entered["kind"] == "entered" and entered["current"] is None
    missing = client.get("/sdg/api/indicators/nothing/")
    assert missing.status_code == 404 and missing.json()["code"] == "NotFound"
