"""One import through the product's services, as the worker runs it: take the file in, check
every row, commit. Prints one JSON line: seconds per step and the rows written. Run by
``bench.imports`` on the benchmark database (``python -m bench.import_run FILE``)."""

import json
import sys
import time
from pathlib import Path


def main(path: Path) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from bench.imports import MAPPING
    from layers.imports import services
    from layers.imports.mapping import ColumnMapping, suggest_values
    from layers.models.imports import ImportState
    from layers.registry import registry_get

    user, _ = get_user_model().objects.get_or_create(
        username="bench-import", defaults={"is_superuser": True, "is_staff": True}
    )
    registry = registry_get("trees")
    started = time.perf_counter()
    with path.open("rb") as upload:
        job = services.import_create(
            registry=registry, user=user, upload=upload, file_name=path.name
        )
    # The columns as staff would map them on the mapping page (the values suggested).
    samples = {column: set() for column in MAPPING.values()}
    mapping = ColumnMapping(columns=dict(MAPPING), values=job.mapping.get("values", {}))
    if not mapping.values:
        mapping.values = suggest_values(registry, mapping.columns, samples)
    job.mapping = mapping.as_json()
    job.save(update_fields=["mapping"])
    created = time.perf_counter()
    job = services.import_check(job=job)
    checked = time.perf_counter()
    if job.state != ImportState.VALIDATED:
        return {"error": f"check ended {job.state}: {job.message}", "bad": job.rows_bad}
    job = services.import_commit(job=job, user=user)
    committed = time.perf_counter()
    return {
        "peak_rss_mb": _own_peak_mb(),
        "create_s": round(created - started, 2),
        "check_s": round(checked - started, 2),  # taking the file in, reading, checking
        "commit_s": round(committed - checked, 2),
        "committed": job.rows_new + job.rows_changed,
    }


def _own_peak_mb() -> float:
    """This process's own peak resident memory (VmHWM). Not the rusage the parent gets from
    wait4: Linux carries the peak of the image a child was forked (vforked) from across exec,
    so a benchmark runner that once held gigabytes reports them for every child."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)  # kB
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
