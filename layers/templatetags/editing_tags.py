"""Template helpers of the editing pages."""

import json

from django import template

register = template.Library()


@register.filter
def unread_notifications(user) -> int:
    """How many notifications the user has not marked read (the editing header's count)."""
    from layers.editing.notifications import notifications_unread_count

    return notifications_unread_count(user)


@register.filter
def geojson(value) -> str:
    """A geometry kept as GeoJSON (a dict) as GeoJSON text, not as Python would print it."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
