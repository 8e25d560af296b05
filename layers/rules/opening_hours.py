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
    # The rule changes with the season: the words are this week's hours only.
    this_week_only: bool = False

    @property
    def understood(self) -> bool:
        return bool(self.groups)


# A day's open ranges as minutes from its midnight: (start, end, comment).
Ranges = list[tuple[int, int, str]]
_MIDNIGHT = 24 * 60


def _day_ranges(parsed, day_start: datetime.datetime) -> Ranges | None:
    """One day's open ranges; None when the parser does not know (an "unknown" state)."""
    ranges = []
    for start, end, state, comment in parsed.intervals(day_start, day_start + _DAY):
        if state == opening_hours.State.UNKNOWN:
            return None
        if state == opening_hours.State.OPEN:
            minutes = [int((moment - day_start).total_seconds() // 60) for moment in (start, end)]
            ranges.append((*minutes, comment))
    return ranges


def _join_overnight(week: list[Ranges]) -> list[Ranges]:
    """A range open past midnight as one range of its evening ("22:00–02:00"), as people
    say it, not as the evening and the next early morning. The week is a cycle: Sunday
    night runs into Monday morning."""
    joined = [list(day) for day in week]
    for day in range(7):
        evening, morning = week[day], week[(day + 1) % 7]
        if not (evening and morning) or evening[-1][0] == 0:
            continue  # closed, or open all day (no evening range to extend)
        if evening[-1][1] == _MIDNIGHT and morning[0][0] == 0 and morning[0][1] < _MIDNIGHT:
            start, _end, comment = evening[-1]
            joined[day][-1] = (start, _MIDNIGHT + morning[0][1], comment)
            joined[(day + 1) % 7].remove(morning[0])
    return joined


def _clock(minutes: int) -> str:
    # An interval that ends at midnight ends at 24:00 of its day, as OSM writes it; one
    # that runs past it is told by the next day's clock.
    if minutes == _MIDNIGHT:
        return "24:00"
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def _day_words(ranges: Ranges) -> str:
    if [(start, end) for start, end, _comment in ranges] == [(0, _MIDNIGHT)]:
        return _("open 24 hours")
    words = [
        f"{_clock(start)}–{_clock(end)}" + (f" ({comment})" if comment else "")
        for start, end, comment in ranges
    ]
    return ", ".join(words) if words else _("closed")


def _week(parsed, monday: datetime.datetime) -> list[Ranges] | None:
    week = [_day_ranges(parsed, monday + n * _DAY) for n in range(7)]
    return None if None in week else _join_overnight(week)


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
        ranges = _week(parsed, monday)
        # Half a year on: a rule with seasons reads differently, and the words say "this week".
        later = _week(parsed, monday + 26 * 7 * _DAY)
    except Exception:  # a rule the parser takes but cannot evaluate: shown raw
        return OpeningHoursText(raw=raw, groups=())
    if ranges is None:
        return OpeningHoursText(raw=raw, groups=())
    week = [_day_words(day) for day in ranges]
    seasonal = later is not None and later != ranges
    if len(set(week)) == 1:
        every_day = DayGroup(days=_("every day"), hours=week[0])
        return OpeningHoursText(raw=raw, groups=(every_day,), this_week_only=seasonal)
    groups, first = [], 0
    for day in range(1, 8):
        if day == 7 or week[day] != week[first]:
            groups.append(DayGroup(days=_day_span(first, day - 1), hours=week[first]))
            first = day
    return OpeningHoursText(raw=raw, groups=tuple(groups), this_week_only=seasonal)
