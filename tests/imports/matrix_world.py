"""The bulk import's part of the permission matrix (tests/editing/permission_matrix.py): a
job in each of the matrix's import states, and the request each import route is sent."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from layers.imports import services
from layers.imports.preview import job_preview
from layers.models.imports import ImportJob
from layers.registry import registry_get
from tests.factories import CENTRE, _species

LON, LAT = CENTRE


def survey_csv(rows: int = 2, *, offset: float = 0.0) -> bytes:
    lines = ["lon,lat,Вид,Стан,Інвентарний номер"]
    for i in range(rows):
        lines.append(f"{LON + offset + i * 0.0001:.6f},{LAT:.6f},Липа серцелиста,добрий,M-{i:03d}")
    return ("\n".join(lines) + "\n").encode()


def job_in_state(actors, state: str) -> ImportJob:
    """A job of the editor in trees: taken in (with its preview), checked, committed."""
    _species()
    trees = registry_get("trees")
    job = services.import_create(
        registry=trees,
        user=actors.editor,
        upload=io.BytesIO(survey_csv()),
        file_name="matrix.csv",
    )
    job_preview(job)
    if state in ("import_validated", "import_committed"):
        job = services.import_check(job=job)
    if state == "import_committed":
        job = services.import_commit(job=job, user=actors.editor)
    job.refresh_from_db()
    return job


def db_state() -> list:
    """What a request to an import route may change."""
    return list(
        ImportJob.objects.order_by("id").values_list("id", "state", "mapping", "options", "layer")
    )


def mapping_data(job: ImportJob) -> dict:
    """The mapping form as the page sends it, with another duplicate distance."""
    data = {f"column-{name}": column for name, column in (job.mapping.get("columns") or {}).items()}
    data["key"] = job.mapping.get("key") or ""
    data["duplicate_distance_m"] = "2.5"
    data["then"] = "save"
    return data


def import_request(client, route: str, url: str, job: ImportJob | None):
    """The POST an import route is sent in the matrix (None: not an import route)."""
    if route.endswith("{registry}/import/"):
        upload = SimpleUploadedFile("matrix-new.csv", survey_csv(offset=0.001), "text/csv")
        return client.post(url, {"file": upload})
    if not route.startswith("edit/imports/"):
        return None
    if route.endswith("/reading/"):
        return client.post(url, {"source_crs": "EPSG:4326", "encoding": "", "layer": job.layer})
    if route.endswith("/mapping/"):
        return client.post(url, mapping_data(job))
    if route.endswith(("approve/", "reject/")):
        return client.post(url, {"comment": "matrix"})
    return client.post(url, {})
