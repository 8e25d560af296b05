"""Hostile and careless input on every way data gets in or queries are parsed: each answers
a clean 4xx with a message — never a 5xx, never a response cut short — and changes no row.

The cases are generated from the registries and their fields (every queryable of every
collection, every editable text and number field of every registry, the sample registry
defined as data included), so a new field or registry is covered without a new test.
"""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from layers.editing.values import editable_fields, field_get, value_to_json
from layers.inputs import field_range
from layers.ogcapi.queryables import registry_queryables
from layers.registry import registry_get
from tests.editing.conftest import actors_create, api_client, published_create, record_values_for
from tests.factories import CENTRE, SAMPLE_ID, registry_ids, registry_resolve

pytestmark = pytest.mark.django_db

NUL, SURROGATE = "a\x00b", "a\ud800b"
LANGUAGES = ("uk", "en")


def _body(response) -> bytes:
    """The whole body (a stream is read to its end: a short 200 raises here)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def _refused(response, *, status=400) -> str:
    body = _body(response)
    assert response.status_code == status, (response.status_code, body[:300])
    text = body.decode()
    assert text.strip(), "a refusal says why"
    return text


def _fingerprint() -> dict:
    """How many rows each registry, history and change table holds, and its latest change."""
    tables = [
        t
        for t in connection.introspection.table_names()
        if t.startswith("layers_") and not t.startswith("layers_importprogress")
    ]
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


# --- Query parameters: every queryable of every collection --------------------------------


@pytest.mark.parametrize("registry_id", registry_ids())
def test_every_queryable_refuses_text_the_database_cannot_hold(registry_id):
    registry = registry_resolve(registry_id)
    client = Client()
    queryables = registry_queryables(registry)
    assert queryables
    for name in queryables:
        for bad in (NUL, "\x00"):
            url = f"/ogc/collections/{registry.id}/items"
            text = _refused(client.get(url, {name: bad}))
            assert name in text and "NUL" in text
        tile = client.get(f"/tiles/{registry.id}/14/9420/5625.pbf", {name: NUL})
        _refused(tile)


@pytest.mark.parametrize("registry_id", registry_ids())
def test_every_number_queryable_refuses_values_beyond_its_field(registry_id):
    registry = registry_resolve(registry_id)
    client = Client()
    url = f"/ogc/collections/{registry.id}/items"
    numbers = {
        name: q
        for name, q in registry_queryables(registry).items()
        if field_range(q.field.base_field if q.is_array else q.field)
    }
    for name, queryable in numbers.items():
        low, high = field_range(queryable.field)
        for beyond in (int(high) + 1, int(low) - 1, 10**30):
            text = _refused(client.get(url, {name: str(beyond)}))
            assert name in text
            text = _refused(client.get(url, {"filter": f"{name} = {beyond}"}))
            assert name in text
        _refused(client.get(url, {"filter": f"{name} > {'9' * 3900}"}))
        _refused(client.get(url, {"filter": f"{name} < -{'9' * 400}.5"}))
        within = client.get(url, {name: str(int(high))})
        assert within.status_code == 200, _body(within)[:300]


HOSTILE_GETS = [
    "/map/search.json?q=ab%00cd",
    "/map/search.json?q=%00",
    "/map/list.json?collection=trees&q=%00",
    "/map/list.json?collection=trees&near=nan,nan",
    "/map/list.json?collection=trees&near=1e400,27",
    "/map/nearest.json?collection=waste-sites&fraction=glass&near=49.4,27.0%00",
    "/map/nearest.json?collection=waste-sites&fraction=%00&near=49.4,27.0",
    "/map/nearest.json?collection=trees&near=49.4,27.0",
    "/map/nearest.json?collection=waste-sites&fraction=glass&near=-91,181",
    "/ogc/collections/trees/items?datetime=0001-01-01T00:00:00%2B23:59",
    "/ogc/collections/trees/items?datetime=0001-01-01T00:00:00%2B01:00",
    "/ogc/collections/trees/items?datetime=9999-12-31T23:59:59-15:00/..",
    "/ogc/collections/trees/items?datetime=2026-01-01T00:00:00%2B16:00",
    "/ogc/collections/trees/items?bbox=nan,49,27,50",
    "/ogc/collections/trees/items?bbox=1e400,49,27,50",
    "/ogc/collections/trees/items?filter=" + "9" * 41 + "%3Dplanting_year",
    "/ogc/collections/trees/items?filter=planting_year%3D1e999",
    "/ogc/collections/trees/items?limit=" + "9" * 400,
    "/ogc/collections/trees/items?offset=-1",
    "/ogc/collections/trees/items?%00=1",
    "/ogc/collections/trees/items?filter=name%3D%27a%00b%27",
    "/ogc/collections/trees/items/%00",
    # Inside the numeric range of UCS-2000 / GK zone 5 but outside what its projection maps.
    "/ogc/collections/trees/items?bbox=0,0,100000000,100000000"
    "&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/5563",
    "/ogc/collections/trees/items?filter=S_INTERSECTS(geometry,POINT(0 100000000))"
    "&filter-crs=http://www.opengis.net/def/crs/EPSG/0/5563",
]


@pytest.mark.parametrize(
    "url",
    [
        "/ogc/collections/trees/items?bbox=99000000,0,100000000,1000"
        "&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/5563",
        "/ogc/collections/trees/items?bbox=5400000,5400000,5500000,5500000"
        "&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/5563&crs=http://www.opengis.net/def/crs/EPSG/0/5563",
        "/ogc/collections/trees/download/geojson?bbox=0,0,100000000,100000000"
        "&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/5563",
    ],
)
def test_a_response_is_refused_before_it_starts_or_sent_whole(url):
    """Either a 4xx before the first byte, or a 200 whose body parses to its end."""
    response = Client().get(url)
    body = _body(response)
    assert response.status_code < 500, body[:300]
    if response.status_code == 200:
        assert json.loads(body)["type"] == "FeatureCollection"


@pytest.mark.parametrize("url", HOSTILE_GETS)
def test_hostile_query_strings_get_a_clean_refusal(url):
    response = Client().get(url)
    assert 400 <= response.status_code < 500, (response.status_code, _body(response)[:300])
    assert _body(response).strip()


# --- Writes: every editable text and number field of every registry ------------------------


def _api_values(registry) -> dict:
    return {
        name: value_to_json(field_get(registry, name), value)
        for name, value in record_values_for(registry).items()
        if value is not None
    }


def _text_fields(registry) -> list[str]:
    return [
        f.name
        for f in editable_fields(registry)
        if getattr(getattr(f, "data_spec", None), "type", f.get_internal_type())
        in ("CharField", "TextField", "text", "long_text", "url", "phone", "email")
    ]


def _number_fields(registry) -> list:
    return [f for f in editable_fields(registry) if field_range(f)]


@pytest.mark.parametrize("registry_id", registry_ids())
def test_api_writes_refuse_what_the_database_cannot_hold_and_change_nothing(registry_id):
    registry = registry_resolve(registry_id)
    actors = actors_create()
    record = published_create(registry, actors)
    editor = api_client(actors.editor)
    url = f"/api/{registry.id}/records/"
    item = f"{url}{record.public_id}/"
    before = _fingerprint()
    texts = _text_fields(registry)
    assert texts or registry.id == "protection-zones"
    for name in texts:
        for bad in (NUL, SURROGATE):
            body = json.dumps({**_api_values(registry), name: bad})
            created = editor.post(url, body, content_type="application/json")
            assert name in _refused(created)
            patched = editor.patch(
                item,
                json.dumps({name: bad}),
                content_type="application/json",
                HTTP_IF_MATCH=f'"{record.version}"',
            )
            assert name in _refused(patched)
    for field in _number_fields(registry):
        low, high = field_range(field)
        for beyond in (high + 1, low - 1):
            value = str(beyond) if field.get_internal_type() == "DecimalField" else int(beyond)
            created = editor.post(url, {**_api_values(registry), field.name: value}, format="json")
            assert 400 <= created.status_code < 500, (field.name, created.content[:300])
        huge = json.dumps({**_api_values(registry), field.name: 10**45})
        _refused(editor.post(url, huge, content_type="application/json"))
    for tag in ('"²"', '"１"', '"-1"', '"1e3"', '"' + "9" * 400 + '"', "W/", '"1", "2"'):
        response = editor.patch(item, {"notes": "x"}, format="json", HTTP_IF_MATCH=tag)
        assert response.status_code in (412, 428), (tag, response.status_code)
    geometry = {"type": "Point", "coordinates": [int("9" * 350), CENTRE[1]]}
    response = editor.patch(
        item, {"geom": geometry}, format="json", HTTP_IF_MATCH=f'"{record.version}"'
    )
    assert 400 <= response.status_code < 500, response.content[:300]
    assert _fingerprint() == before


@pytest.mark.parametrize("registry_id", registry_ids())
def test_editor_forms_refuse_nul_in_every_text_field(registry_id):
    registry = registry_resolve(registry_id)
    actors = actors_create()
    client = Client()
    client.force_login(actors.editor)
    before = _fingerprint()
    for name in _text_fields(registry):
        response = client.post(f"/en/edit/{registry.id}/new/", {name: NUL, "comment": "x"})
        assert response.status_code == 400, (name, response.status_code)
        assert name in response.content.decode()
    assert _fingerprint() == before


def test_a_comment_with_nul_is_refused_everywhere_it_is_posted():
    actors = actors_create()
    trees = registry_get("trees")
    record = published_create(trees, actors)
    client = Client()
    client.force_login(actors.reviewer)
    before = _fingerprint()
    for path in (
        "/en/edit/review/1/reject/",
        f"/en/edit/trees/{record.public_id}/archive/",
        "/en/admin/layers/tree/autocomplete/",
    ):
        response = client.post(path, {"comment": NUL, "term": NUL})
        assert response.status_code == 400, (path, response.status_code)
    assert client.get("/en/admin/autocomplete/", {"term": NUL}).status_code == 400
    assert _fingerprint() == before


# --- Messages that the database or a language would break ----------------------------------


def test_every_constraint_message_formats_in_every_language():
    """A bare % in a translated violation message made the model's check raise ValueError."""
    from django.apps import apps

    for model in apps.get_app_config("layers").get_models():
        for constraint in model._meta.constraints:
            for language in LANGUAGES:
                with translation.override(language):
                    assert constraint.get_violation_error_message()


