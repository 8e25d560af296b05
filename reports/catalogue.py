"""Citizen reports as a data set of the DCAT-AP catalogue (``/ogc/catalogue``, declared in
``GEOPORTAL_CATALOGUE_DATASETS``): every published report as CSV and GeoJSON, the OGC
API collection and the Open311 interface, never the reporter."""

from django.db.models import Max, Min
from django.urls import reverse
from django.utils import translation

from layers.hromada import hromada_profile
from layers.ogcapi.metadata import Distribution, OtherDataset
from layers.selectors.stamps import Stamp
from reports.ogc import COLLECTION_ID
from reports.selectors import reports_public, reports_public_stamp

OPEN311 = "http://wiki.open311.org/GeoReport_v2/"


def reports_datasets(request) -> tuple[list[OtherDataset], Stamp]:
    stamp = reports_public_stamp()
    if not stamp.changes:
        return [], stamp  # no published report yet: nothing to describe
    figures = reports_public().aggregate(first=Min("created_at"), last=Max("updated_at"))

    def absolute(name: str, *args) -> str:
        with translation.override("uk"):
            return request.build_absolute_uri(reverse(name, args=args))

    csv_url = absolute("reports:download-csv")
    geojson_url = absolute("reports:download-geojson")
    open311_url = absolute("open311:requests", "json")
    ogc_url = absolute("ogcapi:items", COLLECTION_ID)
    hromada = hromada_profile()
    dataset = OtherDataset(
        identifier="citizen-reports",
        node_id=f"{absolute('reports:list')}#dataset",
        titles={"uk": "Повідомлення мешканців про проблеми", "en": "Residents' problem reports"},
        descriptions={
            "uk": "Опубліковані повідомлення мешканців про проблеми (бар'єри, аварійні дерева, "
            "переповнені майданчики, пошкоджені пам'ятки): категорія, місце, опис, стан і "
            "дати відповіді міста. Без персональних даних.",
            "en": "Residents' published reports of problems (barriers, hazardous trees, "
            "overflowing container sites, damaged monuments): category, place, description, "
            "state and the dates of the city's answers. No personal data.",
        },
        landing_page=absolute("reports:list"),
        keywords=("повідомлення мешканців", "citizen reports", "Open311", "FixMyStreet"),
        themes=("REGI", "GOVE"),
        frequency="CONT",
        contact_name=hromada.name_uk,
        distributions=(
            Distribution(
                key="csv",
                title="Повідомлення мешканців: CSV",
                access_url=csv_url,
                download_url=csv_url,
                media_type="text/csv",
                file_type="CSV",
                collection_id="citizen-reports",
            ),
            Distribution(
                key="geojson",
                title="Повідомлення мешканців: GeoJSON",
                access_url=geojson_url,
                download_url=geojson_url,
                media_type="application/geo+json",
                file_type="GEOJSON",
                collection_id="citizen-reports",
            ),
            Distribution(
                key="ogc",
                title="Повідомлення мешканців: OGC API – Features",
                access_url=ogc_url,
                download_url=None,
                media_type="application/geo+json",
                file_type="GEOJSON",
                collection_id="citizen-reports",
            ),
            Distribution(
                key="api",
                title="Повідомлення мешканців: Open311 GeoReport v2",
                access_url=open311_url,
                download_url=None,
                media_type="application/json",
                file_type="JSON",
                collection_id="citizen-reports",
                conforms_to=OPEN311,
            ),
        ),
        start=figures["first"].date(),
        end=figures["last"].date(),
        modified=stamp.last_modified,
    )
    return [dataset], stamp
