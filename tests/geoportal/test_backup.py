"""The backup drill: `bin/backup create` (what `make backup` runs) of a portal with records,
history and a photo; the data changed afterwards; `bin/backup restore` into a fresh
database: the counts, the history and the photo files are those of the backup."""

import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from layers.editing import services
from layers.models.photos import Photo
from layers.registry import registry_get
from layers.services.photos import photo_add
from tests.editing.conftest import actors_create, published_create

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
TABLES = ("layers_tree", "layers_treehistory", "layers_photo", "layers_changerequest")
# The history triggers and the indexes come back too, not only the rows.
SCHEMA = {
    "triggers": "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal",
    "indexes": "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'",
}


def _jpeg():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, "JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{name}"


def _counts(name: str) -> dict:
    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname=name
    ) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def _run(*args, media: Path, database: str):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": _url(database), "MEDIA_ROOT": str(media)}
    done = subprocess.run(
        [str(ROOT / "bin" / "backup"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_backup_then_restore_gives_back_the_data_and_the_photos(tmp_path):
    call_command("load_boundary", verbosity=0)  # transactional tests empty every table
    actors = actors_create()
    trees = registry_get("trees")
    record = published_create(trees, actors)
    photo = photo_add(record=record, file=_jpeg(), alt_text="Липа")
    name = connection.settings_dict["NAME"]
    before = _counts(name)
    media = Path(settings.MEDIA_ROOT)

    _run("create", str(tmp_path / "backup"), media=media, database=name)
    assert (tmp_path / "backup" / "database.dump").stat().st_size > 0

    # Life goes on after the backup: a new draft, a changed record, a photo file lost.
    services.record_update(
        registry=trees, record=record, user=actors.editor, values={"notes": "later"},
        base_version=record.version,
    )  # fmt: skip
    values = {"species": record.species_id, "geom": record.geom}
    services.record_create(registry=trees, user=actors.editor, values=values)
    (media / photo.image.name).unlink()
    assert _counts(name) != before

    restored_media = tmp_path / "media"
    shutil.copytree(media, restored_media)
    restored = f"{name}_restored"
    try:
        _run("restore", str(tmp_path / "backup"), restored, media=restored_media, database=name)
        assert _counts(restored) == before
        assert (restored_media / photo.image.name).is_file()
        assert (restored_media / photo.thumbnail.name).is_file()
        assert Photo.objects.filter(pk=photo.pk).exists()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')


def test_a_damaged_backup_is_refused(tmp_path):
    name = connection.settings_dict["NAME"]
    media = Path(settings.MEDIA_ROOT)
    _run("create", str(tmp_path / "b"), media=media, database=name)
    with (tmp_path / "b" / "media.tar.gz").open("ab") as archive:
        archive.write(b"tampered")
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": _url(name), "MEDIA_ROOT": str(tmp_path / "m")}
    done = subprocess.run(
        [str(ROOT / "bin" / "backup"), "restore", str(tmp_path / "b"), f"{name}_never"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0 and "checksums" in done.stderr


def test_the_cluster_is_durable_and_only_test_sessions_skip_the_wait():
    with connection.cursor() as cursor:
        cursor.execute("SHOW fsync")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW full_page_writes")
        assert cursor.fetchone()[0] == "on"
        cursor.execute(
            "SELECT count(*) FROM pg_file_settings WHERE name = 'synchronous_commit'"
            " AND setting = 'off'"
        )
        assert cursor.fetchone()[0] == 0  # not off in the cluster's configuration files
        cursor.execute("SELECT source FROM pg_settings WHERE name = 'synchronous_commit'")
        assert cursor.fetchone()[0] == "client"  # off for this test session only
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "off"