def test_the_sample_registry_is_among_the_cases():
    assert SAMPLE_ID in registry_ids()


# --- No existence oracle --------------------------------------------------------------------

_CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.mark.parametrize("registry_id", ["trees", "accessibility", SAMPLE_ID])
def test_an_unpublished_id_answers_as_an_unknown_one_everywhere_public(registry_id):
    import uuid

    from tests.editing.conftest import draft_create

    registry = registry_resolve(registry_id)
    actors = actors_create()
    published_create(registry, actors)
    draft = draft_create(registry, actors.editor)
    unknown = uuid.uuid4()
    client = Client()

    def answers(public_id):
        found = []
        for path in (
            f"/ogc/collections/{registry.id}/items?after={public_id}",
            f"/ogc/collections/{registry.id}/items/{public_id}",
            f"/en/{registry.id}/{public_id}/",
            f"/api/{registry.id}/records/{public_id}/",
        ):
            response = client.get(path)
            # The page's language switch carries a CSRF token, masked anew on every answer.
            body = _CSRF_TOKEN.sub("TOKEN", _body(response).decode())
            found.append((path.split(str(public_id))[0], response.status_code,
                          body.replace(str(public_id), "ID")))  # fmt: skip
        return found

    assert answers(draft.public_id) == answers(unknown)


