"""Template tags of the bulk-import pages for the editing pages around them."""

from django import template

register = template.Library()


@register.inclusion_tag("layers/imports/_recent.html", takes_context=True)
def recent_imports(context, registry, limit: int = 5):
    """The registry's latest imports, for its staff (nothing for anyone else)."""
    from layers.imports.access import recent_imports as latest

    request = context.get("request")
    user = getattr(request, "user", None)
    return {"imports": latest(registry, user, limit) if user is not None else []}
