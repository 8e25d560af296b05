"""Every map colour that means something different stays distinguishable for people with the
common colour-vision deficiencies, and every colour stands out from the base map.

Simulation: Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model for
Simulation of Color Vision Deficiency", IEEE TVCG 15(6), the published matrices for
severity 1.0 (full dichromacy: protanopia, deuteranopia, tritanopia), applied in linear
sRGB. Difference: CIEDE2000 (Sharma, Wu & Dalal 2005 formulation) in CIELAB (D65).

Threshold ΔE00 ≥ 8 between simulated colours: about 2.3 units is a just-noticeable
difference for large patches side by side; map dots are small and seen apart, where
differences need to be several times larger to be named reliably (Stone, Szafir & Setlur
2014, "An Engineering Model for Color Difference as a Function of Size", which puts the
noticeable difference of ~0.3° marks at 3-4 times that of large patches). 8 sits above that
while leaving room for a seven-value layer with dark enough colours to reach 3:1 on a light
base map. The accessibility layer's answers also differ by shape, so colour is never alone.

Contrast: WCAG 2.1 relative luminance, at least 3:1 (non-text contrast, 1.4.11) against
the light OpenStreetMap base map (its land colour ≈ #f2efe9) and against white (its roads,
the blank map before the tiles come).

Every registry is checked: the built-in entries, the colours of every shipped choice list and
registry file of ``data/registries/`` (whether or not a registry colours by the list today),
and the entries built from those files as the map receives them.
"""

import itertools
import math
import tomllib

import pytest
from django.core.management import call_command

from layers.datasets.loader import CHOICE_LISTS_FILE, definitions_dir
from layers.registry import BUILTIN_REGISTRIES, registries

BASE_MAP = "#f2efe9"
BACKGROUNDS = (BASE_MAP, "#ffffff")
MIN_DELTA_E = 8.0
MIN_CONTRAST = 3.0

# Machado et al. 2009, Table of severity 1.0 (rows: R', G', B' from linear R, G, B).
MACHADO = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    value = hex_colour.lstrip("#")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def linear_rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(_linear(c) for c in _rgb(hex_colour))


def simulate(linear: tuple[float, float, float], deficiency: str) -> tuple[float, float, float]:
    matrix = MACHADO[deficiency]
    mixed = (sum(m * c for m, c in zip(row, linear, strict=True)) for row in matrix)
    return tuple(min(1.0, max(0.0, value)) for value in mixed)


