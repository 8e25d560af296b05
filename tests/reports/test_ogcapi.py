"""Citizen reports as the OGC API – Features collection ``reports``: the public reports
only (the downloads' set and fields), paged to the end, filtered by bbox, time, category
and state, one by its number, clear 400s and 404s, and GDAL's OAPIF driver reading it."""

import json
import re
import subprocess
import urllib.parse

import pytest
from django.contrib.gis.geos import Point
from django.db import connections
from django.test import Client

from reports.models import Moderation, Report, ReportCategory, ReportState
from reports.services.categories import categories_load
from reports.services.handling import report_moderate
from reports.services.submit import report_submit
from tests.ogcapi import schemas
from tests.ogcapi.live import gdal_env
from tests.ogcapi.live import live_server as gunicorn_server
from tests.ogcapi.test_gdal_client import OGRINFO
from tests.reports.conftest import (
    REPORTER,
    REPORTER_EMAIL,
    centre,
    public_report,
)

pytestmark = pytest.mark.django_db
ITEMS = "/ogc/collections/reports/items"


def _get(path, data=None, **headers):
    response = Client().get(path, data, HTTP_ACCEPT="application/json", **headers)
    return response


def _json(response) -> dict:
    assert response["Content-Type"].split(";")[0] in (
        "application/json",
        "application/geo+json",
        "application/schema+json",
        "application/vnd.oai.openapi+json",
    ), response["Content-Type"]
    return json.loads(response.content)


def _hidden_and_unpublished(world) -> list[Report]:
    """A report never confirmed, one confirmed but not moderated, one hidden by a moderator."""
    unconfirmed = report_submit(category_code="waste-dump", geom=centre(), description="Нове.")
    waiting = report_submit(category_code="waste-dump", geom=centre(), description="Чекає.")
    Report.objects.filter(pk=waiting.pk).update(state=ReportState.CONFIRMED)
    hidden = report_submit(category_code="waste-dump", geom=centre(), description="Сховане.")
    Report.objects.filter(pk=hidden.pk).update(state=ReportState.CONFIRMED)
    hidden.refresh_from_db()
    report_moderate(report=hidden, user=world.actors.reviewer, publish=False)
    hidden.refresh_from_db()
    assert hidden.moderation == Moderation.HIDDEN
    return [unconfirmed, waiting, hidden]


def test_the_collection_is_listed_and_described(world):
    public_report(world, category="tree-fallen")
    listed = _json(_get("/ogc/collections"))
    schemas.validate(listed, schemas.COLLECTIONS)
    assert "reports" in [c["id"] for c in listed["collections"]]

    document = _json(_get("/ogc/collections/reports"))
    schemas.validate(document, schemas.COLLECTION)
    assert document["id"] == "reports"
    assert document["crs"] == ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]
    assert "CQL2" in document["description"]  # what it does not take is said
    rels = {link["rel"] for link in document["links"]}
    assert {"self", "items", "license", "enclosure"} <= rels
    assert "http://www.opengis.net/def/rel/ogc/1.0/queryables" in rels
    lon, lat = centre().x, centre().y
    west, south, *_east_north = document["extent"]["spatial"]["bbox"][0]
    assert west == pytest.approx(lon) and south == pytest.approx(lat)
    assert document["extent"]["temporal"]["interval"][0][0].endswith("Z")


def test_items_are_the_public_reports_with_the_downloads_fields(world):
    fixed = public_report(world, category="tree-fallen", state=ReportState.FIXED)
    open_ = public_report(world, category="waste-dump")
    never = _hidden_and_unpublished(world)

    response = _get(ITEMS)
    document = _json(response)
    schemas.validate(document, schemas.FEATURE_COLLECTION)
    assert response["Content-Type"].startswith("application/geo+json")
    assert [f["id"] for f in document["features"]] == [fixed.pk, open_.pk]
    assert document["numberMatched"] == 2 and document["numberReturned"] == 2
    assert not set(f["id"] for f in document["features"]) & {r.pk for r in never}

    feature = document["features"][0]
    downloads = Client().get("/reports/download/reports.geojson").json()["features"][0]
    assert feature["geometry"] == downloads["geometry"]
    properties = feature["properties"]
    assert {k: properties[k] for k in downloads["properties"]} == downloads["properties"]
    assert properties["category"] == "tree-fallen" and properties["state"] == "fixed"
    assert properties["category_title"] == ReportCategory.objects.get(code="tree-fallen").title
    assert properties["fixed_at"] and properties["updated_at"] and properties["created_at"]
    assert properties["url"].endswith(f"/reports/{fixed.pk}/")
    bare = _json(_get(ITEMS, {"skipGeometry": "true"}))["features"][0]
    assert bare["geometry"] is None and bare["properties"] == properties
    text = response.content.decode()
    for secret in (REPORTER, REPORTER_EMAIL, "client_hash", "reporter", fixed.client_hash):
        assert not secret or secret not in text


