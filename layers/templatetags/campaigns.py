"""Template helpers of the campaign pages."""

from django import template
from django.utils.translation import gettext as _

from layers.models.photos import Photo, PhotoState

register = template.Library()


@register.filter
def get(mapping, key):
    """``mapping[key]`` (counts, labels) in a template; None when absent."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def breakdowns(board):
    """The dashboard's two breakdowns: (title, rows of (name, counts))."""
    return [(_("By category"), board.by_category()), (_("By owner"), board.by_owner())]


@register.filter
def evidence_photo(photo_id):
    if not isinstance(photo_id, int):
        return None
    return Photo.objects.filter(pk=photo_id, state=PhotoState.EVIDENCE).first()


@register.filter
def sees_campaign(user) -> bool:
    """Whether the campaign's staff pages are the user's (the editing pages link them)."""
    from layers.campaigns.access import user_sees_campaign

    return user_sees_campaign(user)
