from django.conf import settings
from django.utils.translation import gettext as _

from layers.hromada import hromada_profile


def portal(request):
    """Hand the hromada profile and the portal's public settings to every template."""
    return {
        "hromada": hromada_profile(),
        "demo_mode": settings.DEMO_MODE,
        "basemap_url": settings.GEOPORTAL_BASEMAP_URL,
        "basemap_attribution": basemap_attribution(),
    }


def basemap_attribution() -> str:
    """The base map's credit line (HTML): the configured one, or OpenStreetMap's in the
    page's language ("© учасники OpenStreetMap")."""
    if settings.GEOPORTAL_BASEMAP_ATTRIBUTION:
        return settings.GEOPORTAL_BASEMAP_ATTRIBUTION
    # A plain string, not marked safe: templates put it in data- attributes, escaped there.
    link = '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    return _("© {link} contributors").format(link=link)
