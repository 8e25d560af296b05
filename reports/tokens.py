"""Signed links in mail (Django's signing: the site's secret, a purpose each, an age limit):
confirming a report, confirming an alert, unsubscribing. No token is stored."""

import datetime

from django.conf import settings
from django.core import signing

CONFIRM_REPORT = "reports.confirm-report"
CONFIRM_ALERT = "reports.confirm-alert"
UNSUBSCRIBE = "reports.unsubscribe"


class BadToken(Exception):
    pass


def token_make(purpose: str, pk: int) -> str:
    return signing.dumps(pk, salt=purpose, compress=False)


def token_read(purpose: str, token: str, *, max_age_days: int | None = None) -> int:
    """The id a token names; ``BadToken`` if it is not one of ours, for ``purpose`` or
    fresh enough (unsubscribe links never expire: every old mail must keep working)."""
    days = settings.GEOPORTAL_REPORTS_LINK_DAYS if max_age_days is None else max_age_days
    max_age = datetime.timedelta(days=days) if days else None
    try:
        value = signing.loads(token, salt=purpose, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one
        raise BadToken(token) from None
    if not isinstance(value, int):
        raise BadToken(token)
    return value
