"""Public pages of the accessibility registry besides its records': the city's programmes
(the "Accessible business" award and the micro-grants for adaptation) and the printable
PDF card of one object."""

import hashlib
import re

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from layers.csp import csp_protect
from layers.models.accessibility import FIRST_YEAR, LAST_YEAR
from layers.printing import pdf_render
from layers.registry import public_registry_get
from layers.selectors.accessibility import ACCESSIBILITY, accessibility_programme_years
from layers.selectors.accessibility_card import NoAssessmentThatYear, accessibility_card

# Bump when the card's template or styles change, so that cached PDFs are made again.
CARD_LAYOUT = "1"
# A card's PDF is kept by the hash of what it prints: a change makes a new key.
CARD_CACHE_SECONDS = 24 * 3600
CARD_MAX_AGE = 300


@csp_protect
@require_safe
def awards(request):
    """The "Accessible business" award winners and the micro-grant participants by year,
    with the criteria of the award as the hromada profile states them."""
    registry = public_registry_get(ACCESSIBILITY)
    context = {
        "registry": registry,
        "winners": accessibility_programme_years(programme="award"),
        "participants": accessibility_programme_years(programme="microgrants"),
        "map_url": reverse("layers:home"),
    }
    return render(request, "layers/accessibility/awards.html", context)


class BadYear(ValueError):
    pass


def _year(params) -> int | None:
    """``?year=`` as a year of the monitoring (absent: the latest assessment)."""
    if "year" not in params:
        return None
    raw = params["year"]
    if len(params.getlist("year")) > 1 or not re.fullmatch(r"[0-9]{4}", raw):
        raise BadYear(_("“year” is a year of four digits, e.g. ?year=2025."))
    year = int(raw)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        span = {"first": FIRST_YEAR, "last": LAST_YEAR}
        raise BadYear(_("Assessments are from %(first)s to %(last)s.") % span)
    return year


def _unavailable(request, *, status: int, message: str, public_id, years=()) -> HttpResponse:
    context = {"message": message, "public_id": public_id, "years": years, "status": status}
    return render(request, "layers/accessibility/card_unavailable.html", context, status=status)


@csp_protect
@require_safe
def card_pdf(request, public_id):
    """The printable card of a published object (``?year=`` for an earlier assessment)."""
    try:
        year = _year(request.GET)
    except BadYear as exc:
        return _unavailable(request, status=400, message=str(exc), public_id=public_id)
    try:
        card = accessibility_card(public_id=public_id, year=year)
    except NoAssessmentThatYear as exc:
        message = _("This object has no assessment of %(year)s.") % {"year": exc.year}
        return _unavailable(
            request, status=404, message=message, public_id=public_id, years=exc.years
        )
    if card is None:
        raise Http404(_("No such published record."))
    page_url = request.build_absolute_uri(card.url)  # printed on the card
    fingerprint = hashlib.sha256(f"{card.digest}|{page_url}|{CARD_LAYOUT}".encode()).hexdigest()
    etag = f'"{fingerprint[:32]}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponse(status=304)
    else:
        key = f"geoportal:card-pdf:{fingerprint}"
        pdf = cache.get(key)
        if pdf is None:
            colours = public_registry_get(ACCESSIBILITY).colours
            context = {"card": card, "page_url": page_url, "colours": colours}
            pdf = pdf_render("layers/accessibility/card.html", context, request=request)
            cache.set(key, pdf, CARD_CACHE_SECONDS)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"card-{public_id}{f'-{year}' if year else ''}.pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={CARD_MAX_AGE}"
    return response
