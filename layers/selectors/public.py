from django.db.models import F, QuerySet

from layers.models import Status
from layers.registry import Registry


def registry_public_queryset(registry: Registry) -> QuerySet:
    """Published records of a registry, with what the public may see of them annotated:
    ``public_geom`` (the geometry to publish) and every entry of ``registry.properties``.

    Every public reader (map, record pages, OGC API, downloads, tiles, search) starts here,
    so "only published, only public fields, sensitive places generalised" holds in one place.
    """
    records = registry.objects()
    if not registry.is_public:
        records = records.none()
    # A registry with something to hide declares it in its queryset's public().
    queryset = (
        records.public() if hasattr(records, "public") else records.filter(status=Status.PUBLISHED)
    )
    if "public_geom" not in queryset.query.annotations:
        queryset = queryset.annotate(public_geom=F("geom"))
    if registry.annotate:
        queryset = registry.annotate(queryset)
    return queryset
