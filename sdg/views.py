"""The public SDG dashboard (``/sdg/``, ``/en/sdg/``): the 17 goals, a goal's indicators, an
indicator's page (chart, table, map by settlement, metadata, progress) and its downloads."""

import json

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from layers.hromada import hromada_profile
from sdg.exports import csv_filename, indicator_json, open_sdg_csv
from sdg.goals import GOALS, goal_get
from sdg.models import Indicator, Settlement
from sdg.progress import STATUS_LABELS
from sdg.selectors import indicator_state

SIMPLIFY_DEGREES = 0.0002  # ~15 m: enough for a map of the hromada, a fraction of the bytes


def _indicator(code: str) -> Indicator:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise Http404(_("There is no such indicator."))
    return indicator


def _states_by_goal() -> dict[int, list]:
    by_goal: dict[int, list] = {goal.number: [] for goal in GOALS}
    for indicator in Indicator.objects.all():
        by_goal[indicator.goal].append(indicator_state(indicator))
    return by_goal


@require_safe
def dashboard(request):
    by_goal = _states_by_goal()
    goals = [{"goal": goal, "states": by_goal[goal.number]} for goal in GOALS]
    return render(request, "sdg/dashboard.html", {"goals": goals, "hromada": hromada_profile()})


@require_safe
def goal_page(request, number: int):
    if not 1 <= number <= 17:
        raise Http404(_("There are 17 goals."))
    states = [indicator_state(i) for i in Indicator.objects.filter(goal=number)]
    return render(
        request,
        "sdg/goal.html",
        {"goal": goal_get(number), "states": states, "hromada": hromada_profile()},
    )


def _settlement_features(state) -> dict:
    values = {row["key"]: row for row in state.by_area}
    features = []
    rows = Settlement.objects.annotate(shape=AsGeoJSON("geom", precision=5)).only(
        "key", "name_uk", "name_en", "population"
    )
    for settlement in rows:
        row = values.get(settlement.key)
        if row is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(settlement.shape),
                "properties": {
                    "key": settlement.key,
                    "name": settlement.name,
                    "value": row["value"],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@require_safe
def indicator_page(request, code: str):
    indicator = _indicator(code)
    state = indicator_state(indicator)
    chart = {
        "years": [point.year for point in state.series],
        "values": [point.value for point in state.series],
        "baseline": {"year": indicator.baseline_year, "value": indicator.baseline_value},
        "target": {"year": indicator.target_year, "value": indicator.target_value},
        "unit": indicator.unit,
        "strings": {
            "series": indicator.title,
            "baseline": _("Baseline"),
            "target": _("Target"),
            "noValue": _("no value"),
            "year": _("Year"),
        },
        "map": _settlement_features(state) if state.areas_are_settlements else None,
    }
    return render(
        request,
        "sdg/indicator.html",
        {
            "indicator": indicator,
            "goal": goal_get(indicator.goal),
            "state": state,
            "chart": chart,
            "hromada": hromada_profile(),
            "status_labels": STATUS_LABELS,
            "csv_name": csv_filename(indicator.code),
        },
    )


@require_safe
def indicator_csv(request, code: str):
    state = indicator_state(_indicator(code))
    response = HttpResponse(open_sdg_csv(state), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{csv_filename(code)}"'
    return response


def _indicator_url(request, code: str) -> str:
    return request.build_absolute_uri(reverse("sdg-api:indicator", args=[code]))


@require_safe
def api_indicators(request):
    """Every indicator with its current (or latest) value."""
    items = []
    for indicator in Indicator.objects.all():
        state = indicator_state(indicator)
        document = indicator_json(state, url=_indicator_url(request, indicator.code))
        for detail in ("series", "by_settlement", "by_breakdown", "definition", "method"):
            document.pop(detail)
        items.append(document)
    return JsonResponse({"indicators": items}, json_dumps_params={"ensure_ascii": False})


@require_safe
def api_indicator(request, code: str):
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        return JsonResponse(
            {"code": "NotFound", "description": f"There is no indicator {code!r}."}, status=404
        )
    state = indicator_state(indicator)
    return JsonResponse(
        indicator_json(state, url=_indicator_url(request, code)),
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def api_openapi(request):
    from sdg.openapi import openapi_document

    return JsonResponse(openapi_document(request), json_dumps_params={"ensure_ascii": False})