def test_next_links_page_through_every_public_report_exactly_once(world):
    made = [public_report(world, category="tree-fallen") for _ in range(5)]
    _hidden_and_unpublished(world)
    seen, pages = [], 0
    url = f"{ITEMS}?limit=2"
    while url:
        document = _json(_get(url))
        assert document["numberMatched"] == 5
        seen.extend(f["id"] for f in document["features"])
        pages += 1
        following = [link["href"] for link in document["links"] if link["rel"] == "next"]
        assert len(following) <= 1
        url = following[0] if following else None
        assert pages < 10
    assert seen == [r.pk for r in made]
    assert pages == 3

    last = _json(_get(ITEMS, {"limit": 2, "offset": 4}))
    assert [link["rel"] for link in last["links"]].count("prev") == 1


def test_html_pages_follow_the_same_links(world):
    made = [public_report(world, category="tree-fallen") for _ in range(3)]
    response = Client().get(ITEMS, {"limit": 2, "f": "html"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"/ogc/collections/reports/items/{made[0].pk}?f=html" in page
    assert 'rel="next"' in page and REPORTER not in page
    following = re.search(r'rel="next" href="([^"]+)"', page).group(1)
    second = Client().get(following.replace("&amp;", "&")).content.decode()
    assert f"/ogc/collections/reports/items/{made[2].pk}?f=html" in second
    assert 'rel="next"' not in second


def test_bbox_datetime_category_and_state_filter(world):
    here = centre()
    near = public_report(world, category="tree-fallen")
    elsewhere = Point(here.x + 0.02, here.y + 0.01, srid=4326)
    far = public_report(world, category="waste-dump", state=ReportState.FIXED, geom=elsewhere)

    box = f"{here.x - 0.005},{here.y - 0.005},{here.x + 0.005},{here.y + 0.005}"
    assert [f["id"] for f in _json(_get(ITEMS, {"bbox": box}))["features"]] == [near.pk]
    assert _json(_get(ITEMS, {"bbox": box}))["numberMatched"] == 1

    def ids(**query):
        return [f["id"] for f in _json(_get(ITEMS, query))["features"]]

    assert ids(category="waste-dump") == [far.pk]
    assert ids(state="confirmed") == [near.pk]
    assert ids(state="fixed", category="tree-fallen") == []
    Report.objects.filter(pk=near.pk).update(created_at="2024-05-01T10:00:00Z")
    assert ids(datetime="2024-05-01") == [near.pk]  # the whole day
    assert ids(datetime="2024-05-01T10:00:00Z") == [near.pk]
    assert ids(datetime="2024-05-02") == []
    assert ids(datetime="../2024-12-31T00:00:00Z") == [near.pk]
    assert ids(datetime="2025-01-01T00:00:00Z/..") == [far.pk]


def test_one_report_by_its_number_in_json_and_html(world):
    report = public_report(world, category="tree-fallen")
    response = _get(f"{ITEMS}/{report.pk}")
    feature = _json(response)
    schemas.validate(feature, schemas.FEATURE)
    assert feature["id"] == report.pk
    assert feature["properties"]["url"].endswith(f"/reports/{report.pk}/")
    assert {"self", "alternate", "collection"} <= {link["rel"] for link in feature["links"]}
    assert response["ETag"] and response["Last-Modified"]
    again = _get(f"{ITEMS}/{report.pk}", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304

    page = Client().get(f"{ITEMS}/{report.pk}", {"f": "html"})
    assert page.status_code == 200
    assert f"/reports/{report.pk}/" in page.content.decode()
    assert REPORTER not in page.content.decode()


def test_unknown_and_non_public_reports_are_an_ogc_404(world):
    never = _hidden_and_unpublished(world)
    odd = ["abc", "1e3", "99999999999999999999", "²", "０", "-1", " 1"]
    for feature_id in [*(r.pk for r in never), 999999, *odd]:
        response = _get(f"{ITEMS}/{feature_id}")
        assert response.status_code == 404, feature_id
        body = _json(response)
        schemas.validate(body, schemas.EXCEPTION)
        assert body["code"] == "NotFound"


@pytest.mark.parametrize(
    "query",
    [
        {"filter": "state = 'fixed'"},
        {"filter-lang": "cql2-text"},
        {"sortby": "state"},
        {"properties": "state"},
        {"skipGeometry": "maybe"},
        {"after": "5"},
        {"crs": "http://www.opengis.net/def/crs/EPSG/0/3857"},
        {"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/4326", "bbox": "49,25,50,26"},
        {"limit": "0"},
        {"limit": "many"},
        {"offset": "-1"},
        {"bbox": "1,2,3"},
        {"datetime": "yesterday"},
        {"state": "lost"},
        {"colour": "red"},
        {"reporter_email": REPORTER_EMAIL},
    ],
)
def test_bad_or_unsupported_parameters_are_a_400(world, query):
    response = _get(ITEMS, query)
    assert response.status_code == 400, (query, response.content)
    body = _json(response)
    schemas.validate(body, schemas.EXCEPTION)
    assert body["description"]


def test_a_single_report_takes_no_filters(world):
    report = public_report(world)
    response = _get(f"{ITEMS}/{report.pk}", {"state": "confirmed"})
    assert response.status_code == 400


def test_the_collection_is_read_only(world):
    report = public_report(world)
    for path in ("/ogc/collections/reports", ITEMS, f"{ITEMS}/{report.pk}"):
        response = Client().post(path, {})
        assert response.status_code == 405, path
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert _json(response)["code"] == "MethodNotAllowed"


def test_queryables_are_category_and_state(world):
    document = _json(_get("/ogc/collections/reports/queryables"))
    assert document["$schema"].startswith("https://json-schema.org/")
    assert set(document["properties"]) == {"geometry", "category", "state"}
    assert "fixed" in document["properties"]["state"]["enum"]
    page = Client().get("/ogc/collections/reports/queryables", {"f": "html"})
    assert page.status_code == 200 and "<code>state</code>" in page.content.decode()
    # Its caption is not the registries' (which offers CQL2 and sortby).
    trees = Client().get("/ogc/collections/trees/queryables", {"f": "html"}).content.decode()
    caption = re.compile(r"<caption>(.*?)</caption>", re.S)
    assert caption.search(page.content.decode())[1] != caption.search(trees)[1]


def test_collection_answers_304_until_a_report_changes(world):
    report = public_report(world)
    first = _get(ITEMS)
    assert _get(ITEMS, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    report_moderate(report=report, user=world.actors.reviewer, publish=False)
    assert _get(ITEMS, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_renamed_category_changes_the_etag_and_the_titles(world):
    """Every public report carries its category's title: a rename must not leave a client's
    cached page valid (nor the catalogue's)."""
    report = public_report(world)
    first = _get(ITEMS)
    catalogue = Client().get("/ogc/catalogue")["ETag"]
    category = report.category
    category.title_uk = "Перейменована категорія"
    category.save()
    again = _get(ITEMS, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_ACCEPT_LANGUAGE="uk")
    assert again.status_code == 200
    titles = {f["properties"]["category_title"] for f in _json(again)["features"]}
    assert titles == {"Перейменована категорія"}
    assert Client().get("/ogc/catalogue")["ETag"] != catalogue


def test_openapi_lists_the_reports_paths(world):
    document = _json(_get("/ogc/api"))
    for path in ("", "/items", "/items/{featureId}", "/queryables"):
        assert f"/collections/reports{path}" in document["paths"]
    parameters = document["paths"]["/collections/reports/items"]["get"]["parameters"]
    names = {p.get("name") or p["$ref"].rsplit("/", 1)[-1] for p in parameters}
    assert {"bbox", "datetime", "category", "state"} <= names
    assert "filter" not in names and "sortby" not in names
    assert "/collections/reports/tiles" not in document["paths"]


def test_other_routes_of_the_reports_collection_are_ogc_404s(world):
    for path in ("tiles", "tiles/WebMercatorQuad", "download/reports.csv", "structure"):
        response = _get(f"/ogc/collections/reports/{path}")
        assert response.status_code == 404, path
        assert _json(response)["code"] == "NotFound"


# Last in the module: its committed reports stay until the module ends.
# GDAL's OAPIF driver, against the portal under gunicorn (committed data: another process).
GDAL_PUBLIC = 23  # more than two of GDAL's pages


@pytest.fixture(scope="module")
def committed_reports(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        categories_load()
        category = ReportCategory.objects.get(code="tree-fallen")
        here = centre()
        made = [
            Report.objects.create(
                category=category,
                geom=Point(here.x + i * 0.0001, here.y, srid=4326),
                description=f"Дерево {i}",
                reporter_name=REPORTER,
                reporter_email=REPORTER_EMAIL,
                state=ReportState.CONFIRMED,
                moderation=Moderation.PUBLISHED,
            )
            for i in range(GDAL_PUBLIC)
        ]
        made.append(
            Report.objects.create(
                category=category,
                geom=here,
                description="Не модеровано.",
                state=ReportState.CONFIRMED,
            )
        )
        yield made
        Report.objects.filter(pk__in=[r.pk for r in made]).delete()
        connections.close_all()


@pytest.mark.server
def test_gdal_oapif_reads_every_public_report(committed_reports, tmp_path):
    with gunicorn_server(tmp_path / "access.log") as root:
        result = subprocess.run(
            [OGRINFO, "-ro", "-al", f"OAPIF:{root}/ogc/", "reports"],
            capture_output=True,
            text=True,
            env=gdal_env(),
            timeout=120,
            check=True,
        )
        log = (tmp_path / "access.log").read_text()
    assert re.search(r"Feature Count: (\d+)", result.stdout).group(1) == str(GDAL_PUBLIC)
    assert result.stdout.count("OGRFeature(reports)") == GDAL_PUBLIC
    assert "Не модеровано" not in result.stdout and REPORTER not in result.stdout
    assert "category_title" in result.stdout
    requests = [urllib.parse.unquote(line) for line in log.splitlines() if "/items" in line]
    assert requests and all(" 200" in line for line in requests), requests
