"""The hromada this portal serves: its profile (configuration) and its boundary (data)."""

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

from geoportal.env import BASE_DIR


def _english() -> bool:
    return (get_language() or "uk").startswith("en")


@dataclass(frozen=True)
class ProgrammeText:
    """What the hromada says about one of its own programmes (the "Accessible business"
    award, the micro-grants for adaptation), in both languages, as its council adopted it.

    Kept in the profile rather than in the translation catalogues: it is the wording of a
    council decision, which differs from city to city and is not the portal's to translate.
    """

    about_uk: str = ""
    about_en: str = ""
    criteria_uk: tuple[str, ...] = ()
    criteria_en: tuple[str, ...] = ()

    @property
    def about(self) -> str:
        return self.about_en if _english() else self.about_uk

    @property
    def criteria(self) -> tuple[str, ...]:
        return self.criteria_en if _english() else self.criteria_uk

    @classmethod
    def from_toml(cls, raw: dict) -> "ProgrammeText":
        return cls(
            about_uk=str(raw.get("about_uk", "")).strip(),
            about_en=str(raw.get("about_en", "")).strip(),
            criteria_uk=_text_list(raw.get("criteria_uk", [])),
            criteria_en=_text_list(raw.get("criteria_en", [])),
        )


def _text_list(value) -> tuple[str, ...]:
    # A lone string would otherwise become a list of its letters.
    if not isinstance(value, list):
        raise TypeError(f"a list of texts is expected, not {value!r}")
    return tuple(str(item).strip() for item in value if str(item).strip())


@dataclass(frozen=True)
class HromadaProfile:
    """What a deployment says about its hromada, read from data/hromadas/<slug>.toml."""

    slug: str
    code: str
    name_uk: str
    name_en: str
    portal_title_uk: str
    portal_title_en: str
    boundary_path: Path
    boundary_attribution: str
    map_center: tuple[float, float]
    map_zoom: int
    projected_crs: str
    # The open-data contact of the hromada (the catalogue's and passports' fallback email)
    # and its legal identity (ЄДРПОУ code), for the national portal's passports.
    open_data_email: str = ""
    edrpou: str = ""
    # The city's accessibility programmes as the public awards page states them.
    award: ProgrammeText = field(default_factory=ProgrammeText)
    microgrants: ProgrammeText = field(default_factory=ProgrammeText)

    @property
    def projected_srid(self) -> int:
        """The SRID of ``projected_crs`` ("EPSG:5563" → 5563): metres for buffers and areas."""
        return int(self.projected_crs.removeprefix("EPSG:"))

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_uk

    @property
    def portal_title(self) -> str:
        return self.portal_title_en if _english() else self.portal_title_uk


@functools.cache
def hromada_profile() -> HromadaProfile:
    """Return the configured hromada profile (GEOPORTAL_HROMADA)."""
    slug = settings.GEOPORTAL_HROMADA
    path = Path(settings.GEOPORTAL_HROMADA_DIR) / f"{slug}.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return HromadaProfile(
            slug=slug,
            code=raw["code"],
            name_uk=raw["name_uk"],
            name_en=raw["name_en"],
            portal_title_uk=raw["portal_title_uk"],
            portal_title_en=raw["portal_title_en"],
            boundary_path=(BASE_DIR / "data" / raw["boundary"]).resolve(),
            boundary_attribution=raw["boundary_attribution"],
            map_center=(float(raw["map_center"][0]), float(raw["map_center"][1])),
            map_zoom=int(raw["map_zoom"]),
            projected_crs=raw["projected_crs"],
            open_data_email=raw.get("open_data_email", ""),
            edrpou=str(raw.get("edrpou", "")),
            award=ProgrammeText.from_toml(raw.get("accessible_business_award", {})),
            microgrants=ProgrammeText.from_toml(raw.get("microgrant_programme", {})),
        )
    except FileNotFoundError as exc:
        raise ImproperlyConfigured(f"GEOPORTAL_HROMADA={slug!r}: no profile at {path}") from exc
    except (
        KeyError,
        ValueError,
        IndexError,
        TypeError,
        AttributeError,
        tomllib.TOMLDecodeError,
    ) as exc:
        raise ImproperlyConfigured(f"Hromada profile {path} is incomplete: {exc!r}") from exc
