"""The benchmark's data-defined registry, on the Django side (run inside Django, as
``bench.viewsql`` is: ``python -m bench.dataset define`` / ``python -m bench.dataset describe``).

- ``define``: a choice list, a registry definition and its fields of several types, made
  through the product's own definition services (keys, schema version, change stamps as an
  administrator's edit makes them). Prints the definition's id and each field's storage key.
- ``describe`` (after the records are loaded, ``bench.data.load_dataset``): checks a sample
  of the stored values with the product's own validation (``DataRecord.clean``), and prints
  the registry's public view SQL (``bench.viewsql``) and, for each filtered page the
  benchmark asks for, the SQL our items endpoint runs for it, built by the endpoint's own
  code (``items_query`` → ``features_sql``), with the SQL of the page's ``numberMatched``.
"""

import json
import sys

from bench.config import DATASET_FILTERS, DATASET_ID

SURFACES = ("rubber", "sand", "grass", "asphalt", "paving", "wood_chips", "artificial_turf", "soil")
# name: (type, extra attributes). Popup fields are tile properties too (with ``name`` and the
# style field), as the map needs them.
FIELDS = {
    "inventory_code": ("text", {"max_length": 40, "in_popup": True}),
    "equipment_count": ("integer", {"min_value": 0, "max_value": 100, "in_popup": True}),
    "area": ("decimal", {"min_value": 10, "max_value": 20000, "decimal_places": 1}),
    "inclusive": ("boolean", {}),
    "surface": ("choice", {"required": True}),
    "last_inspection": ("date", {}),
}


def define() -> dict:
    import django

    django.setup()
    from decimal import Decimal

    from layers.datasets import services
    from layers.models.datasets import ChoiceItem, ChoiceList, FieldDefinition, RegistryDefinition

    choices = services.choice_list_save(
        choice_list=ChoiceList(slug="bench-surface", title_uk="Покриття", title_en="Surface")
    )
    for order, value in enumerate(SURFACES):
        services.choice_item_save(
            item=ChoiceItem(choice_list=choices, value=value, label_uk=value, order=order)
        )
    definition = services.definition_save(
        definition=RegistryDefinition(
            slug=DATASET_ID,
            title_uk="Майданчики (бенчмарк)",
            title_en="Playgrounds (benchmark)",
            geometry_kind="point",
            style_field="surface",
            is_public=True,
            # Listed on the map but off when it opens: the first-render rows stay the trees'.
            shown_by_default=False,
            min_zoom=14,
        )
    )
    for order, (name, (kind, extra)) in enumerate(FIELDS.items()):
        extra = {k: Decimal(v) if k.endswith("_value") else v for k, v in extra.items()}
        services.field_save(
            field=FieldDefinition(
                registry=definition,
                name=name,
                label_uk=name,
                type=kind,
                order=order,
                choice_list=choices if kind == "choice" else None,
                **extra,
            )
        )
    definition.refresh_from_db()
    return {
        "definition_id": definition.pk,
        "schema_version": definition.schema_version,
        "keys": {f.name: f.key for f in definition.fields.all()},
        "surfaces": list(SURFACES),
    }


def _sql(connection, sql: str, params) -> str:
    import psycopg

    with connection.cursor() as cursor:
        return psycopg.ClientCursor(cursor.connection).mogrify(sql, params)


def describe(sample: int = 200) -> dict:
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from bench import viewsql
    from layers.models import DataRecord
    from layers.ogcapi.geojson import features_sql
    from layers.ogcapi.params import items_query
    from layers.registry import registry_get

    registry = registry_get(DATASET_ID)
    # The generated values must be what the product itself would have stored.
    records = DataRecord.objects.filter(definition_id=registry.definition_id).order_by("pk")
    for record in records[:sample]:
        stored = dict(record.values)
        try:
            record.full_clean()
        except ValidationError as exc:
            raise SystemExit(f"bench dataset: record {record.pk} is invalid: {exc}") from None
        if record.values != stored:
            raise SystemExit(
                f"bench dataset: record {record.pk}: {stored} cleans to {record.values}"
            )
    filters = {}
    for what, query_string in DATASET_FILTERS.items():
        request = RequestFactory().get(f"/ogc/collections/{registry.id}/items?{query_string}")
        query = items_query(request, registry)
        sql, params = features_sql(
            query.page(), properties=query.properties, crs=query.crs, skip_geometry=False
        )
        # numberMatched of a full page of a filtered query: the endpoint counts (one query).
        with CaptureQueriesContext(connection) as counted:
            matched = query.queryset.count()
        filters[what] = {
            "query": query_string,
            "limit": query.limit,
            "sql": _sql(connection, sql, params),
            "count_sql": counted.captured_queries[-1]["sql"],
            "matched": matched,
        }
    return {**viewsql.main(registry.id), "filters": filters}


if __name__ == "__main__":
    command = sys.argv[1]
    out = define() if command == "define" else describe()
    sys.stdout.write(json.dumps(out))
