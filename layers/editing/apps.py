from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditingConfig(AppConfig):
    """The editing workflow of the registries.

    Installed as its own app config only so that Django imports ``layers.editing.models``
    while it loads models; every model there belongs to the ``layers`` app (and to its
    migrations), so this config owns no tables.
    """

    name = "layers.editing"
    label = "layers_editing"
    verbose_name = _("Editing workflow")
