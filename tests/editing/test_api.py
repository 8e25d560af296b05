"""The editing API: the lifecycle over HTTP, ETag/If-Match, what clients can never set,
malformed input, and what anonymous users see."""

import json

import pytest
from django.test import Client

from layers.editing.models import ChangeRequest
from layers.editing.values import field_get, value_to_json
from layers.models import Status
from tests.editing.conftest import (
    PASSWORD,
    api_client,
    draft_create,
    published_create,
    record_values_for,
)

pytestmark = pytest.mark.django_db


def _json_values(registry, **overrides) -> dict:
    return {
        name: value_to_json(field_get(registry, name), value)
        for name, value in record_values_for(registry, **overrides).items()
        if value is not None
    }


def _url(registry, record=None, action=None) -> str:
    url = f"/api/{registry.id}/records/"
    if record is not None:
        url += f"{record.public_id}/"
    if action:
        url += f"{action}/"
    return url


def test_lifecycle_over_the_api(registry, actors):
    editor, reviewer = api_client(actors.editor), api_client(actors.reviewer)

    created = editor.post(_url(registry), _json_values(registry, notes="api"), format="json")
    assert created.status_code == 201, created.content
    assert created["ETag"] == '"1"'
    record = registry.objects().get(public_id=created.json()["public_id"])
    assert (record.status, record.created_by) == (Status.DRAFT, actors.editor)

    patched = editor.patch(
        _url(registry, record), {"notes": "edited"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert patched.status_code == 200 and patched["ETag"] == '"2"'

    submitted = editor.post(
        _url(registry, record, "submit"), {}, format="json", HTTP_IF_MATCH='"2"'
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "in_review"
    change = ChangeRequest.objects.get(record_id=record.pk)

    assert editor.post(f"/api/changes/{change.pk}/approve/", {}, format="json").status_code == 403
    approved = reviewer.post(f"/api/changes/{change.pk}/approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    record.refresh_from_db()
    assert (record.status, record.version) == (Status.PUBLISHED, 4)

    proposed = editor.patch(
        _url(registry, record), {"notes": "proposal"}, format="json", HTTP_IF_MATCH='"4"'
    )
    assert proposed.status_code == 202 and proposed.json()["payload"] == {"notes": "proposal"}
    assert api_client().get(_url(registry, record)).json()["public_id"] == str(record.public_id)
    record.refresh_from_db()
    assert record.notes == "edited"

    change_id = proposed.json()["id"]
    assert reviewer.post(f"/api/changes/{change_id}/approve/", {}, format="json").status_code == 200
    record.refresh_from_db()
    assert (record.notes, record.version) == ("proposal", 5)

    assert (
        editor.post(_url(registry, record, "archive"), {}, HTTP_IF_MATCH='"5"').status_code == 403
    )
    archived = reviewer.post(
        _url(registry, record, "archive"), {}, format="json", HTTP_IF_MATCH='"5"'
    )
    assert archived.status_code == 200 and archived.json()["status"] == "archived"
    assert reviewer.delete(_url(registry, record)).status_code == 405


def test_reviewer_cannot_approve_own_change_over_the_api(registry, actors):
    record = published_create(registry, actors)
    admin = api_client(actors.administrator)
    proposed = admin.patch(
        _url(registry, record),
        {"notes": "own"},
        format="json",
        HTTP_IF_MATCH=f'"{record.version}"',
    )
    response = admin.post(f"/api/changes/{proposed.json()['id']}/approve/", {}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "own_change"


def test_if_match_missing_is_428_and_stale_is_412(actors):
    from layers.registry import registry_get

    registry = registry_get("trees")
    record = draft_create(registry, actors.editor, notes="a")
    editor = api_client(actors.editor)
    url = _url(registry, record)

    assert editor.patch(url, {"notes": "b"}, format="json").status_code == 428
    assert editor.patch(url, {"notes": "b"}, format="json", HTTP_IF_MATCH="*").status_code == 428
    assert editor.patch(url, {"notes": "b"}, format="json", HTTP_IF_MATCH='"1"').status_code == 200
    stale = editor.patch(url, {"notes": "c"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert stale["ETag"] == '"2"'
    body = stale.json()
    assert body["current_version"] == 2 and body["changes_since"][0]["fields"] == ["notes"]
    record.refresh_from_db()
    assert record.notes == "b"


def test_clients_can_never_set_workflow_fields(registry, actors):
    record = draft_create(registry, actors.editor)
    editor = api_client(actors.editor)
    forged = {
        "status": "published",
        "version": 99,
        "public_id": "00000000-0000-0000-0000-000000000001",
        "created_by": actors.reviewer.pk,
        "updated_by": actors.reviewer.pk,
        "notes": "forged",
    }
    response = editor.patch(_url(registry, record), forged, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200
    old_public_id = record.public_id
    record.refresh_from_db()
    assert (record.status, record.version, record.public_id) == ("draft", 2, old_public_id)
    assert (record.created_by, record.updated_by, record.notes) == (
        actors.editor,
        actors.editor,
        "forged",
    )
    created = editor.post(_url(registry), {**_json_values(registry), **forged}, format="json")
    assert created.status_code == 201
    assert created.json()["status"] == "draft" and created.json()["version"] == 1


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"[" * 100_000 + b"]" * 100_000, 400),
        (b'{"notes": ' + b"[" * 40 + b"]" * 40 + b"}", 400),
        (b'{"notes": NaN}', 400),
        (b'{"notes": "' + b"x" * (6 * 1024 * 1024) + b'"}', 413),
        (b'{"geom": {"type": "Point", "coordinates": [1e200, 1e200]}}', 400),
    ],
    ids=["malformed", "deeply-nested", "nested", "nan", "oversized", "huge-coordinates"],
)
def test_bad_json_is_a_json_client_error(actors, body, status):
    from layers.registry import registry_get

    registry = registry_get("trees")
    record = draft_create(registry, actors.editor)
    response = api_client(actors.editor).generic(
        "PATCH",
        _url(registry, record),
        body,
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json() or "geom" in response.json()


def test_csrf_is_enforced_for_session_authentication(actors):
    from layers.registry import registry_get

    registry = registry_get("trees")
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="editor", password=PASSWORD)
    response = client.post(
        _url(registry), json.dumps(_json_values(registry)), content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not registry.objects().exists()


def test_anonymous_sees_only_published_records(registry, actors):
    draft = draft_create(registry, actors.editor)
    published = published_create(registry, actors)
    anonymous = api_client()

    listed = anonymous.get(_url(registry)).json()
    assert [item["public_id"] for item in listed["results"]] == [str(published.public_id)]
    assert anonymous.get(_url(registry, draft)).status_code == 404
    assert anonymous.get(_url(registry, published)).status_code == 200
    assert "created_by" not in anonymous.get(_url(registry, published)).json()
    assert anonymous.get(f"/edit/{registry.id}/{draft.public_id}/history/").status_code == 404
    history = anonymous.get(f"/edit/{registry.id}/{published.public_id}/history/")
    assert history.status_code == 200
    assert b"editor" not in history.content.split(b"<main")[1]
    assert anonymous.get("/api/changes/").status_code == 401


def test_schema_documents_every_registry():
    schema = Client().get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    from layers.registry import registries

    for registry in registries():
        assert f"/api/{registry.id}/records/{{public_id}}/" in paths
    assert Client().get("/api/docs/").status_code == 200


def test_options_on_a_record_answers_its_metadata_to_an_editor(actors):
    from layers.registry import registry_get

    trees = registry_get("trees")
    record = published_create(trees, actors)

    response = api_client(actors.editor).options(_url(trees, record))

    assert response.status_code == 200, response.content
    assert response.json()["name"]


@pytest.mark.parametrize(
    "query", ["limit=abc", "limit=0", "limit=-1", "offset=-1", "offset=1e3", "limit=²"]
)
def test_bad_paging_is_a_400_not_silently_the_default(actors, query):
    response = api_client(actors.editor).get(f"/api/trees/records/?{query}")

    assert response.status_code == 400
    assert set(response.json()) <= {"limit", "offset"}


def test_an_unknown_change_state_is_a_400(actors):
    response = api_client(actors.reviewer).get("/api/changes/?state=bogus")

    assert response.status_code == 400
    assert "pending" in response.json()["state"][0]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/trees/records/not-an-id/", "/api/trees/records/%0A/"])
def test_a_write_to_a_malformed_path_is_a_json_404_not_the_csrf_page(method, path):
    # enforce_csrf_checks: as a browser session or a script without a token meets the API.
    response = getattr(Client(enforce_csrf_checks=True), method)(
        path, data="{}", content_type="application/json"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
