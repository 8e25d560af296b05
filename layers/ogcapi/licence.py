"""The licence and source statement every open-data output carries."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from layers.hromada import hromada_profile

# SPDX id -> (title, URL). Another licence id gets the SPDX page as its URL.
_KNOWN = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution-ShareAlike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": (
        "Creative Commons Zero 1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "ODbL-1.0": (
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
}


@dataclass(frozen=True)
class Licence:
    spdx: str
    title: str
    url: str


def data_licence(registry=None) -> Licence:
    """The licence of the published data: the registry's own, else the portal's
    (``GEOPORTAL_DATA_LICENSE``, CC BY 4.0 by default)."""
    spdx = getattr(registry, "licence", "") or settings.GEOPORTAL_DATA_LICENSE
    title, url = _KNOWN.get(spdx, (spdx, f"https://spdx.org/licenses/{spdx}.html"))
    return Licence(spdx, title, url)


def data_source(portal_url: str) -> str:
    """Who publishes the data and where: the attribution a reuser gives."""
    return _("%(portal)s, %(url)s") % {"portal": hromada_profile().portal_title, "url": portal_url}


def licence_text(*, title: str, portal_url: str, collection_url: str) -> str:
    """A plain-text licence and source note for download archives (README.txt)."""
    licence = data_licence()
    return "\n".join(
        [
            str(title),
            "",
            _("Licence: %(title)s (%(spdx)s), %(url)s")
            % {"title": licence.title, "spdx": licence.spdx, "url": licence.url},
            _("Source: %(source)s") % {"source": data_source(portal_url)},
            _("Metadata and API: %(url)s") % {"url": collection_url},
            "",
        ]
    )
