"""The editing API reads and writes a record's parts whole, through the same services: a
change of a published record's parts answers 202 and waits for review, bad parts answer 400
naming the item and field, a photo is uploaded first and then listed."""

import pytest

from layers.editing.parts import parts_read
from layers.registry import registry_get
from tests.editing.conftest import api_client, published_create
from tests.factories import part_item, tiny_jpeg

pytestmark = pytest.mark.django_db


def _patch(client, registry, record, body):
    return client.patch(
        f"/api/{registry.id}/records/{record.public_id}/",
        body,
        format="json",
        HTTP_IF_MATCH=f'"{record.version}"',
    )


def test_staff_read_the_parts_and_the_public_does_not(actors):
    registry = registry_get("waste-sites")
    record = published_create(registry, actors)
    staff = api_client(actors.editor).get(f"/api/{registry.id}/records/{record.public_id}/")
    public = api_client().get(f"/api/{registry.id}/records/{record.public_id}/")
    assert staff.json()["parts"] == {"containers": [], "photos": []}
    assert "parts" not in public.json()


def test_a_change_of_parts_through_the_api_waits_for_review_and_then_applies(actors):
    registry = registry_get("waste-sites")
    record = published_create(registry, actors)
    item = part_item(registry, "containers", record, actors.editor)

    body = {"parts": {"containers": [item]}}
    proposed = _patch(api_client(actors.editor), registry, record, body)

    assert proposed.status_code == 202, proposed.content
    assert proposed.json()["payload"]["parts"]["containers"][0]["fraction"] == "glass"
    assert parts_read(registry, record)["containers"] == []
    approved = api_client(actors.reviewer).post(
        f"/api/changes/{proposed.json()['id']}/approve/", {}, format="json"
    )
    assert approved.status_code == 200, approved.content
    after = api_client(actors.editor).get(f"/api/{registry.id}/records/{record.public_id}/")
    assert [c["volume_l"] for c in after.json()["parts"]["containers"]] == [1100]
    assert after["ETag"] == f'"{record.version + 1}"'


@pytest.mark.parametrize(
    ("parts", "key"),
    [
        ({"containers": [{"fraction": "plutonium", "volume_l": 10}]}, "containers.0.fraction"),
        ({"containers": [{"fraction": "glass", "volume_l": -5}]}, "containers.0.volume_l"),
        ({"containers": "lots"}, "containers"),
        ({"wheels": []}, "parts.wheels"),
    ],
)
def test_bad_parts_answer_400_with_the_item_and_field(actors, parts, key):
    registry = registry_get("waste-sites")
    record = published_create(registry, actors)
    version = record.version
    response = _patch(api_client(actors.editor), registry, record, {"parts": parts})
    assert response.status_code == 400, response.content
    assert key in response.json()
    record.refresh_from_db()
    assert record.version == version and parts_read(registry, record)["containers"] == []


def test_parts_that_are_not_an_object_answer_400(actors):
    registry = registry_get("waste-sites")
    record = published_create(registry, actors)
    response = _patch(api_client(actors.editor), registry, record, {"parts": [1, 2]})
    assert response.status_code == 400
    assert "parts" in response.json()


def test_a_photo_is_uploaded_then_listed_and_shown_once_approved(actors):
    from django.core.files.uploadedfile import SimpleUploadedFile

    registry = registry_get("heritage")
    record = published_create(registry, actors)
    editor = api_client(actors.editor)
    upload = editor.post(
        f"/api/{registry.id}/records/{record.public_id}/photos/",
        {
            "file": SimpleUploadedFile("a.jpg", tiny_jpeg(), content_type="image/jpeg"),
            "alt_text": "Фасад",
        },
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    item = upload.json()
    assert parts_read(registry, record)["photos"] == []  # staged, not shown

    proposed = _patch(editor, registry, record, {"parts": {"photos": [item]}})
    assert proposed.status_code == 202, proposed.content
    api_client(actors.reviewer).post(f"/api/changes/{proposed.json()['id']}/approve/", {})
    assert [p["id"] for p in parts_read(registry, record)["photos"]] == [item["id"]]


def test_a_bad_upload_answers_400_and_an_outsider_403(actors):
    from django.core.files.uploadedfile import SimpleUploadedFile

    registry = registry_get("heritage")
    record = published_create(registry, actors)
    url = f"/api/{registry.id}/records/{record.public_id}/photos/"
    text = SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")
    bad = api_client(actors.editor).post(url, {"file": text, "alt_text": "x"}, format="multipart")
    assert bad.status_code == 400 and "image" in bad.json()
    image = SimpleUploadedFile("a.jpg", tiny_jpeg(), content_type="image/jpeg")
    outsider = api_client(actors.outsider).post(
        url, {"file": image, "alt_text": "x"}, format="multipart"
    )
    assert outsider.status_code == 403


HOSTILE = [
    ("waste-sites", {"containers": [{"fraction": "glass", "count": 10**30, "volume_l": 100}]}),
    (
        "waste-sites",
        {"containers": [{"fraction": "glass", "volume_l": 100, "collection_days": [8]}]},
    ),
    (
        "waste-sites",
        {"containers": [{"fraction": "glass", "volume_l": 100, "collection_days": ["x"]}]},
    ),
    ("waste-sites", {"containers": [{"fraction": ["glass"], "volume_l": {"a": 1}}]}),
    ("waste-sites", {"containers": [{"id": [1, 2], "fraction": "glass", "volume_l": 100}]}),
    ("waste-sites", {"containers": [{"fraction": "glass", "volume_l": 100}] * 1001}),
    ("trees", {"events": [{"kind": "inspection", "occurred_on": "2026-13-45"}]}),
    ("trees", {"events": [{"public_id": "not-a-uuid", "kind": "inspection"}]}),
    (
        "trees",
        {
            "events": [
                {"kind": "inspection", "occurred_on": "2026-01-01", "act_number": "x" * 10_000}
            ]
        },
    ),
    (
        "accessibility",
        {"assessments": [{"year": 2025, "template": 10**12, "assessed_on": "2025-07-01"}]},
    ),
    ("accessibility", {"assessments": [{"year": 2025, "answers": ["yes"]}]}),
    ("accessibility", {"assessments": [{"year": 2025, "answers": {"1e9": "yes"}}]}),
    ("protection-zones", {"heritage_objects": [{"public_id": {"$ne": 1}}]}),
    (
        "protection-zones",
        {"heritage_objects": [{"public_id": "00000000-0000-0000-0000-000000000000"}]},
    ),
    ("heritage", {"photos": [{"id": -1, "alt_text": "x"}]}),
    ("heritage", {"photos": [{"id": 2**70, "alt_text": "x"}]}),
]


@pytest.mark.parametrize(("registry_id", "parts"), HOSTILE)
def test_hostile_parts_answer_400_and_change_nothing(actors, registry_id, parts):
    registry = registry_get(registry_id)
    record = published_create(registry, actors)
    version = record.version
    response = _patch(api_client(actors.editor), registry, record, {"parts": parts})
    assert response.status_code == 400, response.content[:500]
    assert isinstance(response.json(), dict)
    record.refresh_from_db()
    assert record.version == version
