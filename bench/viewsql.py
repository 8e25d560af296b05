"""Print, as JSON, the SQL of a registry's public queryset with its public property names and
the registry's tile properties (run inside Django: ``python -m bench.viewsql trees``)."""

import json
import sys

import django


def main(registry_id: str) -> dict:
    django.setup()
    import psycopg
    from django.db import connection

    from layers.registry import registry_get
    from layers.selectors.public import registry_public_queryset

    registry = registry_get(registry_id)
    attrs = list(dict.fromkeys(registry.properties.values()))
    queryset = (
        registry_public_queryset(registry).order_by().values("public_id", *attrs, "public_geom")
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        inner = psycopg.ClientCursor(cursor.connection).mogrify(sql, params)
    columns = ", ".join(f'q."{attr}" AS "{name}"' for name, attr in registry.properties.items())
    view = f"SELECT q.public_id AS id, {columns}, q.public_geom AS geom FROM ({inner}) q"  # noqa: S608
    return {
        "sql": view,
        "properties": list(registry.properties),
        "tile_properties": list(registry.tile_properties),
    }


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main(sys.argv[1])))
