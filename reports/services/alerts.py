"""Following a report or an area by email: double opt-in (the first mail only asks to
confirm), unsubscribing from any mail's link. Rate-limited like reports."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layers.models.boundary import geometry_inside_hromada
from reports import notify
from reports.limits import alert_limits_check, client_hash, honeypot_check
from reports.models import ALERT_RADIUS_MAX_M, Alert, AlertKind, Report
from reports.tokens import CONFIRM_ALERT, UNSUBSCRIBE, BadToken, token_read


def alert_subscribe(
    *,
    email: str,
    report: Report | None = None,
    settlement=None,
    centre=None,
    radius_m=None,
    language: str = "",
    address: str = "",
    honeypot: str = "",
) -> Alert:
    """Ask to follow ``report``, a ``settlement`` (``sdg.Settlement``) or the circle
    ``centre``/``radius_m``: the alert is stored unconfirmed and a confirmation link mailed;
    nothing else is ever sent before it."""
    honeypot_check(honeypot)
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    address_hash = client_hash(address)
    alert_limits_check(address_hash=address_hash, email=email)
    if report is not None:
        if not report.is_public:
            raise ValidationError({"report": _("No such report.")})
        alert = Alert(kind=AlertKind.REPORT, report=report)
    elif settlement is not None:
        alert = Alert(kind=AlertKind.SETTLEMENT, settlement=settlement)
    else:
        try:
            radius = int(radius_m)
        except (TypeError, ValueError):
            radius = 0
        if not 50 <= radius <= ALERT_RADIUS_MAX_M:
            raise ValidationError(
                {"radius_m": _("A radius from 50 to %(max)s metres.") % {"max": ALERT_RADIUS_MAX_M}}
            )
        if centre is None:
            raise ValidationError({"centre": _("Choose the centre of the area on the map.")})
        try:
            geometry_inside_hromada(centre)
        except ValidationError as error:
            raise ValidationError({"centre": error.messages}) from None
        alert = Alert(kind=AlertKind.AREA, centre=centre, radius_m=radius)
    alert.email = email
    alert.language = language
    alert.client_hash = address_hash
    alert.full_clean()
    with transaction.atomic():
        alert.save()
        notify.alert_confirmation_requested(alert)
    return alert


def alert_confirm(*, token: str) -> Alert:
    return _by_token(CONFIRM_ALERT, token, "confirmed_at", max_age_days=None)


def alert_unsubscribe(*, token: str) -> Alert:
    # Unsubscribe links never expire: an old mail's link must still work.
    return _by_token(UNSUBSCRIBE, token, "unsubscribed_at", max_age_days=0)


def _by_token(purpose: str, token: str, stamp: str, *, max_age_days) -> Alert:
    try:
        pk = token_read(purpose, token, max_age_days=max_age_days)
    except BadToken:
        raise ValidationError(_("The link is not valid or has expired.")) from None
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(pk=pk).first()
        if alert is None:
            raise ValidationError(_("The link is not valid or has expired."))
        if getattr(alert, stamp) is None:
            setattr(alert, stamp, timezone.now())
            alert.save(update_fields=[stamp])
    return alert
