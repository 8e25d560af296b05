"""Abuse resistance without third-party services: rate limits counted in the database (so
that every gunicorn worker sees the same counts), by a keyed hash of the sender's address —
the address as the login throttle reads it (``geoportal.clients``: ``X-Forwarded-For`` only
behind the portal's proxy, ``GEOPORTAL_BEHIND_PROXY``) — and by email address."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geoportal.clients import client_address as believed_address
from geoportal.clients import keyed_hash

WINDOW = datetime.timedelta(hours=1)


class Refused(Exception):
    """A submission refused as a whole (nothing stored): the message says why."""

    def __init__(self, message, *, status: int = 400):
        super().__init__(str(message))
        self.message = message
        self.status = status


def honeypot_check(value: str) -> None:
    """The form's field hidden from people and from screen readers: only a robot fills it."""
    if value:
        raise Refused(_("Not accepted: a field meant to stay empty was filled."))


def client_address(request) -> str:
    """The sender's address as the portal believes it (``geoportal.clients``, the login
    throttle's reader), "" when there is none."""
    return believed_address(request) or ""


def client_hash(address: str) -> str:
    """The address keyed by the site's secret: comparable, not readable back."""
    return keyed_hash(address, "reports-rate-limit")


def _since():
    return timezone.now() - WINDOW


def _too_many():
    return Refused(
        _("Too many reports were sent from here in the last hour. Please try again later."),
        status=429,
    )


def report_limits_check(*, address_hash: str, email: str) -> None:
    """``Refused`` (429) past the hourly number of reports per address or per email."""
    from reports.models import Report

    recent = Report.objects.filter(created_at__gte=_since())
    if address_hash and (
        recent.filter(client_hash=address_hash).count()
        >= settings.GEOPORTAL_REPORTS_PER_ADDRESS_HOUR
    ):
        raise _too_many()
    if email and (
        recent.filter(reporter_email__iexact=email).count()
        >= settings.GEOPORTAL_REPORTS_PER_EMAIL_HOUR
    ):
        raise Refused(
            _(
                "Too many reports were sent with this email address in the last hour. "
                "Please try again later."
            ),
            status=429,
        )


def alert_limits_check(*, address_hash: str, email: str) -> None:
    from reports.models import Alert

    recent = Alert.objects.filter(created_at__gte=_since())
    limit = settings.GEOPORTAL_ALERTS_PER_ADDRESS_HOUR
    if (address_hash and recent.filter(client_hash=address_hash).count() >= limit) or (
        recent.filter(email__iexact=email).count() >= limit
    ):
        raise Refused(
            _("Too many alerts were asked for from here in the last hour. Try again later."),
            status=429,
        )
