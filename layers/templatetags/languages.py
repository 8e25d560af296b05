"""The address of a page in another language (the switch's form, layers/views/languages.py).

Django's ``set_language`` translates its ``next`` address with ``translate_url``, which
resolves the address in the language active during the switch request. ``/i18n/setlang/``
has no language prefix, and with ``prefix_default_language=False`` LocaleMiddleware makes
every unprefixed request Ukrainian, so ``/en/…`` never resolves as English and comes back
unchanged: "Українська" on an English page led back to the English page. (The cookie it
sets changes nothing here: the prefix alone decides the language.) Addresses differ by
language only in their prefix (``i18n_patterns`` with no prefix for the default), so both
the form and the switch put the chosen language's prefix on the path and keep the query
and the fragment — whatever a page's script wrote into ``next`` (the map keeps its view in
the fragment). Machine-facing addresses (no prefix in any language) are not pages.
"""

import re
from urllib.parse import urlsplit, urlunsplit

from django import template
from django.conf import settings

register = template.Library()


def path_in(path: str, code: str) -> str:
    """``path`` (a page's path, no query) with the prefix of language ``code``."""
    others = "|".join(re.escape(c) for c, _name in settings.LANGUAGES)
    path = re.sub(rf"^/({others})(?=/|$)", "", path) or "/"
    return f"/{code}{path}" if code != settings.LANGUAGE_CODE else path


def address_in(address: str, code: str) -> str:
    """A local address (path, query, fragment) moved to language ``code``; anything else
    (another host, a scheme) is left for ``set_language``'s own safety check."""
    parts = urlsplit(address)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return address
    return urlunsplit(("", "", path_in(parts.path, code), parts.query, parts.fragment))


@register.simple_tag(takes_context=True)
def path_in_language(context, code: str) -> str:
    request = context["request"]
    # Re-encoded from the parsed query: the raw QUERY_STRING may hold undecoded UTF-8.
    query = request.GET.urlencode()
    path = path_in(request.path, code)
    return f"{path}?{query}" if query else path
