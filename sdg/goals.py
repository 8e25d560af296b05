"""The 17 Sustainable Development Goals: their short titles and official colours (UN SDG
communication guidelines), and the text colour of a tile, black or white, whichever gives
the higher contrast (WCAG 2.1; ``tests/sdg`` checks at least 4.5:1 for each)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_GOALS = {
    1: (_("No poverty"), "#E5243B"),
    2: (_("Zero hunger"), "#DDA63A"),
    3: (_("Good health and well-being"), "#4C9F38"),
    4: (_("Quality education"), "#C5192D"),
    5: (_("Gender equality"), "#FF3A21"),
    6: (_("Clean water and sanitation"), "#26BDE2"),
    7: (_("Affordable and clean energy"), "#FCC30B"),
    8: (_("Decent work and economic growth"), "#A21942"),
    9: (_("Industry, innovation and infrastructure"), "#FD6925"),
    10: (_("Reduced inequalities"), "#DD1367"),
    11: (_("Sustainable cities and communities"), "#FD9D24"),
    12: (_("Responsible consumption and production"), "#BF8B2E"),
    13: (_("Climate action"), "#3F7E44"),
    14: (_("Life below water"), "#0A97D9"),
    15: (_("Life on land"), "#56C02B"),
    16: (_("Peace, justice and strong institutions"), "#00689D"),
    17: (_("Partnerships for the goals"), "#19486A"),
}


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Goal:
    number: int
    title: Promise
    colour: str

    @property
    def text_colour(self) -> str:
        return max(("#000000", "#FFFFFF"), key=lambda text: contrast(self.colour, text))


GOALS = tuple(Goal(number, title, colour) for number, (title, colour) in _GOALS.items())


def goal_get(number: int) -> Goal:
    return GOALS[number - 1]
