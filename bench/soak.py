"""`make soak`: the portal under steady load for SOAK_SECONDS (default 600), then PostgreSQL
killed while writes go on and started again.

1. A throwaway database (`geoportal_bench`) with 20,000 published trees and 200 drafts of an
   editor with an API token; gunicorn with 2 workers, as `make bench` starts ours.
2. Capacity: the request mix (90 % anonymous reads — OGC items in a bbox, a single item, a
   record page, a tile, the map's list; 10 % the editor's PATCHes with If-Match) as fast as
   4 client threads go, for 15 s. Then the soak: the same mix at 70 % of that rate, open
   loop, for SOAK_SECONDS. Errors are every answer but 200/202/204/304, and 412 for a write
   (a stale version: designed); worker restarts are changes of gunicorn's worker pids;
   memory is each worker's RSS after the warm-up and at the end.
3. The database kill: writes go on while PostgreSQL is stopped in immediate mode (no
   checkpoint, crash recovery at the next start: what SIGKILL does to a server's work) and
   started again; every answer while it is away must be 503 and come at once, the first
   success after it is back is timed, and every draft's history must end at its version.

Prints a table and writes var/bench/results-soak.json.
"""

import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter

from bench import client as http
from bench import data, db
from bench.config import CENTER, HOST, ROOT, VAR, WORKERS, bbox_1km
from bench.procs import Server, descendants

PORT = 18441
READ_SHARE = 0.9
TILE = (14, 9420, 5598)  # the z14 tile of the map centre


def _setup() -> dict:
    data.create_minimal()
    data.grow_trees(20_000, 0)
    out = subprocess.run(
        [sys.executable, "-m", "bench.soak_setup"],
        env=db.django_env(),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _server() -> Server:
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "geoportal.wsgi",
        f"--bind={HOST}:{PORT}",
        f"--workers={WORKERS}",
        "--timeout=60",
        "--log-level=warning",
    ]
    return Server("soak", cmd, PORT, db.django_env(), "/healthz", ROOT)


class Mix:
    """One request of the mix at a time; counts answers by kind and status."""

    def __init__(self, world: dict):
        self.world = world
        west, south, east, north = bbox_1km(CENTER)
        self.bbox = f"{west},{south},{east},{north}"
        self.lock = threading.Lock()
        self.counts: Counter = Counter()
        self.errors: Counter = Counter()
        self.latencies: list[float] = []

    def _read(self, rng) -> tuple[str, str]:
        tree = rng.choice(self.world["published"])
        return "read", rng.choice(
            [
                f"/ogc/collections/trees/items?limit=100&bbox={self.bbox}",
                f"/ogc/collections/trees/items/{tree}",
                f"/trees/{tree}/",
                "/tiles/trees/{}/{}/{}.pbf".format(*TILE),
                f"/map/list.json?collection=trees&bbox={self.bbox}",
            ]
        )

    def one(self, rng) -> None:
        started = time.perf_counter()
        try:
            if rng.random() < READ_SHARE:
                kind, path = self._read(rng)
                status = http.get(PORT, path, timeout=30).status
                ok = status in (200, 204, 304)
            else:
                kind = "write"
                status = self._write(rng)
                ok = status in (200, 202, 412)
        except OSError as exc:
            kind, status, ok = "error", type(exc).__name__, False
        elapsed = time.perf_counter() - started
        with self.lock:
            self.counts[(kind, status)] += 1
            self.latencies.append(elapsed)
            if not ok:
                self.errors[(kind, status)] += 1

    def _write(self, rng) -> int:
        draft = rng.choice(self.world["drafts"])
        path = f"/api/trees/records/{draft}/"
        headers = {"Authorization": f"Token {self.world['token']}"}
        got = http.get(PORT, path, timeout=30, headers=headers)
        if got.status != 200:
            return got.status
        body = json.dumps({"notes": f"soak {rng.random():.6f}"}).encode()
        headers.update(
            {"If-Match": got.headers.get("ETag", ""), "Content-Type": "application/json"}
        )
        return http.request(PORT, "PATCH", path, body=body, headers=headers, timeout=30).status


def _closed_loop(mix: Mix, seconds: float, threads: int = 4) -> float:
    """Requests per second of the mix as fast as ``threads`` clients go."""
    stop = time.monotonic() + seconds
    done = Counter()

    def run(index):
        rng = random.Random(index)  # noqa: S311 - load, not secrets
        while time.monotonic() < stop:
            mix.one(rng)
            done[index] += 1

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done.values()) / seconds


