from django.conf import settings

from layers.hromada import hromada_profile


def portal(request):
    """Hand the hromada profile and the portal's public settings to every template."""
    return {
        "hromada": hromada_profile(),
        "demo_mode": settings.DEMO_MODE,
        "basemap_url": settings.GEOPORTAL_BASEMAP_URL,
        "basemap_attribution": settings.GEOPORTAL_BASEMAP_ATTRIBUTION,
    }
