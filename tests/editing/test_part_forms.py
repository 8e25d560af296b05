"""The editor page edits a record's parts beside its values: rows for each part, an empty
row to add one, a removal box; a change of a published record's parts is proposed with the
values as one change, and a bad row is shown where it is, with nothing saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from layers.editing.models import ChangeRequest, ChangeState
from layers.editing.parts import parts_read
from layers.registry import registry_get
from tests.editing.conftest import draft_create, published_create
from tests.editing.test_derived_values import _FormFields
from tests.factories import tiny_jpeg

pytestmark = pytest.mark.django_db


def _page(client, registry, record):
    url = f"/en/edit/{registry.id}/{record.public_id}/"
    page = client.get(url)
    assert page.status_code == 200
    parser = _FormFields()
    parser.feed(page.content.decode())
    data = {k: v for k, v in parser.data.items() if k != "csrfmiddlewaretoken"}
    return url, page.content.decode(), data


@pytest.fixture
def editor(actors):
    client = Client()
    client.force_login(actors.editor)
    return client


def test_the_editor_shows_a_group_of_rows_per_part(actors, editor):
    registry = registry_get("waste-sites")
    record = draft_create(registry, actors.editor)
    _url, page, data = _page(editor, registry, record)
    assert "part-containers-TOTAL_FORMS" in data and "part-photos-TOTAL_FORMS" in data
    assert "Add: containers" in page and 'enctype="multipart/form-data"' in page


def test_containers_added_on_the_editor_page_wait_for_review_with_the_values(actors, editor):
    registry = registry_get("waste-sites")
    record = published_create(registry, actors)
    url, _page_html, data = _page(editor, registry, record)
    data.update(
        {
            "notes": ["нові контейнери"],
            "part-containers-0-fraction": ["glass"],
            "part-containers-0-count": ["3"],
            "part-containers-0-volume_l": ["1100"],
            "part-containers-0-collection_days": ["2", "5"],
        }
    )
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    change = ChangeRequest.objects.get(record_id=record.pk, state=ChangeState.PENDING)
    assert change.payload["notes"] == "нові контейнери"
    assert change.payload["parts"]["containers"][0]["collection_days"] == [2, 5]
    assert parts_read(registry, record)["containers"] == []


def test_a_bad_row_is_shown_on_the_row_and_nothing_is_saved(actors, editor):
    registry = registry_get("waste-sites")
    record = draft_create(registry, actors.editor)
    url, _page_html, data = _page(editor, registry, record)
    data.update(
        {
            "part-containers-0-fraction": ["glass"],
            "part-containers-0-count": ["1"],
            "part-containers-0-volume_l": ["900000"],  # more than any container holds
        }
    )
    response = editor.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "need correcting" in html or "field-error" in html
    record.refresh_from_db()
    assert record.version == 1 and parts_read(registry, record)["containers"] == []


def test_a_tree_log_entry_is_removed_with_the_removal_box(actors, editor):
    from layers.editing import services

    registry = registry_get("trees")
    record = draft_create(registry, actors.editor)
    services.record_update(
        registry=registry,
        record=record,
        user=actors.editor,
        values={},
        parts={"events": [{"kind": "inspection", "occurred_on": "2026-05-01"}]},
        base_version=record.version,
    )
    url, _page_html, data = _page(editor, registry, record)
    data["part-events-0-DELETE"] = ["on"]
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record.refresh_from_db()
    assert parts_read(registry, record)["events"] == []


def test_a_photo_uploaded_on_the_editor_page_is_staged_then_attached(actors, editor):
    registry = registry_get("heritage")
    record = draft_create(registry, actors.editor)
    url, _page_html, data = _page(editor, registry, record)
    data["part-photos-0-alt_text"] = ["Фасад з вулиці"]
    data["part-photos-0-upload"] = SimpleUploadedFile(
        "facade.jpg", tiny_jpeg(), content_type="image/jpeg"
    )
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    photos = parts_read(registry, record)["photos"]
    assert [p["alt_text"] for p in photos] == ["Фасад з вулиці"]


def test_a_photo_without_alt_text_is_refused_on_its_row(actors, editor):
    from layers.models.photos import Photo

    registry = registry_get("heritage")
    record = draft_create(registry, actors.editor)
    url, _page_html, data = _page(editor, registry, record)
    data["part-photos-0-upload"] = SimpleUploadedFile(
        "facade.jpg", tiny_jpeg(), content_type="image/jpeg"
    )
    response = editor.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "need correcting" in html and "This field is required" in html
    assert not Photo.objects.exists()
