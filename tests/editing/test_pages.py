"""The editing pages: the map editor's form, stale saves, warnings, the review queue, the
history page, and the admin going through the workflow."""

import json

import pytest
from django.test import Client

from layers.editing import services
from layers.editing.models import ChangeRequest
from layers.models import Status, Tree
from layers.registry import registry_get
from tests.editing.conftest import draft_create, published_create
from tests.editing.test_permission_matrix import _form_data

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_editor_places_a_tree_and_gets_a_draft(actors):
    trees = registry_get("trees")
    response = _client(actors.editor).post("/edit/trees/new/", _form_data(trees, notes="new"))
    assert response.status_code == 302
    tree = Tree.objects.get(notes="new")
    assert (tree.status, tree.created_by, tree.version) == (Status.DRAFT, actors.editor, 1)
    assert response["Location"].endswith(f"/edit/trees/{tree.public_id}/")


def test_a_point_outside_the_hromada_is_refused_with_the_validators_message(actors):
    trees = registry_get("trees")
    data = _form_data(trees, geom=json.dumps({"type": "Point", "coordinates": [30.52, 50.45]}))
    response = _client(actors.editor).post("/en/edit/trees/new/", data)
    assert response.status_code == 400
    assert b"outside the hromada" in response.content
    assert not Tree.objects.exists()
    check = _client(actors.editor).post(
        "/en/edit/trees/check/",
        json.dumps({"geom": {"type": "Point", "coordinates": [30.52, 50.45]}}),
        content_type="application/json",
    )
    assert check.json()["ok"] is False and "outside the hromada" in check.json()["errors"][0]


def test_a_near_duplicate_tree_is_warned_about(actors):
    trees = registry_get("trees")
    draft_create(trees, actors.editor)
    check = _client(actors.editor).post(
        "/en/edit/trees/check/",
        json.dumps({"geom": {"type": "Point", "coordinates": [26.9965, 49.421604]}}),
        content_type="application/json",
    )
    assert check.json()["ok"] is True
    assert "duplicate" in check.json()["warnings"][0]


def test_a_save_on_a_stale_version_is_refused_and_says_what_changed(actors):
    trees = registry_get("trees")
    record = draft_create(trees, actors.editor, notes="a")
    stale_form = _form_data(trees, record, notes="mine")
    services.record_update(
        registry=trees,
        record=record,
        user=actors.editor2,
        values={"address": "вул. Нова"},
        base_version=1,
    )
    response = _client(actors.editor).post(f"/en/edit/trees/{record.public_id}/", stale_form)
    assert response.status_code == 409
    assert b"changed by someone else" in response.content
    assert b"address" in response.content and b"editor2" in response.content
    record.refresh_from_db()
    assert (record.notes, record.address) == ("a", "вул. Нова")


def test_review_queue_shows_old_and_new_values_and_approves(actors):
    trees = registry_get("trees")
    record = published_create(trees, actors, notes="old notes")
    editor = _client(actors.editor)
    editor.post(f"/en/edit/trees/{record.public_id}/", _form_data(trees, record, notes="new notes"))
    change = ChangeRequest.objects.get(state="pending")

    page = _client(actors.reviewer).get("/en/edit/review/?registry=trees")
    assert page.status_code == 200
    assert b"old notes" in page.content and b"new notes" in page.content
    assert f'id="geometry-{change.pk}"'.encode() in page.content
    assert _client(actors.editor).get("/en/edit/review/").status_code == 200

    response = _client(actors.reviewer).post(
        f"/en/edit/review/{change.pk}/approve/", {"comment": "fine"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.notes == "new notes"


def test_history_page_shows_versions_and_restores_one(actors):
    trees = registry_get("trees")
    record = draft_create(trees, actors.editor, notes="one")
    services.record_update(
        registry=trees,
        record=record,
        user=actors.editor,
        values={"notes": "two"},
        base_version=1,
    )
    page = _client(actors.editor).get(f"/en/edit/trees/{record.public_id}/history/")
    assert page.status_code == 200
    assert b"Version 2" in page.content and b"Restore version 1" in page.content
    first = trees.model.history.rel.related_model.objects.filter(pgh_obj_id=record.pk).first()
    _client(actors.editor).post(
        f"/en/edit/trees/{record.public_id}/history/{first.pgh_id}/restore/", {"base_version": 2}
    )
    record.refresh_from_db()
    assert (record.notes, record.version) == ("one", 3)


def _admin_form(page, **changes) -> dict:
    """What a browser posts from the admin's change page (its inlines' management forms
    included), with ``changes``."""
    from tests.editing.test_derived_values import _FormFields

    parser = _FormFields()
    parser.feed(page.content.decode())
    data = {k: v for k, v in parser.data.items() if k != "csrfmiddlewaretoken"}
    return {**data, **{k: [v] for k, v in changes.items()}}


def test_admin_saves_go_through_the_workflow(actors):
    trees = registry_get("trees")
    record = published_create(trees, actors, notes="public")
    admin = _client(actors.administrator)
    url = f"/en/admin/layers/tree/{record.pk}/change/"
    form = admin.get(url)
    assert form.status_code == 200 and b'name="base_version"' in form.content
    data = _admin_form(form, notes="via admin")
    response = admin.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    record.refresh_from_db()
    assert record.notes == "public"  # published: the change waits for review
    assert ChangeRequest.objects.get(state="pending").payload == {"notes": "via admin"}
    stale = admin.post(url, {**data, "base_version": [1], "notes": ["stale"]})
    assert stale.status_code == 200 and b"changed by someone else" in stale.content
