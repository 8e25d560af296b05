"""Open311's ``api_key`` on POST requests: the portal's personal API tokens (DRF's Token,
``layers.editing.services.tokens``: one per person, made at /edit/api-token/ or with
``manage.py api_token``, revoked by deleting it) — no second kind of key to issue, rotate
and revoke.

What a key changes, and why no more: a request with a valid key is one from a known sender,
logged by the key holder's name, and the hourly limit of reports counts against the key
rather than the shared address of the sending server (a city system relays many residents
from one address; the same limit still stops a runaway or leaked key). It does not skip the
reporter's email confirmation nor moderation: ``report_submit`` has no such step to skip —
the confirmation proves the address belongs to the reporter, which a relaying system cannot
vouch for in its place — and every report is moderated before it is public. A request with
no key is the public way (the web form's limits, confirmation and moderation): GeoReport v2
asks for a key on POST, but the portal's public form takes reports without one, so refusing
them here would only push apps to scrape the form. A key given and not valid is refused
(403), never taken for no key."""

import logging

from rest_framework.authtoken.models import Token

logger = logging.getLogger(__name__)

KEY_MAX_CHARS = 40  # DRF's key length


def api_key_holder(key: str):
    """The active user whose API token ``key`` is, or None."""
    if not key or len(key) > KEY_MAX_CHARS:
        return None
    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        return None
    return token.user


def api_key_sender(user) -> str:
    """What the rate limits count a keyed request by (hashed with the addresses)."""
    return f"open311-api-key:{user.pk}"
