"""The hromada's calendar: what "this year" is for rules that speak of years."""

from django.utils import timezone


def current_year() -> int:
    """The year in the hromada's time zone (``TIME_ZONE``, Europe/Kyiv): in the last hours
    of 31 December in UTC it is already the new year in Kyiv, and a campaign year turns
    with the local calendar."""
    return timezone.localdate().year
