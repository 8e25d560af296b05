"""The map's symbols: one catalogue of point shapes, line dashes and area hatchings, drawn
by the map's canvas (its JavaScript reads them from the page's configuration) and by the
legends as SVG, so that a value is told by its mark as well as its colour and the legend
shows what the map draws.

A registry entry names the shape of each value it is coloured by (``Drawing.shapes``); a
value it names none for (every registry defined as data) takes the first shape of
``SYMBOL_ORDER`` that the layer does not use yet, in the order of its values; dashes and
hatchings are given in the same way, in the order of ``LINE_DASHES`` and ``AREA_HATCHES``.
"""

import math
from dataclasses import dataclass

from django.utils.html import format_html


def _regular(corners: int, radius: float, *, turn: float = -90.0, inner: float = 0.0):
    """The corners of a regular polygon (or, with ``inner``, a star) around the origin."""
    points = []
    steps = corners * 2 if inner else corners
    for i in range(steps):
        r = inner if inner and i % 2 else radius
        angle = math.radians(turn + 360.0 * i / steps)
        points.append((round(r * math.cos(angle), 3), round(r * math.sin(angle), 3)))
    return tuple(points)


@dataclass(frozen=True)
class Symbol:
    """A point symbol drawn at radius 1: an outline (no outline: a circle), about as large
    as the circle; ``hollow``: drawn as a thick ring in the colour, white inside."""

    name: str
    outline: tuple[tuple[float, float], ...] = ()
    hollow: bool = False

    def as_json(self) -> dict:
        return {"outline": [list(point) for point in self.outline], "hollow": self.hollow}

    def svg_path(self, radius: float) -> str:
        """The symbol as SVG path data, centred on the origin."""
        if not self.outline:
            r = radius * (0.8 if self.hollow else 1.0)
            return f"M{-r:g} 0a{r:g} {r:g} 0 1 0 {2 * r:g} 0a{r:g} {r:g} 0 1 0 {-2 * r:g} 0z"
        points = [f"{x * radius:.2f} {y * radius:.2f}" for x, y in self.outline]
        return "M" + "L".join(points) + "Z"


_PLUS = (
    (-0.42, -1.2),
    (0.42, -1.2),
    (0.42, -0.42),
    (1.2, -0.42),
    (1.2, 0.42),
    (0.42, 0.42),
    (0.42, 1.2),
    (-0.42, 1.2),
    (-0.42, 0.42),
    (-1.2, 0.42),
    (-1.2, -0.42),
    (-0.42, -0.42),
)

SYMBOLS = {
    symbol.name: symbol
    for symbol in (
        Symbol("circle"),
        Symbol("square", ((-0.9, -0.9), (0.9, -0.9), (0.9, 0.9), (-0.9, 0.9))),
        Symbol("diamond", ((0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0))),
        Symbol("triangle", _regular(3, 1.5, turn=-90)),
        Symbol("triangle_down", _regular(3, 1.5, turn=90)),
        Symbol("star", _regular(5, 1.55, inner=0.68)),
        Symbol("plus", _PLUS),
        Symbol("hexagon", _regular(6, 1.12, turn=0)),
        Symbol("ring", hollow=True),
    )
}
# The order in which values without a declared shape get one: the most different first,
# the hollow ring last (a "not known" or "other" value, where a layer declares it).
SYMBOL_ORDER = tuple(SYMBOLS)
DEFAULT_SYMBOL = "circle"


# Lines are told apart by their dashes (CSS px), areas by a hatching over their translucent
# fill (the path of one 8 x 8 px tile of the pattern, stroked in the value's colour; the
# map's canvas draws the same path data as the legend's SVG). The first of each is plain.
LINE_DASHES = {
    "solid": (),
    "dash": (9, 5),
    "dot": (2, 4),
    "dash_dot": (10, 4, 2, 4),
    "long_dash": (18, 6),
    "dash_dot_dot": (10, 3, 2, 3, 2, 3),
    "short_dash": (4, 4),
    "long_short": (16, 4, 6, 4),
}
AREA_HATCHES = {
    "plain": "",
    "diagonal": "M-2 2L2 -2M0 8L8 0M6 10L10 6",
    "horizontal": "M0 4H8",
    "cross": "M-2 2L2 -2M0 8L8 0M6 10L10 6M-2 6L2 10M0 0L8 8M6 -2L10 2",
    "vertical": "M4 0V8",
    "back_diagonal": "M-2 6L2 10M0 0L8 8M6 -2L10 2",
    "dots": "M1.5 2.5h2M5.5 6.5h2",
    "grid": "M0 4H8M4 0V8",
}


