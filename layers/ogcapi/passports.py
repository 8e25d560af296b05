"""The national open-data portal's dataset passport (the passport of a data set under the
Regulation on data sets to be published as open data, Cabinet of Ministers Resolution
No. 835 of 2015) for each registry, and the description of each data set's structure.

Filled from the registry definitions, the published records and the hromada profile; what
none of them can know (the responsible person, the legal basis, the publisher's code) comes
from the dataset passport staff enter in the admin, and ``missing`` lists what is still
empty, so a passport is never silently incomplete.
"""

import csv
import io

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from layers.hromada import hromada_profile
from layers.models.datasets import UpdateFrequency
from layers.ogcapi.documents import registry_downloads
from layers.ogcapi.metadata import DatasetMetadata
from layers.ogcapi.queryables import field_schema, property_field

# (key, label): the passport's fields, in the order of the Regulation's list.
PASSPORT_FIELDS = (
    ("identifier", _("Identifier of the data set")),
    ("title", _("Title of the data set")),
    ("description", _("Short description of its contents")),
    ("publisher", _("Information holder (publisher)")),
    ("publisher_code", _("Publisher's code (EDRPOU)")),
    ("department", _("Responsible department")),
    ("responsible_person", _("Responsible person and position")),
    ("phone", _("Contact phone")),
    ("email", _("Email")),
    ("language", _("Language of the information")),
    ("formats", _("Formats")),
    ("compression", _("Compression formats")),
    ("issued", _("Date and time of first publication")),
    ("modified", _("Date and time of the last change")),
    ("relevance", _("Date the data is current as of")),
    ("frequency", _("Update frequency")),
    ("keywords", _("Keywords")),
    ("url", _("Link to the data set")),
    ("structure_url", _("Link to the structure of the data set")),
    ("api", _("API of the data set")),
    ("legal_basis", _("Basis and purpose of collecting the information")),
)


def _iso(moment) -> str:
    return moment.isoformat() if moment else ""


def passport(metadata: DatasetMetadata) -> dict:
    """One passport as ``{field: value}`` (texts in the active language), plus ``missing``."""
    registry, summary = metadata.registry, metadata.summary
    profile = hromada_profile()
    person = ", ".join(p for p in (metadata.responsible_person, metadata.responsible_position) if p)
    files = [d for d in metadata.distributions if d.download_url]
    apis = [d for d in metadata.distributions if not d.download_url]
    values = {
        "identifier": registry.id,
        "title": str(registry.title),
        "description": str(registry.description or registry.title),
        "publisher": profile.name,
        "publisher_code": profile.edrpou,
        "department": metadata.department,
        "responsible_person": person,
        "phone": metadata.phone,
        "email": metadata.email,
        "language": str(_("Ukrainian (titles and descriptions also in English)")),
        "formats": ", ".join(
            title for _media, _suffix, title in registry_downloads(registry).values()
        ),
        "compression": str(_("zip (Shapefile); gzip on request (HTTP)")),
        "issued": _iso(metadata.issued),
        "modified": _iso(summary.stamp.last_modified),
        "relevance": _iso(summary.stamp.last_modified),
        "frequency": str(UpdateFrequency(registry.update_frequency).label),
        "keywords": ", ".join(registry.keywords),
        "url": metadata.landing_page,
        "structure_url": metadata.structure_url,
        "api": " ".join(d.access_url for d in apis),
        "legal_basis": metadata.legal_basis,
        "files": [d.download_url for d in files],
        "missing": metadata.missing,
    }
    return values


def passports_csv(passports: list[dict]) -> str:
    """The passports as CSV: one row per data set, a column per field (labels as header)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(label) for _key, label in PASSPORT_FIELDS] + [str(_("Still missing"))])
    for values in passports:
        writer.writerow(
            [values[key] for key, _label in PASSPORT_FIELDS] + [", ".join(values["missing"])]
        )
    return buffer.getvalue()


def structure(registry) -> list[dict]:
    """The fields of a data set as published (every download and the API carry these), with
    their titles in both languages, types and allowed values."""
    fields = [
        {
            "name": "id",
            "title_uk": "Ідентифікатор запису",
            "title_en": "Record identifier",
            "type": "string",
            "format": "uuid",
        }
    ]
    for name, attribute in registry.properties.items():
        field = property_field(registry, attribute)
        schema = field_schema(field)
        titles = {}
        for language in ("uk", "en"):
            with translation.override(language):
                titles[language] = str(getattr(field, "verbose_name", "") or name)
        entry = {
            "name": name,
            "title_uk": titles["uk"],
            "title_en": titles["en"],
            "type": schema.get("type", "string"),
        }
        if schema.get("format"):
            entry["format"] = schema["format"]
        if schema.get("type") == "array":
            entry["items"] = schema["items"].get("type", "string")
            if schema["items"].get("enum"):
                entry["values"] = schema["items"]["enum"]
        if schema.get("enum"):
            entry["values"] = schema["enum"]
        unit = getattr(getattr(field, "data_spec", None), "unit", "")
        if unit:
            entry["unit"] = unit
        fields.append(entry)
    fields.append(
        {
            "name": "geometry",
            "title_uk": "Геометрія (WGS 84, довгота/широта)",
            "title_en": "Geometry (WGS 84, longitude/latitude)",
            "type": "geometry",
            "values": list(registry.geometry_types),
        }
    )
    return fields


def structure_csv(fields: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = ("name", "title_uk", "title_en", "type", "format", "items", "unit", "values")
    writer.writerow(columns)
    for entry in fields:
        writer.writerow(
            [
                ";".join(map(str, entry.get(c, ""))) if c == "values" else entry.get(c, "")
                for c in columns
            ]
        )
    return buffer.getvalue()
