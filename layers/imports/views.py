"""The bulk-import pages, under /edit/: the upload, the job page (what was detected, the
preview map, the mapping, the check's progress and report, the commit), its progress as JSON
and the report's downloads. The review of an import's batch is in ``review_views``.

Who sees a job: its user, and the editors, reviewers and administrators of its registry;
everyone else gets 404. Changing it (reading options, mapping, check, commit) needs the right
to create records in the registry.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from layers.editing.errors import NotPermitted
from layers.editing.permissions import Action, user_can
from layers.editing.views.common import with_registry
from layers.imports import queue, services
from layers.imports.access import job_get, job_url, recent_imports, require_create
from layers.imports.checking import mapped_fields_without_column
from layers.imports.forms import (
    CRS_CHOICES,
    MappingFileForm,
    MappingForm,
    ReadingForm,
    UploadForm,
    import_limits,
)
from layers.imports.mapping import ColumnMapping
from layers.imports.preview import (
    distinct_values,
    encoding_how,
    has_report,
    job_preview,
    job_reread,
    map_features,
)
from layers.imports.report import (
    PAGE_SIZE,
    attachment,
    problems_page,
    report_counts,
    report_csv,
    report_xlsx,
)
from layers.imports.status import job_progress
from layers.models.imports import ImportJob, ImportState
from layers.selectors.boundary import hromada_boundary_geojson

# States in which the mapping and the reading of the file may still change.
OPEN_STATES = (ImportState.UPLOADED, ImportState.VALIDATED, ImportState.REFUSED, ImportState.FAILED)


# --- Upload -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@with_registry(Action.CREATE)
def import_upload(request, registry):
    """Upload a file to import into the registry; a refused file stores nothing (400)."""
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.import_create(
                    registry=registry,
                    user=request.user,
                    upload=upload,
                    file_name=upload.name,
                    **form.reading(),
                )
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            except NotPermitted:
                raise PermissionDenied from None
            else:
                job_preview(job)
                return HttpResponseRedirect(job_url(job))
        status = 400
    else:
        form = UploadForm()
    return render(
        request,
        "layers/imports/upload.html",
        {
            "registry": registry,
            "form": form,
            "limits": import_limits(),
            "imports": recent_imports(registry, request.user),
        },
        status=status,
    )


# --- The job page -----------------------------------------------------------------------


def _map_config(job: ImportJob) -> dict:
    return {
        "boundary": hromada_boundary_geojson(),
        "features": map_features(job),
        "labels": {
            "read": _("as read from the file"),
            "new": _("new record"),
            "changed": _("change of a record"),
            "unchanged": _("no change"),
            "refused": _("refused"),
            "outside": _("outside the hromada"),
            "row": _("Row %(row)s"),
            "boundary": _("boundary of the hromada"),
        },
    }


def _detected(job: ImportJob, preview: dict) -> dict:
    info = preview.get("info") or {}
    given = (job.options or {}).get("given", {})
    crs_label = dict(CRS_CHOICES).get(job.source_crs, job.source_crs) if job.source_crs else ""
    if given.get("crs"):
        crs_how = _("as you chose")
    elif job.source_crs:
        crs_how = _("as the file says")
    else:
        crs_how = _("the file does not say: WGS 84 longitude and latitude are assumed")
    return {
        "info": info,
        "encoding_how": encoding_how(info.get("encoding_detected")),
        "crs_label": crs_label or _("WGS 84, degrees (EPSG:4326)"),
        "crs_how": crs_how,
        "layers": info.get("layers") or (job.options or {}).get("layers") or [],
        "layer_row_counts": info.get("layer_row_counts") or {},
    }


def _report(request, job, registry) -> dict | None:
    if not has_report(job):
        return None
    kind = request.GET.get("kind", "all")
    column = request.GET.get("column", "")
    field = request.GET.get("field", "")
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    problems, total, page, pages, columns, fields = problems_page(
        job, registry, kind=kind, column=column, field=field, page=page
    )
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "counts": report_counts(job),
        "problems": problems,
        "total": total,
        "page": page,
        "pages": pages,
        "first": (page - 1) * PAGE_SIZE + 1,
        "last": (page - 1) * PAGE_SIZE + len(problems),
        "columns": columns,
        "fields": fields,
        "kind": kind if kind in ("all", "errors", "warnings") else "all",
        "column": column,
        "field": field,
        "query": query.urlencode(),
        "filtered": bool(column or field or kind != "all"),
    }


def _render_job(request, job, registry, *, mapping_form=None, reading_form=None, status=200):
    preview = job_preview(job)
    can_change = user_can(request.user, Action.CREATE, registry)
    editable = can_change and job.state in OPEN_STATES
    if mapping_form is None:
        mapping_form = MappingForm(
            job=job, registry=registry, distinct_values=lambda c: distinct_values(job, c)
        )
    if reading_form is None:
        reading_form = ReadingForm(job=job)
    mapping = ColumnMapping.from_json(job.mapping or {})
    earlier = services.earlier_import(job) if job.state == ImportState.UPLOADED else None
    progress = job_progress(job)
    context = {
        "registry": registry,
        "job": job,
        "preview": preview,
        "detected": _detected(job, preview),
        "map_config": _map_config(job),
        "mapping_form": mapping_form,
        "mapping_file_form": MappingFileForm(registry=registry),
        "reading_form": reading_form,
        "unmapped_required": [
            str(registry_field.verbose_name)
            for registry_field in mapping_form.registry_fields
            if registry_field.name in mapped_fields_without_column(registry, mapping)
        ],
        "earlier": earlier,
        "progress": progress,
        "report": _report(request, job, registry),
        "can_change": can_change,
        "editable": editable,
        "can_review": user_can(request.user, Action.REVIEW, registry),
        "can_commit": can_change and job.state == ImportState.VALIDATED and not job.rows_bad,
        "can_roll_back": job.state == ImportState.COMMITTED
        and can_roll_back(request.user, registry),
        "pending": job.changes.filter(state="pending").count()
        if job.state == ImportState.COMMITTED
        else 0,
        "progress_url": reverse("layers:editing:import-progress", args=[job.public_id]),
    }
    return render(request, "layers/imports/job.html", context, status=status)


@login_required
@require_GET
def import_job(request, public_id):
    """The job page: what was detected, the preview map, the mapping, progress, report."""
    job, registry = job_get(request, public_id)
    return _render_job(request, job, registry)


def _refuse_closed(request, job) -> HttpResponseRedirect | None:
    if job.state in OPEN_STATES:
        return None
    messages.error(
        request,
        _("This import is %(state)s: it cannot be changed now.")
        % {"state": job.get_state_display()},
    )
    return HttpResponseRedirect(job_url(job))


@login_required
@require_POST
def import_reading(request, public_id):
    """Read the file again with another layer, encoding, CRS or coordinate columns."""
    job, registry = job_get(request, public_id)
    require_create(request, registry)
    if refused := _refuse_closed(request, job):
        return refused
    form = ReadingForm(request.POST, job=job)
    if form.is_valid():
        try:
            job_reread(job=job, registry=registry, **form.reading())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The file is read again with your choices."))
            return HttpResponseRedirect(job_url(job))
    return _render_job(request, job, registry, reading_form=form, status=400)


def _store_mapping(job: ImportJob, mapping: ColumnMapping, distance: float | None) -> None:
    options = dict(job.options or {})
    if distance is not None:
        options["duplicate_distance_m"] = distance
    job.mapping, job.options = mapping.as_json(), options
    fields = ["mapping", "options"]
    if job.state != ImportState.UPLOADED:  # the check was of the earlier mapping
        job.state, job.message = ImportState.UPLOADED, ""
        fields += ["state", "message"]
    job.save(update_fields=fields)


@login_required
@require_POST
def import_mapping(request, public_id):
    """Save the mapping of the form, or load one saved from an earlier import (JSON)."""
    job, registry = job_get(request, public_id)
    require_create(request, registry)
    if refused := _refuse_closed(request, job):
        return refused
    if "mapping_file" in request.FILES:
        form = MappingFileForm(request.POST, request.FILES, registry=registry)
        if not form.is_valid():
            for error in form.errors.get("mapping_file", []):
                messages.error(request, error)
            return HttpResponseRedirect(job_url(job) + "#mapping")
        mapping = form.cleaned_data["mapping_file"]
        columns = set((job.options or {}).get("columns") or [])
        missing = sorted({c for c in mapping.columns.values() if c not in columns})
        if missing:
            mapping.columns = {f: c for f, c in mapping.columns.items() if c in columns}
            if mapping.key and mapping.key not in mapping.columns:
                mapping.key = None
            messages.warning(
                request,
                _("This file has no columns %(columns)s; their fields are left unmapped.")
                % {"columns": ", ".join(f"«{c}»" for c in missing)},
            )
        _store_mapping(job, mapping, form.cleaned_data.get("duplicate_distance_m"))
        messages.success(request, _("The saved mapping is loaded."))
        return HttpResponseRedirect(job_url(job) + "#mapping")
    form = MappingForm(
        request.POST,
        job=job,
        registry=registry,
        distinct_values=lambda c: distinct_values(job, c),
    )
    if not form.is_valid():
        return _render_job(request, job, registry, mapping_form=form, status=400)
    _store_mapping(job, form.cleaned_data["mapping"], form.cleaned_data["duplicate_distance_m"])
    if request.POST.get("then") == "check":
        queue.import_defer(job=job, step="check")
        messages.success(request, _("The mapping is saved and the rows are being checked."))
        return HttpResponseRedirect(job_url(job) + "#progress")
    messages.success(request, _("The mapping is saved."))
    return HttpResponseRedirect(job_url(job) + "#mapping")


@login_required
@require_GET
def import_mapping_download(request, public_id):
    """The job's mapping as JSON, to reuse for the next file of the same layout."""
    job, registry = job_get(request, public_id)
    data = {
        **ColumnMapping.from_json(job.mapping or {}).as_json(),
        "registry": registry.id,
        "duplicate_distance_m": (job.options or {}).get("duplicate_distance_m"),
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    stem = job.file_name.rsplit(".", 1)[0] or "import"
    response["Content-Disposition"] = attachment(f"{stem}-mapping.json")
    return response


@login_required
@require_POST
def import_check(request, public_id):
    """Queue the check of every row (the worker does it; the page shows its progress)."""
    job, registry = job_get(request, public_id)
    require_create(request, registry)
    if refused := _refuse_closed(request, job):
        return refused
    queue.import_defer(job=job, step="check")
    messages.success(request, _("The rows are being checked."))
    return HttpResponseRedirect(job_url(job) + "#progress")


@login_required
@require_POST
def import_commit(request, public_id):
    """Queue the commit of a checked import without refused rows."""
    job, registry = job_get(request, public_id)
    require_create(request, registry)
    if job.state != ImportState.VALIDATED or job.rows_bad:
        messages.error(
            request,
            _("Only a checked import without refused rows is committed (this one is %(state)s).")
            % {"state": job.get_state_display()},
        )
        return HttpResponseRedirect(job_url(job))
    queue.import_defer(job=job, step="commit")
    messages.success(request, _("The rows are being committed."))
    return HttpResponseRedirect(job_url(job) + "#progress")


def can_roll_back(user, registry) -> bool:
    """Rolling an import back archives records and proposes changes: an administrator's."""
    return user_can(user, Action.EDIT, registry) and user_can(user, Action.ARCHIVE, registry)


@login_required
@require_POST
def import_rollback(request, public_id):
    """Queue the rollback of a committed import (as new changes, by the worker)."""
    job, registry = job_get(request, public_id)
    if not can_roll_back(request.user, registry):
        raise PermissionDenied
    if job.state != ImportState.COMMITTED:
        messages.error(
            request,
            _("Only a committed import is rolled back (this one is %(state)s).")
            % {"state": job.get_state_display()},
        )
        return HttpResponseRedirect(job_url(job))
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the rollback."))
        return HttpResponseRedirect(job_url(job) + "#rollback")
    queue.import_defer(job=job, step="rollback", user_id=request.user.pk)
    messages.success(request, _("The import is being rolled back."))
    return HttpResponseRedirect(job_url(job) + "#progress")


@login_required
@require_GET
def import_progress(request, public_id):
    """The job's state and progress, polled by the page while it is checked or committed."""
    job, _registry = job_get(request, public_id)
    response = JsonResponse(job_progress(job).as_json())
    response["Cache-Control"] = "no-store"
    return response


def _report_job(request, public_id) -> ImportJob:
    job, _registry = job_get(request, public_id)
    if not has_report(job):
        raise Http404("The rows of this import have not been checked yet.")
    return job


@login_required
@require_GET
def import_report_csv(request, public_id):
    return report_csv(_report_job(request, public_id))


@login_required
@require_GET
def import_report_xlsx(request, public_id):
    return report_xlsx(_report_job(request, public_id))
