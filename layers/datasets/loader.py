"""Registry definitions kept as files (``data/registries/*.toml``), loaded into the database.

A city edits and versions these files; ``manage.py load_registries`` upserts them by id
through the definition services, so a file can only change a registry in the ways those
allow (a field that records still use is never dropped by a file that leaves it out: it is
reported instead). Shared choice lists live in ``choice-lists.toml``.
"""

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from layers.datasets import services
from layers.models.datasets import ChoiceItem, ChoiceList, FieldDefinition, RegistryDefinition

CHOICE_LISTS_FILE = "choice-lists.toml"
_REGISTRY_KEYS = {
    "id": "slug",
    "title_uk": "title_uk",
    "title_en": "title_en",
    "description_uk": "description_uk",
    "description_en": "description_en",
    "geometry": "geometry_kind",
    "licence": "licence",
    "source": "source",
    "department": "department",
    "contact_email": "contact_email",
    "update_frequency": "update_frequency",
    "keywords": "keywords",
    "themes": "themes",
    "colour": "colour",
    "style_field": "style_field",
    "min_zoom": "min_zoom",
    "max_zoom": "max_zoom",
    "public": "is_public",
    "shown_by_default": "shown_by_default",
    "order": "order",
}
_FIELD_KEYS = {
    "name": "name",
    "label_uk": "label_uk",
    "label_en": "label_en",
    "help_uk": "help_uk",
    "help_en": "help_en",
    "type": "type",
    "required": "required",
    "min": "min_value",
    "max": "max_value",
    "max_length": "max_length",
    "decimal_places": "decimal_places",
    "unit": "unit",
    "default": "default",
    "reference": "reference_registry",
    "public": "is_public",
    "queryable": "queryable",
    "popup": "in_popup",
}
# Read by the demo generator, not stored.
_DEMO_KEYS = {"examples", "choices"}


class DefinitionFileError(ValueError):
    """A definition file that cannot be loaded: the file, and what is wrong."""


@dataclass
class LoadReport:
    registries: list[str] = field(default_factory=list)
    fields_added: int = 0
    fields_changed: int = 0
    kept: list[str] = field(default_factory=list)  # fields in the database, not in the file


def definitions_dir() -> Path:
    return Path(settings.BASE_DIR) / "data" / "registries"


def read_definition_file(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DefinitionFileError(f"{path.name}: {exc}") from None


def demo_settings(registry_id: str) -> dict:
    """The ``[demo]`` table and the fields' ``examples`` of a registry's file (empty when
    the registry has no file): what the demo generator uses."""
    path = definitions_dir() / f"{registry_id}.toml"
    if not path.exists():
        return {}
    raw = read_definition_file(path)
    return {
        "count": raw.get("demo", {}).get("count"),
        "examples": {
            f["name"]: f.get("examples", []) for f in raw.get("fields", []) if "name" in f
        },
    }


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


def _load_choice_lists(raw: dict, source: str) -> None:
    for slug, spec in raw.get("choice_lists", {}).items():
        try:
            choice_list = ChoiceList.objects.filter(slug=slug).first() or ChoiceList(slug=slug)
            choice_list.title_uk = spec.get("title_uk", slug)
            choice_list.title_en = spec.get("title_en", "")
            services.choice_list_save(choice_list=choice_list)
            for order, item in enumerate(spec.get("items", [])):
                value = item.get("value", "")
                existing = ChoiceItem.objects.filter(choice_list=choice_list, value=value).first()
                choice = existing or ChoiceItem(choice_list=choice_list, value=value)
                choice.label_uk = item.get("label_uk", value)
                choice.label_en = item.get("label_en", "")
                choice.colour = item.get("colour", "")
                choice.order = order
                services.choice_item_save(item=choice)
        except ValidationError as exc:
            raise DefinitionFileError(f"{source}: choice list {slug}: {_messages(exc)}") from None


def _load_registry(raw: dict, source: str, report: LoadReport) -> None:
    spec = raw.get("registry")
    if not isinstance(spec, dict) or "id" not in spec:
        raise DefinitionFileError(f"{source}: a [registry] table with an id is required.")
    unknown = set(spec) - set(_REGISTRY_KEYS)
    if unknown:
        raise DefinitionFileError(f"{source}: unknown keys in [registry]: {sorted(unknown)}")
    slug = spec["id"]
    definition = RegistryDefinition.objects.filter(slug=slug).first() or RegistryDefinition()
    for key, attribute in _REGISTRY_KEYS.items():
        if key in spec:
            setattr(definition, attribute, spec[key])
    try:
        services.definition_save(definition=definition)
    except ValidationError as exc:
        raise DefinitionFileError(f"{source}: {_messages(exc)}") from None
    names = []
    for order, field_spec in enumerate(raw.get("fields", [])):
        name = field_spec.get("name", "")
        names.append(name)
        unknown = set(field_spec) - set(_FIELD_KEYS) - _DEMO_KEYS
        if unknown:
            raise DefinitionFileError(f"{source}: field {name}: unknown keys {sorted(unknown)}")
        existing = FieldDefinition.objects.filter(registry=definition, name=name).first()
        target = existing or FieldDefinition(registry=definition)
        before = _comparable(target)
        for key, attribute in _FIELD_KEYS.items():
            if key in field_spec:
                value = field_spec[key]
                if key in ("min", "max"):
                    value = Decimal(str(value))
                setattr(target, attribute, value)
        target.order = order
        slug_of_list = field_spec.get("choices")
        target.choice_list = ChoiceList.objects.filter(slug=slug_of_list).first()
        if slug_of_list and target.choice_list is None:
            raise DefinitionFileError(f"{source}: field {name}: no choice list {slug_of_list!r}")
        if existing is not None and _comparable(target) == before:
            continue
        try:
            services.field_save(field=target)
        except ValidationError as exc:
            raise DefinitionFileError(f"{source}: field {name}: {_messages(exc)}") from None
        if existing is None:
            report.fields_added += 1
        else:
            report.fields_changed += 1
    for stored in definition.fields.exclude(name__in=names):
        report.kept.append(f"{slug}.{stored.name}")
    report.registries.append(slug)


def _comparable(definition: FieldDefinition) -> tuple:
    return (
        *(getattr(definition, a) for a in _FIELD_KEYS.values()),
        definition.order,
        definition.choice_list_id,
    )


@transaction.atomic
def load_definitions(paths: list[Path] | None = None) -> LoadReport:
    """Load the choice lists, then each registry file; all or nothing."""
    directory = definitions_dir()
    if paths is None:
        paths = sorted(p for p in directory.glob("*.toml") if p.name != CHOICE_LISTS_FILE)
        lists = directory / CHOICE_LISTS_FILE
        if lists.exists():
            _load_choice_lists(read_definition_file(lists), lists.name)
    report = LoadReport()
    for path in paths:
        raw = read_definition_file(path)
        _load_choice_lists(raw, path.name)
        if "registry" in raw:
            _load_registry(raw, path.name, report)
    return report