def _assign(values, order, declared=None) -> dict[str, str]:
    """Each value its declared mark, the others the unused marks of ``order`` in turn
    (again from the start when a layer has more values than marks)."""
    declared = {v: mark for v, mark in (declared or {}).items() if mark in order}
    unused = [mark for mark in order if mark not in declared.values()] or list(order)
    marks = {}
    for value in values:
        if value in declared:
            marks[value] = declared[value]
        else:
            marks[value] = unused[0]
            unused = unused[1:] or list(order)
    return {**declared, **marks}


def point_shapes(registry) -> dict[str, str]:
    """The shape of every value the layer is coloured by: the entry's own, then the unused
    shapes of the catalogue in order."""
    return _assign(registry.colours, SYMBOL_ORDER, registry.drawing.shapes)


def line_dashes(registry) -> dict[str, tuple[int, ...]]:
    """The dashes of every value of a line layer (a layer drawn dashed as a whole keeps its
    dashes for every value)."""
    if registry.drawing.dash:
        return {value: registry.drawing.dash for value in registry.colours}
    return {
        v: LINE_DASHES[mark] for v, mark in _assign(registry.colours, tuple(LINE_DASHES)).items()
    }


def area_hatches(registry) -> dict[str, str]:
    """The hatching of every value of an area layer (path data of a pattern tile)."""
    return {v: AREA_HATCHES[m] for v, m in _assign(registry.colours, tuple(AREA_HATCHES)).items()}


def drawing_json(registry) -> dict:
    """How the map draws the layer (``Drawing.as_json``) with each value's marks: its
    point shape by name and the outlines of the shapes used, its dashes, its hatching."""
    shapes = point_shapes(registry)
    return {
        **registry.drawing.as_json(),
        "shapes": shapes,
        "symbols": {
            name: SYMBOLS[name].as_json()
            for name in dict.fromkeys((DEFAULT_SYMBOL, *shapes.values()))
        },
        "dashes": {value: list(dash) for value, dash in line_dashes(registry).items()}
        if registry.geometry_kind == "line"
        else {},
        "hatches": area_hatches(registry) if registry.geometry_kind in ("polygon", "mixed") else {},
    }


# The legend's symbols: SVG in the page (no script needed), coloured by the layer
# stylesheet's custom properties (``--swatch``), drawn like the map's.
_VIEW = "-13 -13 26 26"


def _dasharray(dash) -> str:
    return format_html(' stroke-dasharray="{}"', " ".join(str(n) for n in dash)) if dash else ""


def _area(registry, value: str, x: int, width: int):
    pattern_id = f"hatch-{css_name(registry.id)}-{css_name(value) or 'layer'}"
    hatch = area_hatches(registry).get(value, "")
    outline = format_html(
        '<rect class="symbol-area" x="{}" y="-8" width="{}" height="16" rx="2"{}/>',
        x,
        width,
        _dasharray(registry.drawing.dash),
    )
    if not hatch:
        return outline
    return format_html(
        '<defs><pattern id="{}" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<path class="symbol-hatch" d="{}"/></pattern></defs>{}'
        '<rect x="{}" y="-8" width="{}" height="16" rx="2" fill="url(#{})"/>',
        pattern_id,
        hatch,
        outline,
        x,
        width,
        pattern_id,
    )


def legend_symbol(registry, value: str = ""):
    """An SVG legend swatch of the value (or of the layer) as the map draws it: its point
    shape, its line's dashes or its area's hatching (a layer of points and areas: both)."""
    classes = f"symbol swatch-{css_name(registry.id)}"
    if value:
        classes += f" swatch-{css_name(registry.id)}--{css_name(value)}"
    view, width = _VIEW, 18
    if registry.geometry_kind == "line":
        dash = line_dashes(registry).get(value, registry.drawing.dash)
        shape = format_html(
            '<path class="symbol-line" d="M-11 6L-4 -5L4 5L11 -6"{}/>', _dasharray(dash)
        )
    elif registry.geometry_kind == "polygon":
        shape = _area(registry, value, -10, 20)
    else:
        symbol = SYMBOLS[point_shapes(registry).get(value, DEFAULT_SYMBOL)]
        kind = "symbol-shape symbol-hollow" if symbol.hollow else "symbol-shape"
        shape = format_html('<path class="{}" d="{}"/>', kind, symbol.svg_path(8))
        if registry.geometry_kind == "mixed":
            view, width = "-13 -13 52 26", 36
            classes += " symbol-wide"
            shape = format_html("{}{}", shape, _area(registry, value, 16, 20))
    return format_html(
        '<svg class="{}" viewBox="{}" width="{}" height="18" aria-hidden="true"'
        ' focusable="false">{}</svg>',
        classes,
        view,
        width,
        shape,
    )


def css_name(value: str) -> str:
    """A registry id or value as it may stand in a CSS class or custom property's name."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in str(value))
