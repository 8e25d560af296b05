"""Everything the catalogue (DCAT-AP) and the national portal's passports say about a
registry as a data set, gathered in one place: from its entry, its published records (the
collection summary), its passport (what staff entered) and the hromada profile.

A data set is a registry; a registry that mixes geometry types is published as several
collections (``families``), so its data set has the files and API collections of each.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from layers.hromada import hromada_profile
from layers.ogcapi.documents import download_url, extra_download, registry_downloads
from layers.ogcapi.families import family_views
from layers.ogcapi.licence import Licence, data_licence
from layers.ogcapi.links import url
from layers.registry import Registry, public_registries
from layers.selectors.stamps import Stamp, combined_stamp
from layers.selectors.summary import CollectionSummary, collection_summary

# IANA media types and EU file types of the downloads (DCAT-AP wants IRIs for both).
IANA = "https://www.iana.org/assignments/media-types/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
FILE_TYPES = {"geojson": "GEOJSON", "csv": "CSV", "gpkg": "GPKG", "shapefile": "SHP"}
JSON_FILE_TYPE = "JSON"
# The portal's languages, as ISO 639 codes and EU language IRIs.
LANGUAGES = {"uk": "UKR", "en": "ENG"}
LANGUAGE = "http://publications.europa.eu/resource/authority/language/"


@dataclass(frozen=True)
class Distribution:
    key: str  # geojson, csv, gpkg, shapefile or api
    title: str
    access_url: str
    download_url: str | None  # None: an API, not a file
    media_type: str  # e.g. application/geo+json
    file_type: str  # the EU file-type code
    collection_id: str
    conforms_to: str = ""  # the specification the file follows, if it names one


@dataclass(frozen=True)
class DatasetMetadata:
    registry: Registry
    summary: CollectionSummary
    licence: Licence
    department: str
    email: str
    responsible_person: str
    responsible_position: str
    phone: str
    legal_basis: str
    issued: datetime.date | datetime.datetime | None
    landing_page: str
    structure_url: str
    distributions: tuple[Distribution, ...]
    collection_ids: tuple[str, ...]

    @property
    def missing(self) -> list[str]:
        """What the passport needs that nobody has entered yet (names of its fields)."""
        wanted = {
            "department": self.department,
            "email": self.email,
            "responsible_person": self.responsible_person,
            "phone": self.phone,
            "legal_basis": self.legal_basis,
            "publisher_code": hromada_profile().edrpou,
        }
        return [name for name, value in wanted.items() if not value]


def _distributions(request: HttpRequest, registry: Registry) -> tuple[Distribution, ...]:
    collections = family_views(registry) or (registry,)
    found = []
    for collection in collections:
        found.append(
            Distribution(
                key="api",
                title=_("OGC API – Features: %(title)s") % {"title": collection.title},
                access_url=url(request, "items", collection.id),
                download_url=None,
                media_type="application/geo+json",
                file_type="GEOJSON",
                collection_id=collection.id,
            )
        )
        for fmt, (media_type, _suffix, title) in registry_downloads(collection).items():
            link = download_url(request, collection, fmt)
            extra = extra_download(collection, fmt)
            found.append(
                Distribution(
                    key=fmt,
                    title=f"{collection.title}: {title}",
                    access_url=link,
                    download_url=link,
                    media_type=media_type,
                    file_type=extra.file_type if extra else FILE_TYPES[fmt],
                    collection_id=collection.id,
                    conforms_to=extra.conforms_to if extra else "",
                )
            )
    return tuple(found)


def dataset_metadata(request: HttpRequest, registry: Registry, passports: dict) -> DatasetMetadata:
    """The data set of ``registry``; ``passports``: the DatasetPassport rows by registry id."""
    passport = passports.get(registry.id)
    summary = collection_summary(registry)
    profile = hromada_profile()
    collections = family_views(registry) or (registry,)
    return DatasetMetadata(
        registry=registry,
        summary=summary,
        licence=data_licence(registry),
        department=(passport and passport.department) or registry.department,
        email=(passport and passport.email) or registry.contact_email or profile.open_data_email,
        responsible_person=(passport and passport.responsible_person) or "",
        responsible_position=(passport and passport.responsible_position) or "",
        phone=(passport and passport.phone) or "",
        legal_basis=(passport and passport.legal_basis) or "",
        issued=(passport and passport.issued) or summary.first_published,
        landing_page=url(request, "collection", collections[0].id, f="html"),
        structure_url=url(request, "structure", registry.id),
        distributions=_distributions(request, registry),
        collection_ids=tuple(c.id for c in collections),
    )


def passports_by_registry() -> dict:
    from layers.models import DatasetPassport

    return {passport.registry: passport for passport in DatasetPassport.objects.all()}


def all_dataset_metadata(request: HttpRequest) -> tuple[list[DatasetMetadata], Stamp]:
    """Every public registry's data set, and one stamp for documents about all of them (the
    registries' data and the passports staff edit)."""
    passports = passports_by_registry()
    datasets = [dataset_metadata(request, registry, passports) for registry in public_registries()]
    stamp = combined_stamp([m.summary.stamp for m in datasets])
    edited = [p.updated_at for p in passports.values()]
    moments = [m for m in (stamp.last_modified, *edited) if m]
    return datasets, Stamp(max(moments) if moments else None, stamp.changes + len(edited))


@dataclass(frozen=True)
class OtherDataset:
    """A data set of the portal that is not a registry (the SDG indicators, ``sdg.catalogue``),
    declared by its app in ``GEOPORTAL_CATALOGUE_DATASETS``; the catalogue writes it with the
    same publisher, licence, languages and place as the registries' data sets."""

    identifier: str
    node_id: str  # the data set's IRI
    titles: dict[str, str]  # language code -> text
    descriptions: dict[str, str]
    landing_page: str
    keywords: tuple[str, ...]
    themes: tuple[str, ...]  # EU data themes
    frequency: str  # EU frequency code
    contact_name: str
    distributions: tuple[Distribution, ...]
    start: datetime.date | None = None
    end: datetime.date | None = None
    modified: datetime.datetime | None = None


def other_datasets(request: HttpRequest) -> tuple[list[OtherDataset], Stamp]:
    """The data sets the apps in ``GEOPORTAL_CATALOGUE_DATASETS`` declare, and their stamp."""
    found, stamps = [], []
    for path in settings.GEOPORTAL_CATALOGUE_DATASETS:
        datasets, stamp = import_string(path)(request)
        found.extend(datasets)
        stamps.append(stamp)
    return found, combined_stamp(stamps)
