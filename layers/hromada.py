"""The hromada this portal serves: its profile (configuration) and its boundary (data)."""

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

from geoportal.env import BASE_DIR


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

    @property
    def projected_srid(self) -> int:
        """The SRID of ``projected_crs`` ("EPSG:5563" → 5563): metres for buffers and areas."""
        return int(self.projected_crs.removeprefix("EPSG:"))

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "uk").startswith("en") else self.name_uk

    @property
    def portal_title(self) -> str:
        if (get_language() or "uk").startswith("en"):
            return self.portal_title_en
        return self.portal_title_uk


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
        )
    except FileNotFoundError as exc:
        raise ImproperlyConfigured(f"GEOPORTAL_HROMADA={slug!r}: no profile at {path}") from exc
    except (KeyError, ValueError, IndexError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise ImproperlyConfigured(f"Hromada profile {path} is incomplete: {exc!r}") from exc
