"""Registry entries for the registries defined as data, built from their definitions.

Each definition becomes a ``DataRegistry``: the same interface as a built-in entry, over
the shared ``DataRecord`` table narrowed to the definition. Its public properties are casts
of ``values->>key`` annotated on the public queryset, so GeoJSON, tiles, CSV and OGC filters
read typed columns built by PostgreSQL, exactly as for a model's own fields.

Entries are cached per process and rebuilt when the definitions' change stamp moves (the
same statement triggers that keep the layers' stamps), checked at most every
``GEOPORTAL_REGISTRY_RECHECK_SECONDS``; the definition services also drop the cache at once.
"""

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, models
from django.db.models import Func, Prefetch
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from layers.datasets.fields import Choice, FieldSpec
from layers.editing.part_kinds import PHOTOS
from layers.models.datasets import (
    GEOMETRY_KIND_TYPES,
    FieldDefinition,
    FieldType,
    GeometryKind,
    RegistryDefinition,
    localised,
)
from layers.registry import AREA, COMMON_PROPERTIES, Drawing, Registry

# The tables whose changes change the entries (triggers in the migration).
DEFINITION_TABLES = (
    "layers_registrydefinition",
    "layers_fielddefinition",
    "layers_choicelist",
    "layers_choiceitem",
)
# Colours for choice values that have none of their own (Okabe–Ito, safe for colour blindness).
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#f0e442", "#000000")
LINE = Drawing(weight=3, fill_opacity=0)


class JSONTextArray(Func):
    """``ARRAY(SELECT jsonb_array_elements_text(values->key))``: a stored list as an array
    (of varchar, the type Django gives the values it compares it with)."""

    template = "ARRAY(SELECT jsonb_array_elements_text(%(expressions)s))::varchar[]"
    contains_aggregate = False


@dataclass(frozen=True, eq=False)
class DataRegistry(Registry):
    """A registry defined as data (see ``RegistryDefinition``)."""

    definition_id: int = 0
    specs: tuple[FieldSpec, ...] = ()
    title_uk: str = ""
    title_en: str = ""
    description_uk: str = ""
    description_en: str = ""
    max_zoom: int = 22
    source: str = ""
    schema_version: int = 1
    extra: dict = field(default_factory=dict)

    @property
    def is_builtin(self) -> bool:
        return False

    def objects(self):
        # As bigint: an integer literal would keep the GiST index on (definition_id, geom)
        # from narrowing by registry (btree_gist has no int8 = int4 operator).
        definition = Cast(models.Value(self.definition_id), output_field=models.BigIntegerField())
        return self.model.objects.filter(definition_id=definition)

    def new_record(self, **values):
        """An unsaved record, its fields' defaults filled in (given values win)."""
        values.setdefault("values", self.defaults())
        values.setdefault("schema_version", self.schema_version)
        return self.model(definition_id=self.definition_id, **values)

    def defaults(self) -> dict:
        """Stored values of the fields that have a default."""
        return {spec.key: spec.default for spec in self.specs if spec.default is not None}

    @property
    def geometry_types(self) -> tuple[str, ...]:
        return self.geometry_only or GEOMETRY_KIND_TYPES[self.geometry_kind]

    @property
    def stamp_scope(self) -> str:
        return str(self.definition_id)

    def spec(self, name: str) -> FieldSpec | None:
        return next((spec for spec in self.specs if spec.name == name), None)

    def spec_for_key(self, key: str) -> FieldSpec | None:
        return next((spec for spec in self.specs if spec.key == key), None)

    @property
    def public_specs(self) -> tuple[FieldSpec, ...]:
        return tuple(spec for spec in self.specs if spec.is_public)

    def map_filters(self) -> tuple:
        from layers.selectors.map_filters import data_filters

        return data_filters(self)

    def demo_generate(self, ctx) -> dict[str, int]:
        from layers.demo.datasets import generate_for

        return generate_for(self, ctx)


class _Text:
    """A title that follows the active language (what ``gettext_lazy`` is for code)."""

    def __init__(self, uk: str, en: str):
        self.uk, self.en = uk, en

    def __str__(self) -> str:
        return localised(self.uk, self.en)

    def __eq__(self, other) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash((self.uk, self.en))


def typed_value(spec: FieldSpec):
    """The expression that reads a field's typed value from ``values``."""
    if spec.is_list:
        return JSONTextArray(
            models.F(f"values__{spec.key}"),
            output_field=spec.model_field,
        )
    text = KT(f"values__{spec.key}")
    if spec.type in (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.CHOICE) or spec.type in (
        FieldType.URL,
        FieldType.PHONE,
        FieldType.EMAIL,
    ):
        # Already text: a cast would only cost time (the field is the output type).
        return models.ExpressionWrapper(text, output_field=spec.model_field)
    return Cast(text, output_field=spec.model_field)


def _annotate_for(specs: tuple[FieldSpec, ...]):
    def annotate(queryset):
        return queryset.annotate(**{spec.attribute: typed_value(spec) for spec in specs})

    return annotate


