"""Print (or write) the portal's nginx site, rendered from the portal's own settings."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template import Context, Engine

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "geoportal.conf"
PROXY_PARAMS = Path(settings.BASE_DIR) / "deploy" / "nginx" / "proxy_params.conf"
# docker/compose.yaml's paths and names (`--docker`; docker/nginx.conf is this rendering).
DOCKER = {
    "server_names": ["_"],
    "upstream": "app:8000",
    "static_root": "/srv/static",
    "media_root": "/srv/media",
    "proxy_params": "/etc/nginx/geoportal_proxy_params.conf",
    "hsts_seconds": 31536000,
    "hsts_preload": True,
    "note": "docker/compose.yaml: `manage.py nginx_site --docker --output docker/nginx.conf`",
}
FORM_MARGIN_BYTES = 1024 * 1024  # the multipart form around the largest file
TIMEOUT_MARGIN_S = 5


def body_limit_bytes() -> int:
    """The largest request body the portal takes: its largest upload plus the form."""
    largest = max(settings.GEOPORTAL_IMPORT_MAX_BYTES, settings.GEOPORTAL_PHOTO_MAX_BYTES)
    return int(largest) + FORM_MARGIN_BYTES


def site_render(**options) -> str:
    hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]
    context = {
        "server_names": " ".join(options.get("server_names") or hosts) or "_",
        "upstream": options.get("upstream") or "127.0.0.1:8000",
        "http_port": int(options.get("http_port") or 80),
        "https_port": int(options.get("https_port") or 443),
        "ipv6": options.get("ipv6", True),
        "certificate": options.get("certificate") or "/etc/ssl/geoportal/fullchain.pem",
        "certificate_key": options.get("certificate_key") or "/etc/ssl/geoportal/privkey.pem",
        "cache_dir": options.get("cache_dir") or "/var/cache/nginx/geoportal-tiles",
        "static_root": str(options.get("static_root") or settings.STATIC_ROOT).rstrip("/"),
        "media_root": str(options.get("media_root") or settings.MEDIA_ROOT).rstrip("/"),
        "media_accel": settings.GEOPORTAL_MEDIA_X_ACCEL or "/protected-media/",
        "proxy_params": options.get("proxy_params") or str(PROXY_PARAMS),
        "body_limit": body_limit_bytes(),
        "read_timeout": int(settings.GEOPORTAL_REQUEST_TIMEOUT_S) + TIMEOUT_MARGIN_S,
        "hsts_seconds": int(
            options.get("hsts_seconds") or settings.SECURE_HSTS_SECONDS or 31536000
        ),
        # As the app's own header says it (SECURE_HSTS_PRELOAD, on in production).
        "hsts_preload": options.get(
            "hsts_preload", getattr(settings, "SECURE_HSTS_PRELOAD", False)
        ),
        "note": options.get("note") or "",
    }
    engine = Engine(autoescape=False)
    return engine.from_string(TEMPLATE.read_text(encoding="utf-8")).render(Context(context))


class Command(BaseCommand):
    help = (
        "Render the nginx site (TLS, redirect, static, media, tile cache) with the body limit "
        "and timeouts the portal's settings give."
    )

    def add_arguments(self, parser):
        parser.add_argument("--server-name", action="append", dest="server_names")
        parser.add_argument("--certificate", help="fullchain.pem (e.g. Let's Encrypt's)")
        parser.add_argument("--certificate-key", help="privkey.pem")
        parser.add_argument("--upstream", help="gunicorn's address (default 127.0.0.1:8000)")
        parser.add_argument("--http-port", type=int)
        parser.add_argument("--https-port", type=int)
        parser.add_argument("--no-ipv6", dest="ipv6", action="store_false")
        parser.add_argument("--cache-dir")
        parser.add_argument("--static-root")
        parser.add_argument("--media-root")
        parser.add_argument("--proxy-params", help="where proxy_params.conf is installed")
        parser.add_argument("--hsts-seconds", type=int)
        parser.add_argument("--note", help="a comment for the file's head")
        parser.add_argument("--output", help="write here instead of printing")
        parser.add_argument(
            "--docker", action="store_true", help="docker/compose.yaml's paths and names"
        )

    def handle(self, *args, output=None, docker=False, **options):
        if docker:
            options = {**options, **DOCKER}
        text = site_render(**options)
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc}") from exc
