"""The review of an import's batch: what it would add and change (counts, a map, a sample of
old and new values) and one decision for all its pending changes, applied by the worker in
one transaction (``decisions.import_decide``). Row by row stays possible in the review
queue, where each change names its import."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from layers.editing.errors import OwnChange
from layers.editing.forms import DecisionForm
from layers.editing.models import ChangeKind, ChangeRequest, ChangeState
from layers.editing.permissions import Action, user_can
from layers.editing.selectors import change_value_changes
from layers.imports import queue
from layers.imports.access import job_get, job_url
from layers.imports.decisions import import_pending_count
from layers.models.imports import ImportState
from layers.selectors.boundary import hromada_boundary_geojson

SAMPLE = 20
MAX_MAP_FEATURES = 2000


def _require_review(request, registry) -> None:
    if not user_can(request.user, Action.REVIEW, registry):
        raise PermissionDenied


def _pending(job):
    return ChangeRequest.objects.filter(import_job=job, state=ChangeState.PENDING).order_by("id")


def _feature(geom, status: str, name: str) -> dict:
    return {
        "type": "Feature",
        "geometry": json.loads(geom.json) if hasattr(geom, "json") else geom,
        "properties": {"status": status, "name": name},
    }


def _batch_map(registry, pending) -> dict:
    """New records (blue), changed records where they are (orange) and, when the change
    moves them, where they go (green)."""
    features = []
    changes = list(pending.values_list("record_id", "kind", "payload")[:MAX_MAP_FEATURES])
    records = registry.objects().in_bulk([record_id for record_id, _k, _p in changes])
    for record_id, kind, payload in changes:
        record = records.get(record_id)
        if record is None or record.geom is None:
            continue
        if kind == ChangeKind.PUBLISH:
            features.append(_feature(record.geom, "new", str(record)))
            continue
        features.append(_feature(record.geom, "changed", str(record)))
        if payload.get("geom"):
            features.append(_feature(payload["geom"], "moved", str(record)))
    return {
        "boundary": hromada_boundary_geojson(),
        "features": {"type": "FeatureCollection", "features": features},
        "labels": {
            "new": _("new record"),
            "changed": _("changed record (where it is now)"),
            "moved": _("changed record (its new position)"),
            "boundary": _("boundary of the hromada"),
        },
    }


def _sample(pending) -> list[dict]:
    from layers.editing.selectors import change_record

    cards = []
    for change in pending.filter(kind=ChangeKind.UPDATE)[:SAMPLE]:
        record = change_record(change)
        if record is None:
            continue
        cards.append(
            {
                "change": change,
                "record": record,
                "rows": [d for d in change_value_changes(change, record) if not d.is_geometry],
                "moved": "geom" in change.payload,
            }
        )
    return cards


@login_required
@require_GET
def import_review(request, public_id):
    """An import's batch for its reviewers: counts, a map, a sample, one decision."""
    job, registry = job_get(request, public_id)
    _require_review(request, registry)
    pending = _pending(job)
    counts = ChangeRequest.objects.filter(import_job=job).aggregate(
        new=Count("id", filter=Q(state=ChangeState.PENDING, kind=ChangeKind.PUBLISH)),
        changed=Count("id", filter=Q(state=ChangeState.PENDING, kind=ChangeKind.UPDATE)),
        approved=Count("id", filter=Q(state=ChangeState.APPROVED)),
        rejected=Count("id", filter=Q(state=ChangeState.REJECTED)),
        withdrawn=Count("id", filter=Q(state=ChangeState.WITHDRAWN)),
    )
    counts["pending"] = counts["new"] + counts["changed"]
    return render(
        request,
        "layers/imports/review.html",
        {
            "registry": registry,
            "job": job,
            "counts": counts,
            "map_config": _batch_map(registry, pending),
            "sample": _sample(pending),
            "own": job.user_id == request.user.pk,
            "form": DecisionForm(),
        },
    )


def _decide_all(request, public_id, *, approve: bool):
    """Queue a decision on every pending change of the import (the worker applies it, all
    or none; the job page follows it)."""
    job, registry = job_get(request, public_id)
    _require_review(request, registry)
    target = reverse("layers:editing:import-review", args=[job.public_id])
    if approve and job.user_id == request.user.pk:
        raise PermissionDenied(str(OwnChange()))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The comment is too long."))
        return HttpResponseRedirect(target)
    comment = form.cleaned_data["comment"]
    if not approve and not comment.strip():
        messages.error(request, _("Say why the import is rejected: its author sees your comment."))
        return HttpResponseRedirect(target)
    if job.state != ImportState.COMMITTED:
        messages.error(
            request,
            _("This import is %(state)s: wait until that is done.")
            % {"state": job.get_state_display()},
        )
        return HttpResponseRedirect(target)
    count = import_pending_count(job)
    if not count:
        messages.info(request, _("Nothing of this import waits for review."))
        return HttpResponseRedirect(target)
    with transaction.atomic():
        queue.import_defer(
            job=job, step="decide", user_id=request.user.pk, approve=approve, comment=comment
        )
    done = (
        ngettext(
            "%(n)s change of the import is being approved.",
            "%(n)s changes of the import are being approved.",
            count,
        )
        if approve
        else ngettext(
            "%(n)s change of the import is being rejected.",
            "%(n)s changes of the import are being rejected.",
            count,
        )
    )
    messages.success(request, done % {"n": count})
    return HttpResponseRedirect(job_url(job) + "#progress")


@login_required
@require_POST
def import_review_approve(request, public_id):
    """Approve every pending change of the import, all or none."""
    return _decide_all(request, public_id, approve=True)


@login_required
@require_POST
def import_review_reject(request, public_id):
    """Reject every pending change of the import with one comment, all or none."""
    return _decide_all(request, public_id, approve=False)
