"""The address of the page being shown, in another language.

Django's ``set_language`` translates its ``next`` address by resolving and reversing it,
which fails for the default language without a prefix (``/en/…`` → Ukrainian stays
``/en/…``). Addresses here differ by language only in their prefix (``i18n_patterns`` with
no prefix for the default), so the switch sends the page's own address with the prefix
changed; machine-facing addresses (no prefix in any language) stay as they are.
"""

import re

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag(takes_context=True)
def path_in_language(context, code: str) -> str:
    request = context["request"]
    others = "|".join(re.escape(c) for c, _name in settings.LANGUAGES)
    path = re.sub(rf"^/({others})(?=/)", "", request.path) or "/"
    if code != settings.LANGUAGE_CODE:
        path = f"/{code}{path}"
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{query}" if query else path
