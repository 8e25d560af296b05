from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Citizen reports: a problem seen on the map, routed to the staff of its registry."""

    name = "reports"
    verbose_name = _("Citizen reports")

    def ready(self):
        # The reports' aggregates for the SDG computations, registered here so that sdg and
        # layers never import reports (see reports/sdg.py).
        from reports.sdg import register

        register()