@pytest.mark.parametrize(
    "path",
    [
        "/api/trees/records/not-a-uuid/",
        "/api/trees/records/1/",
        "/api/no-such-registry/records/x/",
        "/api/changes/abc/",
        "/api/%00/",
        "/api/trees/records/00000000-0000-0000-0000-000000000000/",
    ],
)
def test_api_errors_are_json(path):
    response = Client().get(path)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json"), path
    assert json.loads(_body(response))


# --- Web addresses as browsers read them -----------------------------------------------------

BAD_URLS = [
    "https://evil.example\\@en.wikipedia.org/wiki/X",
    "https://user:secret@en.wikipedia.org/wiki/X",
    "https://en.wikipedia.org\\.evil.example/",
    "javascript:alert(1)//en.wikipedia.org",
    "https://en.wikipedia.org/wiki/X\nSet-Cookie:x",
    "https:\\\\evil.example/",
    "https://exa mple.org/",
    "https://en.wikipedia.org:99999999/",
]


def _url_fields(registry) -> list[str]:
    from django.db import models

    return [f.name for f in editable_fields(registry) if isinstance(f, models.URLField)]


@pytest.mark.parametrize("registry_id", registry_ids())
def test_every_url_field_refuses_addresses_a_browser_reads_otherwise(registry_id):
    registry = registry_resolve(registry_id)
    actors = actors_create()
    editor = api_client(actors.editor)
    before = _fingerprint()
    for name in _url_fields(registry):
        for bad in BAD_URLS:
            response = editor.post(
                f"/api/{registry.id}/records/", {**_api_values(registry), name: bad}, format="json"
            )
            assert response.status_code == 400, (name, bad, response.content[:200])
    assert _fingerprint() == before


