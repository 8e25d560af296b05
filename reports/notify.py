"""Who hears of a report, and when: the reporter (its confirmation link, its receipt, each
change of state with the staff's comment), the staff of its registry (a confirmed report),
the followers of the report and of an area around it (confirmed alerts only, each mail with
its own unsubscribe link). Through the portal's mail (``layers.mail``): after commit, in the
recipient's language when known."""

from django.contrib.gis.db.models.functions import Distance
from django.db.models import F

from layers.editing.models import RegistryRole
from layers.mail import mail_send
from reports.tokens import CONFIRM_ALERT, CONFIRM_REPORT, UNSUBSCRIBE, token_make

_MAIL = "reports/mail/"


def _to_reporter(report, template: str, **context) -> None:
    if report.reporter_email:
        mail_send(
            recipients=[report.reporter_email],
            template=_MAIL + template,
            context={"report": report, **context},
            language=report.reporter_language,
        )


def confirmation_requested(report) -> None:
    _to_reporter(report, "confirm.txt", token=token_make(CONFIRM_REPORT, report.pk))


def received(report) -> None:
    _to_reporter(report, "received.txt")


def staff_told(report) -> None:
    """The staff who maintain the category's registry: a report is theirs to answer."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(
        pk__in=RegistryRole.objects.filter(registry=report.category.registry).values("user"),
        is_active=True,
    )
    mail_send(recipients=list(users), template=_MAIL + "staff_new.txt", context={"report": report})


def published(report) -> None:
    _to_reporter(report, "published.txt")
    from reports.models import Alert, AlertKind

    near = (
        Alert.objects.filter(
            kind=AlertKind.AREA, confirmed_at__isnull=False, unsubscribed_at__isnull=True
        )
        .annotate(
            # Metres on the sphere (Django's Distance on a geographic field).
            distance_m=Distance("centre", report.geom)
        )
        .filter(distance_m__lte=F("radius_m"))
    )
    inside = Alert.objects.filter(
        kind=AlertKind.SETTLEMENT,
        confirmed_at__isnull=False,
        unsubscribed_at__isnull=True,
        settlement__geom__intersects=report.geom,
    ).select_related("settlement")
    for alert in [*near, *inside]:
        _to_follower(alert, "area_new.txt", report=report)


def state_changed(report, update) -> None:
    _to_reporter(report, "state.txt", update=update)
    for alert in report.alerts.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True):
        _to_follower(alert, "state.txt", report=report, update=update)


def _to_follower(alert, template: str, **context) -> None:
    mail_send(
        recipients=[alert.email],
        template=_MAIL + template,
        context={"alert": alert, "unsubscribe": token_make(UNSUBSCRIBE, alert.pk), **context},
        language=alert.language,
    )


def alert_confirmation_requested(alert) -> None:
    mail_send(
        recipients=[alert.email],
        template=_MAIL + "alert_confirm.txt",
        context={"alert": alert, "token": token_make(CONFIRM_ALERT, alert.pk)},
        language=alert.language,
    )