def _spec(definition: FieldDefinition) -> FieldSpec:
    items = definition.choice_list.items.all() if definition.choice_list_id else ()
    return FieldSpec(
        id=definition.pk,
        name=definition.name,
        key=definition.key,
        type=definition.type,
        label_uk=definition.label_uk,
        label_en=definition.label_en,
        help_uk=definition.help_uk,
        help_en=definition.help_en,
        required=definition.required,
        min_value=definition.min_value,
        max_value=definition.max_value,
        max_length=definition.max_length,
        decimal_places=definition.decimal_places,
        unit=definition.unit,
        default=definition.default,
        choices=tuple(Choice(i.value, i.label_uk, i.label_en, i.colour) for i in items),
        reference_registry=definition.reference_registry,
        is_public=definition.is_public,
        queryable=definition.queryable,
        in_popup=definition.in_popup,
    )


def _colours(spec: FieldSpec | None) -> dict[str, str]:
    if spec is None:
        return {}
    return {
        choice.value: choice.colour or PALETTE[i % len(PALETTE)]
        for i, choice in enumerate(spec.choices)
    }


def registry_from_definition(definition: RegistryDefinition) -> DataRegistry:
    specs = tuple(_spec(f) for f in definition.fields.all())
    public = tuple(spec for spec in specs if spec.is_public)
    properties = {**COMMON_PROPERTIES, **{spec.name: spec.attribute for spec in public}}
    style = next(
        (s for s in public if s.name == definition.style_field and s.type == FieldType.CHOICE),
        None,
    )
    popup = tuple(spec.name for spec in public if spec.in_popup)
    kind = definition.geometry_kind
    drawing = {GeometryKind.POLYGON: AREA, GeometryKind.LINE: LINE}.get(kind, Drawing())
    return DataRegistry(
        id=definition.slug,
        model_label="layers.DataRecord",
        title=_Text(definition.title_uk, definition.title_en),
        description=_Text(definition.description_uk, definition.description_en),
        properties=properties,
        tile_properties=(style.name,) if style else (),
        annotate=_annotate_for(public),
        geometry_kind=kind,
        style_by=style.name if style else "",
        colour=definition.colour,
        colours=_colours(style),
        drawing=drawing,
        popup=popup,
        list_properties=popup[:3] or tuple(s.name for s in public if not s.is_list)[:2],
        # An unnamed record is called by its first public text field (a permit number).
        title_properties=tuple(s.name for s in public if s.type == FieldType.TEXT)[:1],
        # Areas under lines under points; the built-in layers keep their places.
        z_order={GeometryKind.POLYGON: 15, GeometryKind.LINE: 25}.get(kind, 45),
        min_zoom=definition.min_zoom,
        shown_by_default=definition.shown_by_default,
        keywords=tuple(definition.keywords),
        themes=tuple(definition.themes) or ("REGI",),
        # Its first date field is its time (a permit's start, an act's date).
        temporal=next(
            ((s.name,) for s in public if s.type == FieldType.DATE and not s.is_list),
            ("updated_at",),
        ),
        licence=definition.licence,
        department=definition.department,
        contact_email=definition.contact_email,
        update_frequency=definition.update_frequency,
        is_public=definition.is_public,
        parts=(PHOTOS,),  # every record may have photos, reviewed like the built-in ones
        definition_id=definition.pk,
        specs=specs,
        title_uk=definition.title_uk,
        title_en=definition.title_en,
        description_uk=definition.description_uk,
        description_en=definition.description_en,
        max_zoom=definition.max_zoom,
        source=definition.source,
        schema_version=definition.schema_version,
    )


class _Cache:
    def __init__(self):
        self.registries: tuple[DataRegistry, ...] = ()
        self.stamp = None
        self.checked = float("-inf")

    def forget(self) -> None:
        self.stamp = None
        self.checked = float("-inf")


_cache = _Cache()


def _definitions_stamp():
    from layers.models import ChangeStamp

    return tuple(
        ChangeStamp.objects.filter(table_name__in=DEFINITION_TABLES)
        .order_by("table_name")
        .values_list("table_name", "changed_at", "changes")
    )


def _load() -> tuple[DataRegistry, ...]:
    fields = FieldDefinition.objects.select_related("choice_list").prefetch_related(
        "choice_list__items"
    )
    definitions = RegistryDefinition.objects.prefetch_related(
        Prefetch("fields", queryset=fields)
    ).order_by("order", "slug")
    return tuple(registry_from_definition(d) for d in definitions)


def data_registries(*, recheck: bool = False) -> tuple[DataRegistry, ...]:
    """The entries of every data-defined registry, as the definitions stand now
    (``recheck``: look at the stamp now, not only once per interval)."""
    now = time.monotonic()
    interval = getattr(settings, "GEOPORTAL_REGISTRY_RECHECK_SECONDS", 2)
    if recheck or now - _cache.checked >= interval:
        try:
            stamp = _definitions_stamp()
            if stamp != _cache.stamp:
                _cache.registries = _load()
                _cache.stamp = stamp
        except DatabaseError:
            # Before the first migration (preflight, migrate itself) there is nothing to read.
            return ()
        _cache.checked = now
    return _cache.registries


def data_registries_forget() -> None:
    """Drop the cached entries (after a definition changed, in this process)."""
    _cache.forget()


def data_registry_get(registry_id: str) -> DataRegistry:
    for recheck in (False, True):
        for registry in data_registries(recheck=recheck):
            if registry.id == registry_id:
                return registry
    raise KeyError(registry_id)


def data_registry_for_definition(definition_id: int) -> DataRegistry:
    for recheck in (False, True):
        for registry in data_registries(recheck=recheck):
            if registry.definition_id == definition_id:
                return registry
    raise KeyError(definition_id)
