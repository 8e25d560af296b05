"""Facts about the machine and the software the numbers were taken with."""

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from bench import db
from bench.config import VAR


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def _mem_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)
    return 0.0


def _venv_version(venv: str, package: str) -> str:
    python = VAR / venv / "bin" / "python"
    if not python.exists():  # a narrowed run (BENCH_ONLY) straight from python -m bench
        return "missing"
    out = subprocess.run(  # noqa: S603 - the benchmark's own venv
        [str(python), "-c", f"from importlib.metadata import version; print(version('{package}'))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip() or "missing"


def _wrk_version() -> str:
    out = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)  # noqa: S607
    return (out.stdout or out.stderr).splitlines()[0].strip() if (out.stdout or out.stderr) else "?"


def facts() -> dict:
    with db.connect() as conn:
        postgres, postgis, jit = conn.execute(
            "SELECT current_setting('server_version'), postgis_lib_version(), "
            "current_setting('jit')"
        ).fetchone()
        shared_buffers, work_mem = conn.execute(
            "SELECT current_setting('shared_buffers'), current_setting('work_mem')"
        ).fetchone()
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _mem_gib(),
        "kernel": platform.release(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "postgresql": postgres,
        "postgis": postgis,
        "postgresql_settings": {"shared_buffers": shared_buffers, "work_mem": work_mem, "jit": jit},
        "django": metadata.version("django"),
        "psycopg": metadata.version("psycopg"),
        "djangorestframework-gis": metadata.version("djangorestframework-gis"),
        "gunicorn": metadata.version("gunicorn"),
        "pygeoapi": _venv_version("venv-pygeoapi", "pygeoapi"),
        "tipg": _venv_version("venv-tipg", "tipg"),
        "uvicorn (tipg)": _venv_version("venv-tipg", "uvicorn"),
        "wrk": _wrk_version(),
    }
