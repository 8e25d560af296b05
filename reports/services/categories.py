"""The report categories kept as a file (data/reports/categories.toml) loaded into the
database: idempotent, so ``make demo`` runs it every time."""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from layers.registry import registry_get
from reports.models import ReportCategory

CATEGORIES_FILE = Path(settings.BASE_DIR) / "data" / "reports" / "categories.toml"
_FIELDS = {
    "registry": "registry",
    "title_uk": "title_uk",
    "title_en": "title_en",
    "anonymous": "anonymous_allowed",
    "service_code": "service_code",
    "active": "active",
}


class CategoryFileError(Exception):
    pass


@dataclass
class CategoryLoad:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0


def _entries(path: Path) -> list[dict]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CategoryFileError(f"{path}: {exc}") from None
    entries = data.get("category")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CategoryFileError(f"{path}: expected [[category]] tables")
    return entries


@transaction.atomic
def categories_load(*, path: Path = CATEGORIES_FILE) -> CategoryLoad:
    """Create or update every category of the file (by code); leaves the others alone."""
    result = CategoryLoad()
    for position, entry in enumerate(_entries(path)):
        code = entry.get("code")
        unknown = set(entry) - set(_FIELDS) - {"code"}
        if not isinstance(code, str) or unknown:
            raise CategoryFileError(f"{path}: category {code!r}: unknown keys {sorted(unknown)}")
        try:
            registry_get(str(entry.get("registry", "")))
        except LookupError:
            raise CategoryFileError(
                f"{path}: category {code}: no registry {entry.get('registry')!r}"
            ) from None
        values = {_FIELDS[key]: value for key, value in entry.items() if key in _FIELDS}
        values["position"] = position
        category = ReportCategory.objects.filter(code=code).first()
        created = category is None
        category = category or ReportCategory(code=code)
        before = {name: getattr(category, name) for name in values}
        for name, value in values.items():
            setattr(category, name, value)
        if not created and before == values:
            result.unchanged += 1
            continue
        try:
            category.full_clean()
        except ValidationError as exc:
            raise CategoryFileError(f"{path}: category {code}: {exc.messages}") from None
        category.save()
        (result.created if created else result.changed).append(code)
    return result
