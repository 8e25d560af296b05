"""The SDG indicators as data sets of the DCAT-AP catalogue (``/ogc/catalogue``): one per
indicator, with its CSV (Open SDG layout) and its JSON resource as distributions."""

from django.db.models import Max
from django.urls import reverse
from django.utils import translation

from layers.ogcapi.metadata import Distribution, OtherDataset
from layers.selectors.stamps import Stamp, combined_stamp
from sdg.compute import current_year
from sdg.goals import goal_get
from sdg.models import EnteredValue, Frequency, Indicator, Snapshot

# EU data themes by goal: environment, regions and cities, economy, society, education...
_THEMES = {4: "EDUC", 6: "ENVI", 7: "ENER", 8: "ECON", 9: "ECON", 11: "REGI", 13: "ENVI"}
_THEMES.update({12: "ENVI", 14: "ENVI", 15: "ENVI", 16: "JUST", 3: "HEAL", 2: "AGRI"})
_FREQUENCY = {Frequency.MONTHLY: "MONTHLY", Frequency.QUARTERLY: "QUARTERLY"}


def _stamp() -> Stamp:
    moments = [
        Indicator.objects.aggregate(m=Max("updated_at"))["m"],
        EnteredValue.objects.aggregate(m=Max("decided_at"))["m"],
        Snapshot.objects.aggregate(m=Max("taken_at"))["m"],
    ]
    known = [m for m in moments if m]
    changes = Indicator.objects.count() + EnteredValue.objects.count() + Snapshot.objects.count()
    return Stamp(max(known) if known else None, changes)


def _goal_title(number: int, language: str) -> str:
    with translation.override(language):
        return str(goal_get(number).title)


def sdg_datasets(request) -> tuple[list[OtherDataset], Stamp]:
    found = []
    for indicator in Indicator.objects.all():
        api = request.build_absolute_uri(reverse("sdg-api:indicator", args=[indicator.code]))
        with translation.override("uk"):
            page = request.build_absolute_uri(reverse("sdg:indicator", args=[indicator.code]))
            csv_url = request.build_absolute_uri(
                reverse("sdg:indicator-csv", args=[indicator.code])
            )
        found.append(
            OtherDataset(
                identifier=f"sdg-{indicator.code}",
                node_id=f"{api}#dataset",
                titles={"uk": indicator.title_uk, "en": indicator.title_en},
                descriptions={"uk": indicator.definition_uk, "en": indicator.definition_en},
                landing_page=page,
                keywords=(
                    "SDG",
                    "ЦСР",
                    f"SDG {indicator.goal}",
                    f"SDG {indicator.target}",
                    _goal_title(indicator.goal, "uk"),
                ),
                themes=(_THEMES.get(indicator.goal, "SOCI"),),
                frequency=_FREQUENCY.get(indicator.frequency, "ANNUAL"),
                contact_name=indicator.responsible_uk,
                distributions=(
                    Distribution(
                        key="csv",
                        title=f"{indicator.title_uk}: CSV (Open SDG)",
                        access_url=csv_url,
                        download_url=csv_url,
                        media_type="text/csv",
                        file_type="CSV",
                        collection_id=indicator.code,
                    ),
                    Distribution(
                        key="json",
                        title=f"{indicator.title_uk}: JSON",
                        access_url=api,
                        download_url=api,
                        media_type="application/json",
                        file_type="JSON",
                        collection_id=indicator.code,
                    ),
                ),
                start=_year_start(indicator.baseline_year),
                end=_year_start(indicator.target_year or current_year(), end=True),
                modified=indicator.updated_at,
            )
        )
    return found, combined_stamp([_stamp()])


def _year_start(year, *, end: bool = False):
    import datetime

    if not year:
        return None
    return datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1)
