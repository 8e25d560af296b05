"""Photos are served to those who may see their record — a published record's to everyone,
a draft's, or one waiting for review, to its registry's staff only — as JPEG with nosniff;
nothing else of the media folder (import files) is ever served, and an unknown file answers
as a hidden one does."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image

from layers.models.imports import ImportJob
from layers.registry import registry_get
from layers.services.photos import photo_add
from tests.editing.conftest import actors_create, draft_create, photo_shown, published_create

pytestmark = pytest.mark.django_db


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 60)).save(out, "JPEG")
    return SimpleUploadedFile("tree.jpg", out.getvalue(), content_type="image/jpeg")


def _get(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_a_published_records_photo_is_served_and_a_drafts_only_to_staff():
    actors = actors_create()
    trees = registry_get("trees")
    public = photo_shown(trees, published_create(trees, actors), actors, alt_text="Липа")
    hidden = photo_shown(trees, draft_create(trees, actors.editor), actors, alt_text="Дуб")
    staged = photo_add(record=published_create(trees, actors), file=_jpeg(), alt_text="Клен")
    anonymous = Client()

    for name in (public.image.name, public.thumbnail.name):
        response, body = _get(anonymous, f"/media/{name}")
        assert response.status_code == 200 and body[:3] == b"\xff\xd8\xff"
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"

    response, _body = _get(anonymous, f"/media/{hidden.image.name}")
    waiting, _waiting_body = _get(anonymous, f"/media/{staged.image.name}")
    unknown, _unknown_body = _get(anonymous, "/media/photos/2026/12/no-such.jpg")
    assert response.status_code == waiting.status_code == unknown.status_code == 404
    staff = Client()
    staff.force_login(actors.editor)
    response, body = _get(staff, f"/media/{hidden.image.name}")
    assert response.status_code == 200 and response["Cache-Control"].startswith("private")


def test_import_files_and_paths_outside_photos_are_never_served(tmp_path):
    actors = actors_create()
    from layers.imports import services

    path = tmp_path / "survey.csv"
    path.write_text("lon,lat\n26.99,49.42\n", encoding="utf-8")
    with path.open("rb") as upload:
        job = services.import_create(
            registry=registry_get("trees"), user=actors.editor, upload=upload, file_name="s.csv"
        )
    assert ImportJob.objects.filter(pk=job.pk).exists()
    admin = Client()
    admin.force_login(actors.administrator)
    for url in (
        f"/media/{job.file.name}",
        "/media/photos/../imports/x.csv",
        "/media/photos/%2e%2e/imports/x.csv",
        "/media/..%2fsettings.py",
    ):
        assert _get(admin, url)[0].status_code == 404, url


@override_settings(GEOPORTAL_MEDIA_X_ACCEL="/protected-media/")
def test_behind_nginx_the_app_decides_and_nginx_sends():
    actors = actors_create()
    trees = registry_get("trees")
    photo = photo_shown(trees, published_create(trees, actors), actors, alt_text="Клен")
    response, body = _get(Client(), f"/media/{photo.image.name}")
    assert response.status_code == 200 and body == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.image.name}"
