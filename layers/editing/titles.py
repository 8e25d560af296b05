"""What the editing pages and their messages call a record: its title as the public pages
give it (its name, or the registry's title properties — an unnamed tree's species and
inventory number) followed by its address, so that a change reads “Дуб звичайний 12-0345,
вул. Проскурівська, 1” rather than “change (trees)”. Staff see every state of a record, so
the title is read from the registry's own rows, not from the public queryset."""

from collections import defaultdict

from django.db.models import F

from layers.registry import Registry, registry_get
from layers.selectors.map import record_title


def record_titles(registry: Registry, record_ids) -> dict[int, str]:
    """Record id → title with address, for records of one registry (one query)."""
    ids = {pk for pk in record_ids if pk is not None}
    if not ids:
        return {}
    queryset = registry.objects().filter(pk__in=ids)
    if registry.annotate:
        # The typed title properties (a tree's species name, a data field's cast value).
        queryset = registry.annotate(queryset)
    names = [name for name in registry.title_properties if name not in ("name", "address")]
    aliases = {f"title_{i}": F(registry.properties.get(name, name)) for i, name in enumerate(names)}
    titles = {}
    for row in queryset.values("pk", "name", "address", **aliases):
        values = {"name": row["name"]}
        values.update({name: row[f"title_{i}"] for i, name in enumerate(names)})
        title = record_title(registry, values)
        address = row["address"] or ""
        titles[row["pk"]] = f"{title}, {address}" if address and address not in title else title
    return titles


def record_title_of(registry: Registry, record) -> str:
    """The title of one record (saved)."""
    return record_titles(registry, [record.pk]).get(record.pk) or str(record)


def change_titles(changes) -> dict[int, str]:
    """Change id → the title of its record, for changes of any registries (a query per
    registry); a change whose record or registry is gone is called by its registry's
    title or id."""
    by_registry = defaultdict(list)
    for change in changes:
        by_registry[change.registry].append(change)
    titles = {}
    for registry_id, group in by_registry.items():
        try:
            registry = registry_get(registry_id)
        except KeyError:
            titles.update({change.pk: registry_id for change in group})
            continue
        records = record_titles(registry, [change.record_id for change in group])
        for change in group:
            titles[change.pk] = records.get(change.record_id) or str(registry.title)
    return titles
