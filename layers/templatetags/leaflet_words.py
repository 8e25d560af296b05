"""Leaflet's own words (zoom buttons, popup close button, credit title) in the page's language."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def leaflet_words() -> dict:
    return {
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
        "closePopup": _("Close the popup"),
        "leafletTitle": _("A JavaScript library for interactive maps"),
    }
