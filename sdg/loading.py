"""Loading indicator definitions (and the yearly values a city lists for its entered
indicators) from the TOML files of ``data/sdg/``: upsert by code through the services, so a
file is checked exactly as the admin checks a form, and running it again changes nothing."""

import tomllib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from geoportal.env import BASE_DIR
from sdg.models import EnteredValue, ValueState
from sdg.services import entered_value_approve, entered_value_propose, indicator_upsert

INDICATOR_FILES = (BASE_DIR / "data" / "sdg" / "indicators.toml",)
_FIELDS = (
    "goal",
    "target",
    "order",
    "title_uk",
    "title_en",
    "definition_uk",
    "definition_en",
    "unit_uk",
    "unit_en",
    "responsible_uk",
    "responsible_en",
    "source_uk",
    "source_en",
    "method_uk",
    "method_en",
    "frequency",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
    "direction",
    "kind",
    "review_registry",
    "computation",
)


def _user(username: str):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError(f"There is no active account {username!r}.")
    return user


def _values(raw: dict) -> dict:
    unknown = set(raw) - set(_FIELDS) - {"code", "values"}
    if unknown:
        raise ValidationError(f"{raw.get('code')}: unknown keys {', '.join(sorted(unknown))}")
    values = {name: raw[name] for name in _FIELDS if name in raw}
    values.setdefault("computation", {})
    for name in ("baseline_value", "target_year", "target_value"):
        values.setdefault(name, None)
    return values


@transaction.atomic
def indicators_load(paths=INDICATOR_FILES, *, author=None, reviewer=None) -> dict[str, int]:
    """Upsert every indicator of the files; with ``author`` and ``reviewer`` (two different
    people with the roles) also propose and approve the listed values not yet approved."""
    counts = {"created": 0, "changed": 0, "unchanged": 0, "values": 0}
    for path in paths:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        for raw in data.get("indicator", []):
            try:
                indicator, state = indicator_upsert(code=raw["code"], values=_values(raw))
            except ValidationError as exc:
                raise ValidationError(f"{Path(path).name}, {raw.get('code')}: {exc}") from exc
            counts[state] += 1
            if author is None or reviewer is None:
                continue
            for entry in raw.get("values", []):
                approved = EnteredValue.objects.filter(
                    indicator=indicator,
                    year=entry["year"],
                    state=ValueState.APPROVED,
                    value=entry["value"],
                    source=entry["source"],
                )
                if approved.exists():
                    continue
                proposed = entered_value_propose(
                    indicator=indicator,
                    user=_user(author),
                    year=entry["year"],
                    value=entry["value"],
                    source=entry["source"],
                )
                entered_value_approve(entered=proposed, user=_user(reviewer))
                counts["values"] += 1
    return counts
