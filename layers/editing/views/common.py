"""What the editing pages share: the registry from the URL, what the user may do there,
and the services' refusals as form errors.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from layers.editing.errors import StaleVersion
from layers.editing.permissions import user_can
from layers.registry import registry_get
from layers.selectors.boundary import hromada_boundary_geojson


def registry_or_404(registry_id: str):
    try:
        return registry_get(registry_id)
    except KeyError:
        raise Http404("No such registry.") from None


def with_registry(action: str | None):
    """Resolve the ``registry`` URL argument; require ``action`` in it (if given)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, registry, *args, **kwargs):
            registry = registry_or_404(registry)
            if action and not user_can(request.user, action, registry):
                raise PermissionDenied
            return view(request, registry, *args, **kwargs)

        return wrapper

    return decorate


def actions_allowed(request, registry) -> dict:
    return {
        a: user_can(request.user, a, registry)
        for a in ("view", "create", "edit", "submit", "review", "archive")
    }


def stale_message(exc: StaleVersion) -> str:
    lines = [str(exc)]
    for change in exc.changes:
        lines.append(
            _("Version %(version)s by %(user)s at %(at)s: %(fields)s")
            % {
                "version": change["version"],
                "user": change["user"] or "—",
                "at": change["at"],
                "fields": ", ".join(change["fields"]) or "—",
            }
        )
    return "\n".join(lines)


def errors_apply(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _geoman_language() -> str:
    """Geoman's code of the page's language: it ships Ukrainian as ``ua``, not ``uk``."""
    language = (get_language() or "en").split("-")[0]
    return {"uk": "ua"}.get(language, language)


def _marker_icons() -> dict:
    # Named through the static files storage: Leaflet's own guess of its image folder (from
    # a stylesheet url()) fails on hashed file names and asks for a missing marker-icon.png.
    return {
        "iconUrl": static("vendor/leaflet/images/marker-icon.png"),
        "iconRetinaUrl": static("vendor/leaflet/images/marker-icon-2x.png"),
        "shadowUrl": static("vendor/leaflet/images/marker-shadow.png"),
    }


def map_view_parse(text: str | None) -> list[float] | None:
    """A map view passed on from the last save, ``lat,lon,zoom``; None if it is not one."""
    try:
        lat, lon, zoom = (float(part) for part in (text or "").split(","))
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 <= zoom <= 22):
        return None
    return [lat, lon, zoom]


def map_config(request, registry, *, record=None, view=None) -> dict:
    return {
        "registry": registry.id,
        "geometryTypes": list(registry.geometry_types),
        "recordId": str(record.public_id) if record else None,
        "featuresUrl": reverse("layers:editing:features", args=[registry.id]),
        "checkUrl": reverse("layers:editing:check", args=[registry.id]),
        "boundary": hromada_boundary_geojson(),
        "geomanLanguage": _geoman_language(),
        "icons": _marker_icons(),
        "view": view,
        "messages": {
            "placed": _("Geometry set. Check the attributes and save."),
            "checking": _("Checking the geometry…"),
            "ok": _("The geometry is inside the hromada."),
            "typeRefused": _("This registry does not take this kind of geometry."),
            "centre": _("Place at the map centre"),
            "other": _("Other records (click to open)"),
            "unsaved": _(
                "This record has unsaved changes. Leave it and lose them? "
                "(Cancel to stay and save first.)"
            ),
            "zoomIn": _("Zoom in"),
            "zoomOut": _("Zoom out"),
            "undone": _("The last geometry step is undone."),
            "nothingToUndo": _("There is no geometry step to undo."),
            "marker": _("The record's point: drag it, or use the arrow keys, to move it"),
        },
    }


def duplicate_warnings(registry, geom, record=None) -> list[str]:
    """The registry's own check for near-duplicates (its entry names it), as messages."""
    if not registry.duplicate_check or geom is None:
        return []
    return import_string(registry.duplicate_check)(geom=geom, exclude=record)
