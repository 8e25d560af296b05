"""Following by email: an area (a circle of one's own radius) or one report; the links of
the confirmation and unsubscribe mails (a GET shows a button, the POST acts, so that a mail
scanner opening the link changes nothing)."""

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_POST

from reports.forms import AreaAlertForm, FollowForm
from reports.limits import Refused, client_address, honeypot_check
from reports.selectors import report_public_get
from reports.services.alerts import alert_confirm, alert_subscribe, alert_unsubscribe


def _errors_to_form(form, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        target = {"centre": "lat"}.get(field, field if field in form.fields else None)
        for text in messages:
            form.add_error(target, text)


def _subscribe(request, form, subject):
    """Refused/ValidationError → (status, message); None when the mail went out."""
    try:
        honeypot_check(request.POST.get("website", ""))
        if not form.is_valid():
            return 400, ""
        alert_subscribe(
            email=form.cleaned_data["email"],
            language=translation.get_language(),
            address=client_address(request),
            **subject(form.cleaned_data),
        )
    except Refused as refused:
        return refused.status, str(refused.message)
    except ValidationError as error:
        _errors_to_form(form, error)
        return 400, ""
    return None


def _area(data) -> dict:
    if data.get("settlement"):
        from sdg.models import Settlement

        return {"settlement": Settlement.objects.get(key=data["settlement"])}
    return {"centre": Point(data["lon"], data["lat"], srid=4326), "radius_m": data["radius_m"]}


@require_http_methods(["GET", "POST"])
def area_alert(request):
    if request.method == "GET":
        initial = {"lat": request.GET.get("lat"), "lon": request.GET.get("lon")}
        return render(request, "reports/alert_area.html", {"form": AreaAlertForm(initial=initial)})
    form = AreaAlertForm(request.POST)
    failed = _subscribe(request, form, _area)
    if failed:
        status, message = failed
        context = {"form": form, "message": message}
        return render(request, "reports/alert_area.html", context, status=status)
    return render(request, "reports/alert_sent.html", {})


@require_POST
def report_follow(request, report_id: int):
    report = report_public_get(report_id)
    if report is None:
        raise Http404("No such report.")
    form = FollowForm(request.POST)
    failed = _subscribe(request, form, lambda data: {"report": report})
    if failed:
        status, message = failed
        context = {"form": form, "message": message, "report": report}
        return render(request, "reports/follow.html", context, status=status)
    return render(request, "reports/alert_sent.html", {"report": report})


@require_http_methods(["GET", "POST"])
def alert_confirm_page(request, token: str):
    return _token_page(request, token, alert_confirm, "confirm")


@require_http_methods(["GET", "POST"])
def unsubscribe_page(request, token: str):
    return _token_page(request, token, alert_unsubscribe, "unsubscribe")


def _token_page(request, token, action, kind):
    context = {"token": token, "kind": kind}
    if request.method == "GET":
        return render(request, "reports/alert_link.html", context)
    try:
        context["done"] = action(token=token)
    except ValidationError as error:
        context["error"] = error.messages[0]
        return render(request, "reports/alert_link.html", context, status=400)
    return render(request, "reports/alert_link.html", context)