def lab(linear: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = linear
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e_2000(lab1, lab2) -> float:
    """CIEDE2000 with kL = kC = kH = 1."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp, dcp = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    else:
        dhp = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dHp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    lbp, cbp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbp = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbp = (h1p + h2p) / 2
    else:
        hbp = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hbp - 30))
        + 0.24 * math.cos(math.radians(2 * hbp))
        + 0.32 * math.cos(math.radians(3 * hbp + 6))
        - 0.20 * math.cos(math.radians(4 * hbp - 63))
    )
    d_theta = 30 * math.exp(-(((hbp - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cbp**7 / (cbp**7 + 25**7))
    sl = 1 + 0.015 * (lbp - 50) ** 2 / math.sqrt(20 + (lbp - 50) ** 2)
    sc = 1 + 0.045 * cbp
    sh = 1 + 0.015 * cbp * t
    rt = -math.sin(math.radians(2 * d_theta)) * rc
    return math.sqrt(
        (dlp / sl) ** 2 + (dcp / sc) ** 2 + (dHp / sh) ** 2 + rt * (dcp / sc) * (dHp / sh)
    )


def luminance(hex_colour: str) -> float:
    r, g, b = linear_rgb(hex_colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def worst_difference(first: str, second: str) -> tuple[float, str]:
    """The smallest ΔE00 between two colours as normal vision and each deficiency see them."""
    seen = [("normal vision", delta_e_2000(lab(linear_rgb(first)), lab(linear_rgb(second))))]
    for deficiency in MACHADO:
        a = lab(simulate(linear_rgb(first), deficiency))
        b = lab(simulate(linear_rgb(second), deficiency))
        seen.append((deficiency, delta_e_2000(a, b)))
    name, value = min(seen, key=lambda pair: pair[1])
    return value, name


# --- The helpers against published reference values ------------------------------------------


def test_ciede2000_matches_sharmas_reference_pairs():
    # Sharma, Wu & Dalal (2005), Table 1, pairs 1, 7 and 17.
    pair_1 = delta_e_2000((50, 2.6772, -79.7751), (50, 0, -82.7485))
    assert pair_1 == pytest.approx(2.0425, abs=1e-4)
    assert delta_e_2000((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, abs=1e-4)
    assert delta_e_2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)


def test_simulation_confuses_what_dichromats_confuse():
    # Red and green collapse under deuteranopia (the old accessibility colours), not under
    # normal vision; white stays white.
    old_green, old_red = "#1a7f37", "#c62828"
    deut = [lab(simulate(linear_rgb(c), "deuteranopia")) for c in (old_green, old_red)]
    assert (
        delta_e_2000(*deut)
        < MIN_DELTA_E
        < delta_e_2000(lab(linear_rgb(old_green)), lab(linear_rgb(old_red)))
    )
    assert simulate((1.0, 1.0, 1.0), "protanopia") == pytest.approx((1.0, 1.0, 1.0), abs=1e-3)
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)


# --- The registries' colours ---------------------------------------------------------------


def pairs_too_close(colours: dict[str, str]) -> list[str]:
    """The pairs of values whose colours someone cannot tell apart, in words."""
    too_close = []
    for (value_a, a), (value_b, b) in itertools.combinations(colours.items(), 2):
        difference, seen_by = worst_difference(a, b)
        if difference < MIN_DELTA_E:
            too_close.append(f"{value_a} {a} / {value_b} {b}: ΔE00 {difference:.1f} ({seen_by})")
    return too_close


def faint_colours(colours: dict[str, str]) -> dict[str, float]:
    """The colours below 3:1 against the base map or white, with their lower contrast."""
    lowest = {
        value: min(contrast(colour, bg) for bg in BACKGROUNDS) for value, colour in colours.items()
    }
    return {value: round(ratio, 2) for value, ratio in lowest.items() if ratio < MIN_CONTRAST}


def _colour_maps():
    for registry in BUILTIN_REGISTRIES:
        if registry.colours:
            yield pytest.param(registry, id=registry.id)


@pytest.mark.parametrize("registry", list(_colour_maps()))
def test_every_pair_of_colours_stays_distinguishable_under_colour_vision_deficiencies(registry):
    assert pairs_too_close(registry.colours) == []


@pytest.mark.parametrize("registry", list(_colour_maps()))
def test_every_colour_has_three_to_one_contrast_against_the_base_map(registry):
    assert faint_colours({"(layer)": registry.colour, **registry.colours}) == {}


# --- The registries defined as data: their files, then the entries built from them ------------


def _definition_files() -> dict[str, dict]:
    return {
        path.name: tomllib.loads(path.read_text(encoding="utf-8"))
        for path in sorted(definitions_dir().glob("*.toml"))
    }


def _choice_lists():
    for name, raw in _definition_files().items():
        for slug, spec in raw.get("choice_lists", {}).items():
            colours = {i["value"]: i["colour"] for i in spec.get("items", []) if i.get("colour")}
            if colours:
                yield pytest.param(colours, id=f"{name}:{slug}")


def _registry_files():
    for name, raw in _definition_files().items():
        if name != CHOICE_LISTS_FILE:
            yield pytest.param(raw["registry"], id=name)


def test_the_shipped_files_have_coloured_choice_lists_and_registries():
    assert len(list(_choice_lists())) >= 10
    assert len(list(_registry_files())) >= 5


@pytest.mark.parametrize("colours", list(_choice_lists()))
def test_the_colours_of_every_shipped_choice_list_are_told_apart_and_stand_out(colours):
    assert pairs_too_close(colours) == []
    assert faint_colours(colours) == {}


@pytest.mark.parametrize("registry", list(_registry_files()))
def test_the_colour_of_every_shipped_registry_stands_out(registry):
    assert faint_colours({"(layer)": registry["colour"]}) == {}


@pytest.mark.django_db
def test_every_registry_on_the_map_has_colours_told_apart_that_stand_out():
    # The entries as the map gets them: colours of the style field's choice list, or the
    # portal's palette for a list without colours.
    call_command("load_registries", verbosity=0)
    data_defined = [r for r in registries() if not r.is_builtin]
    assert len(data_defined) >= 5
    problems = {}
    for registry in registries():
        found = pairs_too_close(registry.colours) + [
            f"{value} below 3:1 ({ratio})"
            for value, ratio in faint_colours(
                {"(layer)": registry.colour, **registry.colours}
            ).items()
        ]
        if found:
            problems[registry.id] = found
    assert problems == {}
