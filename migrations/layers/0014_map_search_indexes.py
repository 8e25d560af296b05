"""The map's search and distances: pg_trgm and, on every registry table, a trigram and a
full-text index on the text the search reads (``layers.selectors.search.search_text``),
and a geography index for "nearest first" (``layers.selectors.distance``).

The text indexes are expression indexes over ``name || ' ' || address``, the exact
expression the search builds, so that PostgreSQL uses them: the trigram one for misspelt
words (``%>``, word similarity), the full-text one ('simple' configuration: PostgreSQL
ships no Ukrainian dictionary) for words in any order and with any punctuation between.
The geography index (``geom::geography``) serves ``<->`` nearest-first walks on the tables
whose public geometry is ``geom`` itself; heritage objects publish a generalised geometry
and waste sites are read grouped with their containers, so an index would not serve them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TABLES = (
    "layers_accessibleobject",
    "layers_tree",
    "layers_greenarea",
    "layers_heritageobject",
    "layers_protectionzone",
    "layers_wastesite",
    "layers_datarecord",
)
NEAREST_TABLES = (
    "layers_accessibleobject",
    "layers_tree",
    "layers_greenarea",
    "layers_protectionzone",
    "layers_datarecord",
)
TEXT = "(name || ' ' || address)"


def _forward_sql() -> list[str]:
    statements = []
    for table in TABLES:
        statements.append(
            f"CREATE INDEX {table}_search_trgm ON {table} USING gin ({TEXT} gin_trgm_ops)"
        )
        statements.append(
            f"CREATE INDEX {table}_search_fts ON {table} "
            f"USING gin (to_tsvector('simple'::regconfig, {TEXT}))"
        )
    for table in NEAREST_TABLES:
        statements.append(f"CREATE INDEX {table}_geog ON {table} USING gist ((geom::geography))")
    return statements


def _backward_sql() -> list[str]:
    kinds = ("trgm", "fts")
    statements = [f"DROP INDEX IF EXISTS {table}_search_{k}" for table in TABLES for k in kinds]
    return statements + [f"DROP INDEX IF EXISTS {table}_geog" for table in NEAREST_TABLES]


class Migration(migrations.Migration):
    dependencies = [
        ("layers", "0013_checklist_campaign_window"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunSQL(_forward_sql(), _backward_sql()),
    ]
