"""The national portal's dataset passports and each data set's structure description."""

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from layers.ogcapi import http
from layers.ogcapi.exceptions import NotFound
from layers.ogcapi.links import link, url
from layers.ogcapi.metadata import all_dataset_metadata
from layers.ogcapi.passports import (
    PASSPORT_FIELDS,
    passport,
    passports_csv,
    structure,
    structure_csv,
)
from layers.ogcapi.views.base import conditional, json_response, ogc_endpoint
from layers.registry import public_registry_get
from layers.selectors.stamps import registry_stamp


def _csv(text: str, filename: str) -> HttpResponse:
    # A byte-order mark: spreadsheet programs then read the UTF-8 as UTF-8.
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _field(key: str, label) -> dict:
    titles = {}
    for language in ("uk", "en"):
        with translation.override(language):
            titles[f"title_{language}"] = str(label)
    return {"name": key, **titles}


@ogc_endpoint
def passports(request: HttpRequest, as_csv: bool = False):
    """Every public registry's passport: JSON (``/ogc/passports``) or CSV (``.csv``)."""
    datasets, stamp = all_dataset_metadata(request)
    media_type = "text/csv" if as_csv else http.JSON

    def build():
        rows = [passport(metadata) for metadata in datasets]
        if as_csv:
            return _csv(passports_csv(rows), "passports.csv")
        return json_response(
            {
                "fields": [_field(key, label) for key, label in PASSPORT_FIELDS],
                "passports": rows,
                "links": [
                    link(url(request, "passports"), "self", http.JSON, "JSON"),
                    link(url(request, "passports-csv"), "alternate", "text/csv", "CSV"),
                    link(url(request, "dcat"), "describedby", http.JSON_LD, "DCAT-AP"),
                ],
            }
        )

    return conditional(request, stamp, media_type, build)


@ogc_endpoint
def dataset_structure(request: HttpRequest, collection_id: str, as_csv: bool = False):
    """The fields of a registry's data set (its passport links here)."""
    try:
        registry = public_registry_get(collection_id)
    except KeyError:
        raise NotFound(f"There is no data set {collection_id!r}.") from None
    media_type = "text/csv" if as_csv else http.JSON

    def build():
        fields = structure(registry)
        if as_csv:
            return _csv(structure_csv(fields), f"{registry.id}.structure.csv")
        return json_response(
            {
                "id": registry.id,
                "title": str(registry.title),
                "fields": fields,
                "links": [
                    link(
                        url(request, "structure-csv", registry.id), "alternate", "text/csv", "CSV"
                    ),
                    link(url(request, "collection", registry.id), "collection", http.JSON, "OGC"),
                ],
            }
        )

    return conditional(request, registry_stamp(registry), media_type, build)
