"""The address a request came from, as the portal believes it: one reader for the login
throttle (django-axes, ``AXES_CLIENT_IP_CALLABLE``), the citizen reports' and the
password-reset mails' rate limits.

Behind the portal's nginx (``GEOPORTAL_BEHIND_PROXY``) ``REMOTE_ADDR`` is the proxy's own
address for every client, so the proxy's ``X-Forwarded-For`` is read first; without the
proxy a client's copy of that header is never believed (``GEOPORTAL_CLIENT_ADDRESS_HEADERS``
holds ``REMOTE_ADDR`` only). django-axes' own reader cannot do this here: without
django-ipware installed it reads ``REMOTE_ADDR`` only, which behind nginx would count every
failed login of the city against one address and lock everybody out together.
"""

import hashlib
import hmac
import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The first believed header holding an IP address; ``None`` when none does.

    The proxy overwrites ``X-Forwarded-For`` with the client's address; should a chain
    arrive all the same, its last entry is the one the proxy wrote."""
    for key in settings.GEOPORTAL_CLIENT_ADDRESS_HEADERS:
        value = (request.META.get(key) or "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            continue
    return None


def keyed_hash(value: str, purpose: str) -> str:
    """``value`` keyed by the site's secret and by what it is kept for: comparable, not
    readable back; "" for "". The rate limits keep addresses and emails only so."""
    if not value:
        return ""
    key = f"{purpose}:{settings.SECRET_KEY}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
