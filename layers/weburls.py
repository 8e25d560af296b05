"""Web addresses as browsers read them, not as Python's ``urlsplit`` does.

Browsers follow the WHATWG URL standard: a backslash counts as a slash, tabs and newlines
are dropped, ``user@`` before the host is taken as credentials. So
``https://evil.example\\@en.wikipedia.org/`` is ``en.wikipedia.org`` to ``urlsplit`` (and
to Django's URLValidator) but ``evil.example`` to a browser. An address the portal stores
and links to must mean the same to both: no backslash, no control or space character, no
credentials, http or https only, a host that IDNA can encode.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")


def web_url_validate(value: str) -> None:
    """Refuse an address a browser would read otherwise than the portal (ValidationError)."""
    if not value:
        return
    if "\\" in value or _CONTROL_OR_SPACE.search(value):
        raise ValidationError(
            _("A web address has no backslash, space or control character."), code="bad_url"
        )
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError(_("A web address starts with https:// or http://."), code="bad_url")
    if "@" in parts.netloc:
        raise ValidationError(
            _("A web address carries no user name or password before its host."),
            code="bad_url",
        )
    host = parts.hostname or ""
    try:
        host.encode("idna")
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except (UnicodeError, ValueError):
        raise ValidationError(
            _("The host of this web address is not valid."), code="bad_url"
        ) from None
    if not host:
        raise ValidationError(_("A web address names a host."), code="bad_url")
