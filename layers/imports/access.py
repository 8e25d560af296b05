"""Who may see and change an import: its user, and the editors, reviewers and administrators
of its registry see it (everyone else gets 404); changing it needs the right to create
records in the registry, reviewing its batch the right to review."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from layers.editing.permissions import Action, user_can
from layers.models.imports import ImportJob
from layers.registry import registry_get

RECENT = 10


def job_get(request, public_id) -> tuple[ImportJob, object]:
    """The job and its registry, if the user may see it; Http404 otherwise."""
    job = ImportJob.objects.select_related("user").filter(public_id=public_id).first()
    if job is None:
        raise Http404("No such import.")
    try:
        registry = registry_get(job.registry)
    except KeyError:
        raise Http404("No such import.") from None
    if job.user_id != request.user.pk and not user_can(request.user, Action.VIEW, registry):
        raise Http404("No such import.")
    return job, registry


def require_create(request, registry) -> None:
    if not user_can(request.user, Action.CREATE, registry):
        raise PermissionDenied


def job_url(job: ImportJob) -> str:
    return reverse("layers:editing:import", args=[job.public_id])


def recent_imports(registry, user, limit: int = RECENT):
    """The registry's latest imports (for its staff)."""
    if not user_can(user, Action.VIEW, registry):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(registry=registry.id).select_related("user")[:limit]
