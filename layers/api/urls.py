"""The editing API under /api/: per registry records, change requests, the OpenAPI schema."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from layers.api import views
from layers.registry import BUILTIN_REGISTRIES

app_name = "api"


def _registry_urls(registry=None):
    """The record URLs of a built-in registry, or (no registry) the pattern that serves
    every registry defined as data (``<collection>`` resolved per request)."""
    prefix = f"{registry.id}/records/" if registry else "<slug:collection>/records/"
    name = registry.id if registry else "data"
    return [
        path(prefix, views.RecordList.as_view(registry=registry), name=f"{name}-list"),
        path(
            f"{prefix}<uuid:public_id>/",
            views.RecordDetail.as_view(registry=registry),
            name=f"{name}-detail",
        ),
        path(
            f"{prefix}<uuid:public_id>/submit/",
            views.RecordTransition.as_view(registry=registry, transition="submit"),
            name=f"{name}-submit",
        ),
        path(
            f"{prefix}<uuid:public_id>/photos/",
            views.RecordPhotoUpload.as_view(registry=registry),
            name=f"{name}-photos",
        ),
        path(
            f"{prefix}<uuid:public_id>/archive/",
            views.RecordTransition.as_view(registry=registry, transition="archive"),
            name=f"{name}-archive",
        ),
    ]


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.ApiDocs.as_view(), name="docs"),
    path("changes/", views.ChangeList.as_view(), name="changes"),
    path("changes/<int:change_id>/", views.ChangeDetail.as_view(), name="change"),
    path(
        "changes/<int:change_id>/approve/",
        views.ChangeDecision.as_view(decision="approve"),
        name="change-approve",
    ),
    path(
        "changes/<int:change_id>/reject/",
        views.ChangeDecision.as_view(decision="reject"),
        name="change-reject",
    ),
    *[url for registry in BUILTIN_REGISTRIES for url in _registry_urls(registry)],
    *_registry_urls(),
    # Anything else under /api/ (a malformed id, a typo): a JSON 404, as API clients parse.
    re_path(r"^[\s\S]*$", views.not_found),  # any character, a newline too
]
