"""The production nginx site (``manage.py nginx_site``) in front of gunicorn, both real: TLS
with a certificate made here, one redirect from HTTP, the security headers, proxy headers a
client sends that change nothing, uploads up to the portal's own limits answered by the
portal, photos and static files served by nginx, tiles cached."""

import os
import shutil
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from layers.editing import services
from layers.editing.models import Role
from layers.registry import registry_get
from tests.editing.conftest import actors_create, photo_shown, published_create
from tests.factories import tiny_jpeg

pytestmark = [pytest.mark.server, pytest.mark.skipif(not shutil.which("nginx"), reason="nginx")]

VENV_BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    user, password = quote(db["USER"], safe=""), quote(db["PASSWORD"] or "", safe="")
    return f"postgis://{user}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """A published heritage object with a photo, and an editor's API token, committed (the
    server is another process)."""
    from rest_framework.authtoken.models import Token

    from layers.models import Hromada

    with django_db_blocker.unblock():
        had_boundary = Hromada.objects.exists()
        call_command("load_boundary", verbosity=0)
        actors = actors_create()
        heritage = registry_get("heritage")
        record = published_create(heritage, actors)
        photo = photo_shown(heritage, record, actors)
        token = Token.objects.create(user=actors.editor).key
        services.role_grant(user=actors.editor, registry=heritage, role=Role.EDITOR)
        yield {"record": record, "photo": photo, "token": token}
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django.contrib.auth import get_user_model

        from layers.editing.models import ChangeRequest, RegistryRole
        from layers.models.photos import Photo

        for model in (ChangeRequest, Photo, AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.all().delete()
        heritage.objects().all().delete()
        RegistryRole.objects.all().delete()
        get_user_model().objects.all().delete()
        if not had_boundary:
            Hromada.objects.all().delete()
        connections.close_all()


@pytest.fixture(scope="module")
def site(world, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nginx")
    app_port, http_port, https_port = _free_port(), _free_port(), _free_port()
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    static = tmp / "static"
    static.mkdir()
    (static / "probe.txt").write_text("static through nginx\n", encoding="utf-8")
    site_conf = tmp / "site.conf"
    call_command(
        "nginx_site",
        server_names=["127.0.0.1"],
        certificate=str(cert),
        certificate_key=str(key),
        upstream=f"127.0.0.1:{app_port}",
        http_port=http_port,
        https_port=https_port,
        ipv6=False,
        cache_dir=str(tmp / "cache"),
        static_root=str(static),
        media_root=settings.MEDIA_ROOT,
        output=str(site_conf),
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(
        f"{user}pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log warn;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n"
        f" client_body_temp_path {tmp}/body;\n proxy_temp_path {tmp}/proxy;\n"
        f" fastcgi_temp_path {tmp}/fastcgi;\n uwsgi_temp_path {tmp}/uwsgi;\n"
        f" scgi_temp_path {tmp}/scgi;\n include {site_conf};\n}}\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.geoportal.nginx_settings",
        "CONN_MAX_AGE": "0",
        "GEOPORTAL_BEHIND_PROXY": "true",
        "GEOPORTAL_MEDIA_X_ACCEL": "/protected-media/",
        "GEOPORTAL_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_HSTS_SECONDS": "3600",
        "SECURE_SSL_REDIRECT": "true",
    }
    app = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "geoportal.wsgi", "--bind", f"127.0.0.1:{app_port}",
         "--workers", "2", "--timeout", str(settings.GEOPORTAL_REQUEST_TIMEOUT_S),
         "--log-level", "warning"],
        env=env, cwd=settings.BASE_DIR,
    )  # fmt: skip
    nginx = subprocess.Popen(
        [NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    root = f"https://127.0.0.1:{https_port}"
    try:
        for _ in range(150):
            try:
                if _get(f"{root}/healthz").status_code == 200:
                    break
            except requests.RequestException:
                pass
            if nginx.poll() is not None:
                pytest.fail(f"nginx did not start: {nginx.stderr.read().decode()}")
            time.sleep(0.1)
        else:
            pytest.fail("nginx and gunicorn did not answer")
        yield {"https": root, "http": f"http://127.0.0.1:{http_port}", **world}
    finally:
        nginx.terminate()
        app.terminate()
        nginx.wait(timeout=10)
        app.wait(timeout=10)


def _get(url, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the certificate made above is self-signed
        return requests.get(url, verify=False, timeout=20, **kwargs)  # noqa: S501


def _post(url, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return requests.post(url, verify=False, timeout=60, **kwargs)  # noqa: S501


def test_https_answers_with_the_security_headers(site):
    response = _get(f"{site['https']}/")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=3600")
    assert "default-src" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_http_redirects_once_to_https(site):
    response = _get(f"{site['http']}/ogc/?f=json", allow_redirects=False)
    assert response.status_code == 301
    assert response.headers["Location"] == f"{site['https']}/ogc/?f=json"
    followed = _get(f"{site['http']}/ogc/?f=json")
    assert followed.status_code == 200 and len(followed.history) == 1


def test_proxy_headers_a_client_sends_change_nothing(site):
    from axes.models import AccessAttempt

    spoofed = {"X-Forwarded-Proto": "http", "X-Forwarded-For": "203.0.113.66"}
    landing = _get(f"{site['https']}/ogc/?f=json", headers=spoofed).json()
    own = [link["href"] for link in landing["links"] if "//127.0.0.1" in link["href"]]
    assert own and all(href.startswith(site["https"]) for href in own), own

    session = requests.Session()
    login = f"{site['https']}/admin/login/"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        session.get(login, timeout=20, verify=False)
        session.post(
            login,
            data={
                "username": "editor",
                "password": "wrong password here",
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            headers={**spoofed, "Referer": login},
            timeout=20,
            verify=False,
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_uploads_up_to_the_portals_limit_are_answered_by_the_portal(site):
    url = f"{site['https']}/api/heritage/records/{site['record'].public_id}/photos/"
    limit = settings.GEOPORTAL_PHOTO_MAX_BYTES
    auth = {"Authorization": f"Token {site['token']}", "Accept-Language": "en"}
    megabytes = str(limit // (1024 * 1024))
    photo = tiny_jpeg()
    for size, too_large in ((limit - 1024, False), (limit + 1024, True)):
        # A real photo, padded after its end to the size wanted (the portal re-encodes the
        # pixels; what follows the image is dropped).
        body = photo + b"\0" * (size - len(photo))
        response = _post(
            url,
            headers=auth,
            data={"alt_text": "Фасад"},
            files={"file": ("big.jpg", body, "image/jpeg")},
        )
        # Either way the portal's own answer in JSON, never nginx's 413 page: just under the
        # limit the photo is taken (staged for review), just over the portal says how large
        # a photo may be.
        assert response.headers["Content-Type"].startswith("application/json"), response.text
        if too_large:
            assert response.status_code == 400, response.text[:300]
            (message,) = response.json()["image"]
            assert megabytes in message, message
        else:
            assert response.status_code == 201, response.text[:300]
            assert response.json()["alt_text"] == "Фасад"


def test_photos_static_files_and_tiles_are_served_as_documented(site):
    photo = _get(f"{site['https']}/media/{site['photo'].image.name}")
    assert photo.status_code == 200 and photo.content[:3] == b"\xff\xd8\xff"
    assert photo.headers["X-Content-Type-Options"] == "nosniff"
    assert photo.headers["Content-Type"] == "image/jpeg"

    static = _get(f"{site['https']}/static/probe.txt")
    assert static.status_code == 200 and static.text == "static through nginx\n"
    assert "immutable" in static.headers["Cache-Control"]
    assert static.headers["Strict-Transport-Security"].startswith("max-age=")

    tile = f"{site['https']}/tiles/heritage/15/18841/11273.pbf"
    first, second = _get(tile), _get(tile)
    assert first.status_code in (200, 204) and second.status_code == first.status_code
    assert (first.headers["X-Cache-Status"], second.headers["X-Cache-Status"]) == ("MISS", "HIT")


def test_the_docker_stacks_nginx_file_is_the_rendering_of_the_settings():
    """docker/nginx.conf is what ``nginx_site --docker`` renders: the body limit and the
    timeout there are the portal's own (render it again when they change)."""
    import io

    out = io.StringIO()
    call_command("nginx_site", docker=True, stdout=out)
    committed = (Path(settings.BASE_DIR) / "docker" / "nginx.conf").read_text(encoding="utf-8")
    assert out.getvalue() == committed