def test_the_url_fields_are_found():
    registry_resolve(SAMPLE_ID)
    found = {r: _url_fields(registry_get(r)) for r in ("heritage", "accessibility", SAMPLE_ID)}
    assert all(found.values()), found


@pytest.mark.parametrize(
    "bbox",
    ["nan,49,27,50", "inf,49,27,50", "1,2,3", "1,2,3,4,5", "a,b,c,d", "27,49,26,50",
     "26,50,27,49", "-200,49,27,50", "1e400,49,27,50", ""],
)  # fmt: skip
def test_one_bbox_reader_refuses_the_same_boxes_on_the_map_and_in_the_editor(bbox):
    actors = actors_create()
    editor = Client()
    editor.force_login(actors.editor)
    for client, url in (
        (Client(), f"/map/list.json?collection=trees&bbox={bbox}"),
        (editor, f"/edit/trees/features/?bbox={bbox}"),
    ):
        response = client.get(url)
        if bbox:
            assert response.status_code == 400, (url, response.status_code)
            assert "bbox" in response.json()["error"]
        else:
            assert response.status_code == 200, url  # no box: no narrowing


# --- No outbound connection ----------------------------------------------------------------


def test_no_hostile_input_makes_the_portal_call_out(canary, tmp_path):
    """Addresses of a canary server put where a careless server would fetch them — a GeoJSON
    CRS link, CRS parameters, CQL2 strings, web-address fields, photo and import uploads that
    point at it — and the canary is never called."""
    actors = actors_create()
    trees = registry_get("trees")
    record = published_create(trees, actors)
    editor = api_client(actors.editor)
    url = canary.url + "/fetched"
    client = Client()
    for path, params in (
        ("/ogc/collections/trees/items", {"crs": url}),
        ("/ogc/collections/trees/items", {"bbox-crs": url, "bbox": "1,2,3,4"}),
        ("/ogc/collections/trees/items", {"filter-crs": url, "filter": "species_latin = 'x'"}),
        ("/ogc/collections/trees/items", {"filter": f"species_latin = '{url}'"}),
        ("/ogc/collections/trees/items", {"f": url}),
        ("/ogc/collections/trees/download/geojson", {"crs": url}),
        ("/tiles/trees/14/9420/5625.pbf", {"species": url}),
        ("/map/search.json", {"q": url}),
    ):
        assert client.get(path, params).status_code < 500
    geometry = {
        "type": "Point",
        "coordinates": [CENTRE[0], CENTRE[1]],
        "crs": {"type": "link", "properties": {"href": url, "type": "ogcwkt"}},
    }
    editor.patch(
        f"/api/trees/records/{record.public_id}/",
        {"geom": geometry, "source": url},
        format="json",
        HTTP_IF_MATCH=f'"{record.version}"',
    )
    heritage = registry_get("heritage")
    editor.post(
        "/api/heritage/records/",
        {**_api_values(heritage), "wikipedia_url": url, "source": url},
        format="json",
    )
    accessibility = registry_get("accessibility")
    editor.post(
        "/api/accessibility/records/",
        {**_api_values(accessibility), "website": url},
        format="json",
    )
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{url}"/></svg>'.encode()
    staff = Client()
    staff.force_login(actors.editor)
    for name, content in (("survey.geojson", json.dumps({"type": "FeatureCollection",
                          "crs": geometry["crs"], "features": []}).encode()),
                          ("survey.kml", f'<kml><NetworkLink><Link><href>{url}</href></Link>'
                          f'</NetworkLink></kml>'.encode()), ("pic.svg", svg)):  # fmt: skip
        from django.core.files.uploadedfile import SimpleUploadedFile

        staff.post("/edit/trees/import/", {"file": SimpleUploadedFile(name, content)})
    assert canary.hits == []
