"""One HTTP GET on loopback, timed to the last byte; paging through OGC ``next`` links; wrk."""

import http.client
import json
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bench.config import HOST

LUA = Path(__file__).with_name("wrk_report.lua")
_NEXT = re.compile(rb'\{[^{}]*"rel"\s*:\s*"next"[^{}]*\}')


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    seconds: float


def get(port: int, path: str, timeout: float = 900.0, headers: dict | None = None) -> Response:
    """GET http://127.0.0.1:port/path on a fresh connection, read to the end."""
    return request(port, "GET", path, timeout=timeout, headers=headers)


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict | None = None,
    timeout: float = 900.0,
) -> Response:
    """One request on a fresh connection to 127.0.0.1:port, read to the end, timed."""
    if not path.startswith("/"):
        raise ValueError(path)
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    started = time.perf_counter()
    try:
        conn.request(
            method, path, body=body, headers={"Accept-Encoding": "identity", **(headers or {})}
        )
        resp = conn.getresponse()
        chunks = []
        while block := resp.read(1 << 20):
            chunks.append(block)
        seconds = time.perf_counter() - started
        return Response(resp.status, dict(resp.getheaders()), b"".join(chunks), seconds)
    finally:
        conn.close()


def next_path(body: bytes, port: int) -> str | None:
    """The path of a GeoJSON page's ``next`` link on the same server, if any."""
    for match in _NEXT.finditer(body[:20_000] + b" " + body[-20_000:]):
        link = json.loads(match.group())
        href = link.get("href", "")
        parts = urlsplit(urljoin(f"http://{HOST}:{port}/", href))
        if parts.hostname in (HOST, "localhost") and parts.port in (port, None):
            return parts.path + ("?" + parts.query if parts.query else "")
    return None


def get_all_pages(port: int, path: str, max_pages: int = 1000) -> tuple[list[Response], float]:
    """Follow ``next`` links (time spent finding them excluded); return the pages and the
    seconds spent in HTTP."""
    pages, seconds = [], 0.0
    while path and len(pages) < max_pages:
        resp = get(port, path)
        pages.append(resp)
        seconds += resp.seconds
        if resp.status != 200:
            break
        path = next_path(resp.body, port)
    return pages, seconds


def wrk(port: int, paths: list[str], connections: int, seconds: int) -> dict:
    """Closed-loop load with wrk on loopback, bounded by ``seconds``."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(paths) + "\n")
    cmd = [
        "wrk",
        f"-t{min(connections, 2)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(LUA),
        f"http://{HOST}:{port}",
    ]
    try:
        out = subprocess.run(  # noqa: S603 - wrk with our own arguments, loopback only
            cmd,
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            env={"BENCH_PATHS_FILE": handle.name, "PATH": "/usr/bin:/bin"},
            check=False,
        )
    finally:
        Path(handle.name).unlink()
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {out.stderr.strip() or out.stdout.strip()}")
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["connections"] = connections
    return result
