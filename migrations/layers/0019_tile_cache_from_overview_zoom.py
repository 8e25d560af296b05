# The tile cache's invalidation trigger records rectangles only from the zoom a table's
# tiles are kept at: a layer with an overview (Registry.overview_below_zoom; trees: 14) has
# counts below it, never kept, so an edit of a tree records 3 rectangles instead of 17 (an
# import of 500,000 trees approved one by one: 1.5 million rows instead of 8.5 million).

import importlib

from django.db import migrations

_0016 = importlib.import_module("migrations.layers.0016_tile_cache")
# The function of 0016 with one change: its first zoom is the trigger's third argument.
_INVALIDATE = _0016.FUNCTIONS[
    _0016.FUNCTIONS.index("CREATE FUNCTION layers_tilecache_invalidate") :
]
FORWARD_FUNCTION = (
    (_INVALIDATE % {"rows": _0016.ROWS_ONE_BY_ONE, "zoom": _0016.MAX_ZOOM})
    .replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
    .replace("generate_series(0, %4$s)", "generate_series(%5$s, %4$s)", 1)
    .replace(
        f"TG_ARGV[1], {_0016.ROWS_ONE_BY_ONE}, {_0016.MAX_ZOOM});",
        f"TG_ARGV[1], {_0016.ROWS_ONE_BY_ONE}, {_0016.MAX_ZOOM}, coalesce(TG_ARGV[2], '0'));",
        1,
    )
)
# Tables whose tiles are kept only from a zoom on (their overview's zoom).
FROM_ZOOM = {"layers_tree": 14}


def _triggers(table: str, *args: str) -> str:
    quoted = ", ".join(f"'{a}'" for a in args)
    drops = "".join(
        f"DROP TRIGGER layers_tilecache_{event} ON {table};\n"
        for event in ("insert", "update", "delete", "truncate")
    )
    return drops + _0016.TRIGGERS.format(table=table, kind="table", margin="0").replace(
        "('table', '0')", f"({quoted})"
    )


def _forward() -> str:
    return FORWARD_FUNCTION + "".join(
        _triggers(table, "table", "0", str(zoom)) for table, zoom in FROM_ZOOM.items()
    )


def _backward() -> str:
    return "".join(_triggers(table, "table", "0") for table in FROM_ZOOM)


class Migration(migrations.Migration):
    dependencies = [("layers", "0018_tile_cache_gzip")]

    operations = [migrations.RunSQL(_forward(), _backward())]