def _open_loop(mix: Mix, rate: float, seconds: float, threads: int = 8) -> None:
    """The mix at ``rate`` requests per second (each thread its share, on a schedule)."""
    stop = time.monotonic() + seconds
    interval = threads / rate

    def run(index):
        rng = random.Random(1000 + index)  # noqa: S311 - load, not secrets
        due = time.monotonic() + rng.random() * interval
        while due < stop:
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            mix.one(rng)
            due += interval

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def _workers(server: Server) -> dict[int, int]:
    """Gunicorn's worker pids and their RSS (kB)."""
    pids = [p for p in descendants(server.proc.pid) if p != server.proc.pid]
    out = {}
    for pid in pids:
        try:
            for line in open(f"/proc/{pid}/status").read().splitlines():  # noqa: SIM115
                if line.startswith("VmRSS:"):
                    out[pid] = int(line.split()[1])
        except OSError:
            pass
    return out


def _pg(*args: str) -> None:
    pg_bin = "/usr/lib/postgresql/15/bin"
    data_dir = str(ROOT / "var" / "pg" / "data")
    cmd = [f"{pg_bin}/pg_ctl", "-D", data_dir, *args]
    if os.getuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    subprocess.run(cmd, check=True, capture_output=True)  # noqa: S603 - fixed arguments


def _database_kill(world: dict) -> dict:
    mix = Mix(world)
    outage: list[tuple[str | int, float]] = []
    stop = threading.Event()

    def writes():
        rng = random.Random(7)  # noqa: S311 - load, not secrets
        while not stop.is_set():
            mix.one(rng)

    writer = threading.Thread(target=writes)
    writer.start()
    time.sleep(3)
    _pg("-m", "immediate", "stop")
    down_at = time.monotonic()
    for _ in range(10):
        started = time.perf_counter()
        try:
            status = http.get(PORT, f"/trees/{world['published'][0]}/", timeout=10).status
        except OSError as exc:
            status = type(exc).__name__
        outage.append((status, round(time.perf_counter() - started, 3)))
        time.sleep(0.2)
    _pg("-l", str(ROOT / "var" / "pg" / "server.log"), "-w", "start")
    up_at = time.monotonic()
    first_success = None
    while time.monotonic() - up_at < 60:
        try:
            if http.get(PORT, f"/trees/{world['published'][0]}/", timeout=10).status == 200:
                first_success = round(time.monotonic() - up_at, 2)
                break
        except OSError:
            pass
        time.sleep(0.1)
    time.sleep(3)
    stop.set()
    writer.join()
    with db.connect() as conn:
        (stale,) = conn.execute(
            """SELECT count(*) FROM layers_tree t WHERE t.status = 'draft' AND t.version <>
               (SELECT max(h.version) FROM layers_treehistory h WHERE h.pgh_obj_id = t.id)"""
        ).fetchone()
    return {
        "down_s": round(up_at - down_at, 1),
        "while_down": outage,
        "first_success_after_start_s": first_success,
        "answers": {f"{k[0]} {k[1]}": v for k, v in mix.counts.items()},
        "drafts_whose_history_ends_elsewhere": stale,
    }


def main() -> int:
    seconds = int(os.environ.get("SOAK_SECONDS", "600"))
    started = time.perf_counter()
    print("Soak: building the database...", flush=True)
    world = _setup()
    server = _server()
    server.start()
    results: dict = {"seconds": seconds, "workers": WORKERS}
    try:
        warm = Mix(world)
        _closed_loop(warm, 5)
        capacity = _closed_loop(Mix(world), 15)
        rate = 0.7 * capacity
        print(f"  capacity {capacity:.0f} req/s; soaking at {rate:.0f} req/s for {seconds} s")
        before = _workers(server)
        mix = Mix(world)
        _open_loop(mix, rate, seconds)
        after = _workers(server)
        latencies = sorted(mix.latencies)
        results.update(
            capacity_rps=round(capacity, 1),
            rate_rps=round(rate, 1),
            requests=len(latencies),
            median_ms=round(latencies[len(latencies) // 2] * 1000, 1),
            p99_ms=round(latencies[int(len(latencies) * 0.99)] * 1000, 1),
            answers={f"{k[0]} {k[1]}": v for k, v in sorted(mix.counts.items(), key=str)},
            errors={f"{k[0]} {k[1]}": v for k, v in mix.errors.items()},
            worker_restarts=len(set(before) ^ set(after)) // 2,
            worker_rss_mb_start={str(p): round(k / 1024, 1) for p, k in before.items()},
            worker_rss_mb_end={str(p): round(k / 1024, 1) for p, k in after.items()},
        )
        print(f"  errors: {results['errors'] or 'none'}; restarts: {results['worker_restarts']}")
        print("Killing PostgreSQL (immediate stop) during writes, then starting it...")
        results["database_kill"] = _database_kill(world)
    finally:
        server.stop()
        results["elapsed_s"] = round(time.perf_counter() - started, 1)
        VAR.mkdir(parents=True, exist_ok=True)
        (VAR / "results-soak.json").write_text(json.dumps(results, indent=1))
    print(json.dumps(results, indent=1))
    return 0 if not results.get("errors") else 1


if __name__ == "__main__":
    sys.exit(main())
