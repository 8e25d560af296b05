"""Uploaded photos, served only to those who may see their record.

The media folder holds more than public photos: drafts' photos and the files of bulk imports
(staff data). So nothing of it is served by path alone. A photo or its thumbnail is served
when it is shown with its record (not staged for review, not removed) and the record is
published, or when the visitor may see the registry (or, for the evidence of a checklist
answer, answers for the object); everything else, imports included, answers 404 as an
unknown file does. Under ``make run`` this view sends the file; behind nginx
(``GEOPORTAL_MEDIA_X_ACCEL``, docker/nginx.conf) it only decides and nginx sends the file
from an internal location.
"""

import posixpath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_safe

from layers.editing.permissions import Action, user_can
from layers.models.photos import Photo, PhotoState
from layers.registry import registry_for_record
from layers.selectors.public import registry_public_queryset

PHOTOS = "photos/"


def _photo(name: str) -> Photo:
    if name != posixpath.normpath(name) or not name.startswith(PHOTOS):
        raise Http404("No such file.")
    photo = Photo.objects.filter(Q(image=name) | Q(thumbnail=name)).first()
    if photo is None:
        raise Http404("No such file.")
    return photo


@require_safe
def media_file(request, path: str):
    photo = _photo(path)
    record = photo.record
    if record is None:
        raise Http404("No such file.")
    registry = registry_for_record(record)
    # A staged photo (its change waits for review) or a removed one is staff data.
    public = (
        photo.state == PhotoState.ATTACHED
        and registry_public_queryset(registry).filter(pk=record.pk).exists()
    )
    # Evidence of a checklist answer: the registry's staff and the object's owners.
    steward = photo.state == PhotoState.EVIDENCE and registry.user_stewards(request.user, record)
    if not public and not steward and not user_can(request.user, Action.VIEW, registry):
        raise Http404("No such file.")
    accel = getattr(settings, "GEOPORTAL_MEDIA_X_ACCEL", "")
    if accel:
        response = HttpResponse(content_type="image/jpeg")
        response["X-Accel-Redirect"] = f"{accel.rstrip('/')}/{path}"
    else:
        if not default_storage.exists(path):
            raise Http404("No such file.")
        response = FileResponse(default_storage.open(path, "rb"), content_type="image/jpeg")
    # Photos are re-encoded JPEGs (layers.services.photos): never sniffed as anything else.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    return response
