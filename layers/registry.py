"""The registry list: the one declaration that admin, API, OGC collections, tiles, the map
and the parametrised tests iterate. Adding a registry = one model + one entry here."""

from dataclasses import dataclass

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Registry:
    """One registry published as a map layer and an open-data collection."""

    id: str  # the collection id used in every URL
    model_label: str  # "app_label.ModelName", resolved lazily so this module imports early
    title: Promise
    description: Promise

    @property
    def model(self):
        return apps.get_model(self.model_label)


REGISTRIES: tuple[Registry, ...] = (
    Registry(
        "accessibility",
        "layers.AccessibleObject",
        _("Accessibility of buildings"),
        _("Buildings and places that serve the public, with their barrier-free assessment."),
    ),
    Registry(
        "trees",
        "layers.Tree",
        _("Trees"),
        _("The electronic registry of green plantings: individual trees and their condition."),
    ),
    Registry(
        "green-areas",
        "layers.GreenArea",
        _("Green areas"),
        _("Parks, squares, boulevards, street plantings and forest parks."),
    ),
    Registry(
        "heritage",
        "layers.HeritageObject",
        _("Cultural heritage"),
        _("Immovable monuments and newly identified heritage objects."),
    ),
    Registry(
        "protection-zones",
        "layers.ProtectionZone",
        _("Heritage protection zones"),
        _("Protection zones of cultural heritage objects."),
    ),
    Registry(
        "waste-sites",
        "layers.WasteSite",
        _("Waste sites"),
        _("Container sites, separate-collection and recycling points, and their containers."),
    ),
)

_BY_ID = {registry.id: registry for registry in REGISTRIES}


def registry_get(registry_id: str) -> Registry:
    """Return the registry with this collection id; KeyError if there is none."""
    return _BY_ID[registry_id]


def registry_for_model(model) -> Registry:
    label = model._meta.label
    return next(registry for registry in REGISTRIES if registry.model_label == label)
