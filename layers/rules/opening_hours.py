"""Opening hours in words, from the OpenStreetMap ``opening_hours`` syntax.

The value is parsed by opening-hours-py (the maintained Rust parser behind OSM's tools); no
library renders Ukrainian, so the words are the portal's own, built from what the parser
says about one week: its open intervals day by day, consecutive days with the same hours
grouped ("Mon–Fri 08:00–17:00"). A week read from the parser rather than from the rule's
text covers every syntax the parser knows (24/7, "off", several ranges a day, overnight
ranges) without a second grammar here. Rules that vary by season are read for the week
that contains ``today``; the page keeps the raw value beside the words for reference.
"""

import datetime
from dataclasses import dataclass

import opening_hours
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Monday first, as Ukrainian and ISO weeks begin.
_DAY_ABBREVIATIONS = (
    gettext_lazy("Mon"),
    gettext_lazy("Tue"),
    gettext_lazy("Wed"),
    gettext_lazy("Thu"),
    gettext_lazy("Fri"),
    gettext_lazy("Sat"),
    gettext_lazy("Sun"),
)
_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class DayGroup:
    """Consecutive weekdays with the same hours: ``days`` as words, ``hours`` as words."""

    days: str
    hours: str


@dataclass(frozen=True)
class OpeningHoursText:
    """A value in words (``groups`` empty when it could not be read) and the raw value."""

    raw: str
    groups: tuple[DayGroup, ...]

    @property
    def understood(self) -> bool:
        return bool(self.groups)


def _clock(moment: datetime.datetime, day_start: datetime.datetime) -> str:
    # An interval that ends at the next midnight ends at 24:00 of its day, as OSM writes it.
    if moment - day_start >= _DAY:
        return "24:00"
    return moment.strftime("%H:%M")


def _day_hours(parsed, day_start: datetime.datetime) -> str | None:
    """One day's hours in words; None when the parser does not know (unknown state)."""
    ranges = []
    for start, end, state, comment in parsed.intervals(day_start, day_start + _DAY):
        if state == opening_hours.State.UNKNOWN:
            return None
        if state != opening_hours.State.OPEN:
            continue
        text = f"{_clock(start, day_start)}–{_clock(end, day_start)}"
        ranges.append(f"{text} ({comment})" if comment else text)
    if ranges == ["00:00–24:00"]:
        return _("open 24 hours")
    return ", ".join(ranges) if ranges else _("closed")


def _day_span(first: int, last: int) -> str:
    if first == last:
        return str(_DAY_ABBREVIATIONS[first])
    separator = "–" if last - first > 1 else ", "
    return f"{_DAY_ABBREVIATIONS[first]}{separator}{_DAY_ABBREVIATIONS[last]}"


def opening_hours_text(raw: str, *, today: datetime.date) -> OpeningHoursText:
    """``raw`` in words for the week of ``today`` in the active language; a value the parser
    refuses (or whose hours it does not know) gives no groups, and the page shows it raw."""
    raw = (raw or "").strip()
    if not raw:
        return OpeningHoursText(raw="", groups=())
    try:
        parsed = opening_hours.OpeningHours(raw)
    except (opening_hours.ParserError, ValueError, TypeError):
        return OpeningHoursText(raw=raw, groups=())
    monday = datetime.datetime.combine(today - today.weekday() * _DAY, datetime.time())
    try:
        week = [_day_hours(parsed, monday + n * _DAY) for n in range(7)]
    except Exception:  # a rule the parser takes but cannot evaluate: shown raw
        return OpeningHoursText(raw=raw, groups=())
    if None in week:
        return OpeningHoursText(raw=raw, groups=())
    if len(set(week)) == 1:
        return OpeningHoursText(raw=raw, groups=(DayGroup(days=_("every day"), hours=week[0]),))
    groups, first = [], 0
    for day in range(1, 8):
        if day == 7 or week[day] != week[first]:
            groups.append(DayGroup(days=_day_span(first, day - 1), hours=week[first]))
            first = day
    return OpeningHoursText(raw=raw, groups=tuple(groups))
