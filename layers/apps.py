from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = _("City registries")

    def ready(self):
        from django.core import checks

        from layers.availability import statement_timeout_check

        checks.register(statement_timeout_check, checks.Tags.database)
