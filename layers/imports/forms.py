"""The forms of the bulk-import pages: the upload, the reading options of a taken-in file,
and the mapping of its columns and values to the registry's fields.

The mapping form is built per job: a select of the file's columns for every field the file
may fill, for every choice or related field the values seen in its column each with a select
of the registry's values, the key that matches existing records, and the distance under
which two points are reported as possible duplicates.
"""

import json
import re

from django import forms
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from layers.imports.checking import RowChecker, mapped_fields_without_column
from layers.imports.mapping import (
    FUZZY_LOOKUP_LIMIT,
    ColumnMapping,
    _is_list,
    importable_fields,
    key_candidates,
    normalise,
    value_options,
)

ENCODINGS = [
    ("", _("detect automatically")),
    ("utf-8", "UTF-8"),
    ("utf-8-sig", _("UTF-8 with a byte order mark (Excel)")),
    ("cp1251", "Windows-1251"),
]

# The coordinate reference systems of Ukrainian practice a file may be in.
CRS_CHOICES = [
    ("", _("as the file says (WGS 84 if it says nothing)")),
    ("EPSG:4326", _("WGS 84, degrees (EPSG:4326)")),
    *[
        (
            f"EPSG:{5558 + zone}",
            format_lazy(
                _("UCS-2000 / Gauss–Krüger zone {zone} (EPSG:{code})"),
                zone=zone,
                code=5558 + zone,
            ),
        )
        for zone in (4, 5, 6, 7)
    ],
    *[
        (
            f"EPSG:{32600 + zone}",
            format_lazy(_("WGS 84 / UTM zone {zone}N (EPSG:{code})"), zone=zone, code=32600 + zone),
        )
        for zone in (34, 35, 36)
    ],
]
CRS_CODES = {code for code, _label in CRS_CHOICES if code}
MAX_MAPPING_BYTES = 1024 * 1024
DEFAULT_DUPLICATE_DISTANCE_M = 1.0


def import_limits() -> dict:
    """The limits shown on the upload page."""
    size = getattr(settings, "GEOPORTAL_IMPORT_MAX_BYTES", 200 * 1024 * 1024)
    return {
        "bytes": size,
        "size": filesizeformat(size),
        "rows": getattr(settings, "GEOPORTAL_IMPORT_MAX_ROWS", 1_000_000),
    }


def _column_name():
    return forms.CharField(
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "GeoJSON, zipped Shapefile, GeoPackage, KML, CSV or XLSX (with coordinates or WKT)."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".geojson,.json,.zip,.gpkg,.kml,.kmz,.csv,.txt,.xlsx",
                "aria-describedby": "id_file_helptext upload-limits",
            }
        ),
    )
    encoding = forms.ChoiceField(label=_("Encoding of the text"), choices=ENCODINGS, required=False)
    layer = forms.CharField(
        label=_("Layer"),
        required=False,
        max_length=200,
        help_text=_("A layer of a GeoPackage or KML, or a sheet of an XLSX; the first if empty."),
    )
    source_crs = forms.ChoiceField(
        label=_("Coordinate reference system"), choices=CRS_CHOICES, required=False
    )
    x_column = _column_name()
    y_column = _column_name()
    wkt_column = _column_name()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["x_column"].label = _("Column of X (longitude or easting)")
        self.fields["y_column"].label = _("Column of Y (latitude or northing)")
        self.fields["wkt_column"].label = _("Column of the geometry as WKT")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = import_limits()
        if upload.size > limit["bytes"]:
            raise forms.ValidationError(
                _("The file is larger than %(size)s.") % {"size": limit["size"]}
            )
        return upload

    def clean(self):
        data = super().clean()
        x, y = data.get("x_column"), data.get("y_column")
        if bool(x) != bool(y):
            raise forms.ValidationError(_("Name both coordinate columns, or neither."))
        return data

    def reading(self) -> dict:
        """The arguments of ``services.import_create`` this form gives."""
        data = self.cleaned_data
        options = {k: data[k] for k in ("x_column", "y_column", "wkt_column") if data.get(k)}
        options["given"] = {"encoding": bool(data["encoding"]), "crs": bool(data["source_crs"])}
        return {
            "encoding": data["encoding"],
            "layer": data["layer"],
            "source_crs": data["source_crs"],
            "options": options,
        }


class ReadingForm(forms.Form):
    """How a taken-in file is read again: another layer, encoding, CRS or coordinate columns."""

    encoding = forms.ChoiceField(label=_("Encoding of the text"), choices=ENCODINGS, required=False)
    layer = forms.ChoiceField(label=_("Layer"), required=False)
    source_crs = forms.ChoiceField(
        label=_("Coordinate reference system"), choices=CRS_CHOICES, required=False
    )
    x_column = forms.ChoiceField(label=_("Column of X (longitude or easting)"), required=False)
    y_column = forms.ChoiceField(label=_("Column of Y (latitude or northing)"), required=False)
    wkt_column = forms.ChoiceField(label=_("Column of the geometry as WKT"), required=False)

    def __init__(self, *args, job, **kwargs):
        options = job.options or {}
        given = options.get("given", {})
        initial = {
            "encoding": job.encoding if given.get("encoding") else "",
            "layer": job.layer,
            "source_crs": job.source_crs if job.source_crs in CRS_CODES else "",
            **{k: options.get(k, "") for k in ("x_column", "y_column", "wkt_column")},
        }
        super().__init__(*args, initial=initial, **kwargs)
        layers = [str(name) for name in options.get("layers") or []]
        self.fields["layer"].choices = [(name, name) for name in layers] or [("", "—")]
        self.has_layers = len(layers) > 1
        columns = [("", _("— none —"))] + [(c, c) for c in options.get("columns") or []]
        for name in ("x_column", "y_column", "wkt_column"):
            self.fields[name].choices = columns

    def clean(self):
        data = super().clean()
        if bool(data.get("x_column")) != bool(data.get("y_column")):
            raise forms.ValidationError(_("Name both coordinate columns, or neither."))
        return data

    def reading(self) -> dict:
        data = self.cleaned_data
        return {
            "encoding": data["encoding"],
            "layer": data["layer"],
            "source_crs": data["source_crs"],
            "columns": {k: data[k] for k in ("x_column", "y_column", "wkt_column") if data.get(k)},
        }


# --- The mapping ------------------------------------------------------------------------


def value_choices(field: models.Field) -> list[tuple[object, str]]:
    """The registry's values of a choice or related field, as (stored value, label)."""
    if isinstance(field, models.ForeignKey):
        model = field.related_model
        return [(obj.pk, str(obj)) for obj in model.objects.all()[:FUZZY_LOOKUP_LIMIT]]
    base = field.base_field if isinstance(field, ArrayField) else field
    if isinstance(base, models.BooleanField) and not base.choices:
        return [(True, str(_("yes"))), (False, str(_("no")))]
    return [(value, str(label)) for value, label in base.flatchoices or ()]


def split_values(field: models.Field, raw) -> list[str]:
    """The values one cell holds for a field (a list field's are separated by ; or ,)."""
    text = str(raw).strip()
    if not text:
        return []
    if _is_list(field):
        return [p for p in re.split(r"\s*[;,]\s*", text) if p]
    return [text]


class MappingForm(forms.Form):
    """Fields ``column-<field>``, ``value-<field>-<n>`` (with the file's value in
    ``value-<field>-<n>-source``), ``key`` and ``duplicate_distance_m``."""

    key = forms.ChoiceField(label=_("Match existing records by"), required=False)
    duplicate_distance_m = forms.FloatField(
        label=_("Report points closer than (metres) as possible duplicates"),
        min_value=0,
        max_value=1000,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )

    def __init__(self, *args, job, registry, distinct_values, **kwargs):
        """``distinct_values(column) -> list[str]``: values seen in a column of the file."""
        self.job, self.registry = job, registry
        mapping = ColumnMapping.from_json(job.mapping or {})
        self.mapping = mapping
        options = job.options or {}
        columns = [str(c) for c in options.get("columns") or []]
        distance = options.get(
            "duplicate_distance_m",
            getattr(
                settings, "GEOPORTAL_IMPORT_DUPLICATE_DISTANCE_M", DEFAULT_DUPLICATE_DISTANCE_M
            ),
        )
        super().__init__(
            *args, initial={"key": mapping.key or "", "duplicate_distance_m": distance}, **kwargs
        )
        self.registry_fields = importable_fields(registry)
        column_choices = [("", _("— not imported —"))] + [(c, c) for c in columns]
        self.rows = []  # one per registry field, for the template
        for field in self.registry_fields:
            name = f"column-{field.name}"
            self.fields[name] = forms.ChoiceField(
                label=field.verbose_name,
                choices=column_choices,
                required=False,
                initial=mapping.columns.get(field.name, ""),
            )
            column = self._bound_column(name, mapping.columns.get(field.name, ""))
            row = {"field": field, "column": name, "column_name": column, "values": []}
            if column and value_options(field):
                row["values"] = self._value_fields(field, column, distinct_values(column))
            self.rows.append(row)
        required = set(mapped_fields_without_column(registry, ColumnMapping()))
        for row in self.rows:  # bound fields, for the template
            row["bound"] = self[row["column"]]
            row["required"] = row["field"].name in required
            hidden = f"values-column-{row['field'].name}"
            row["values_column"] = self[hidden] if hidden in self.fields else None
            for item in row["values"]:
                item["bound"] = self[item["name"]]
                item["source_bound"] = self[f"{item['name']}-source"]
        labels = {f.name: f.verbose_name for f in self.registry_fields}
        self.fields["key"].choices = [("", _("nothing: every row is a new record"))] + [
            (name, labels[name]) for name in key_candidates(registry)
        ]

    def _bound_column(self, name: str, default: str) -> str:
        """The column a field is mapped to in the submitted data (or as saved)."""
        if self.is_bound:
            return self.data.get(name, "")
        return default

    def _value_fields(self, field, column: str, seen: list[str]) -> list[dict]:
        options = value_options(field) or {}
        choices = value_choices(field)
        by_text = {str(value): value for value, _label in choices}
        select = [("", _("— not recognised (the row is refused) —"))] + [
            (str(value), label) for value, label in choices
        ]
        explicit = self.mapping.values.get(field.name, {})
        parts: list[str] = []
        for raw in seen:
            for part in split_values(field, raw):
                if part not in parts:
                    parts.append(part)
        shown_for = self.data.get(f"values-column-{field.name}") if self.is_bound else None
        if shown_for == column:  # the values the page showed for this column, in its order
            count = 0
            while f"value-{field.name}-{count}-source" in self.data:
                count += 1
            parts = [self.data[f"value-{field.name}-{i}-source"] for i in range(count)]
        elif self.is_bound:  # another column was chosen: its values are shown after saving
            return []
        self.fields[f"values-column-{field.name}"] = forms.CharField(
            widget=forms.HiddenInput, initial=column, required=False, strip=False
        )
        rows = []
        for index, part in enumerate(parts):
            if part in explicit:
                initial = explicit[part]
            else:
                initial = options.get(normalise(part), "")
            name = f"value-{field.name}-{index}"
            self.fields[name] = forms.TypedChoiceField(
                label=part,
                choices=select,
                required=False,
                initial=str(initial) if initial not in (None, "") else "",
                coerce=lambda text, by_text=by_text: by_text.get(text, text),
                empty_value=None,
            )
            self.fields[f"{name}-source"] = forms.CharField(
                widget=forms.HiddenInput, initial=part, required=False, strip=False
            )
            rows.append({"source": part, "name": name, "recognised": bool(initial != "")})
        return rows

    def clean(self):
        data = super().clean()
        columns = {}
        for field in self.registry_fields:
            column = data.get(f"column-{field.name}")
            if column:
                columns[field.name] = column
        used: dict[str, str] = {}
        for name, column in columns.items():
            if column in used:
                labels = {f.name: str(f.verbose_name) for f in self.registry_fields}
                raise forms.ValidationError(
                    _("The column «%(column)s» is mapped to both %(a)s and %(b)s.")
                    % {"column": column, "a": labels[used[column]], "b": labels[name]}
                )
            used[column] = name
        values: dict[str, dict] = {}
        for row in self.rows:
            name = row["field"].name
            if name not in columns:
                continue
            if not row["values"] and name in self.mapping.values:
                values[name] = dict(self.mapping.values[name])  # shown after the save
            for item in row["values"]:
                chosen = data.get(item["name"])
                source = data.get(f"{item['name']}-source")
                if chosen not in (None, "") and source:
                    values.setdefault(name, {})[source] = chosen
        key = data.get("key") or None
        if key and key not in columns:
            raise forms.ValidationError(
                _("Map a column to the field that matches existing records, or match by nothing.")
            )
        mapping = ColumnMapping(columns=columns, values=values, key=key)
        try:
            mapping = ColumnMapping.from_json(mapping.as_json())
            RowChecker(self.registry, mapping)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        data["mapping"] = mapping
        return data


class MappingFileForm(forms.Form):
    """A mapping saved from an earlier import (its "Download mapping" JSON)."""

    mapping_file = forms.FileField(
        label=_("A saved mapping (JSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args, registry, **kwargs):
        self.registry = registry
        super().__init__(*args, **kwargs)

    def clean_mapping_file(self):
        upload = self.cleaned_data["mapping_file"]
        if upload.size > MAX_MAPPING_BYTES:
            raise forms.ValidationError(_("A mapping is a small JSON file; this one is too large."))
        try:
            data = json.loads(upload.read().decode("utf-8-sig"))
            mapping = ColumnMapping.from_json(data)
            RowChecker(self.registry, mapping)
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise forms.ValidationError(
                _("This is not a mapping saved by the portal: %(error)s") % {"error": exc}
            ) from None
        distance = data.get("duplicate_distance_m")
        number = isinstance(distance, int | float) and not isinstance(distance, bool)
        if not (number and 0 <= distance <= 1000):
            distance = None
        self.cleaned_data["duplicate_distance_m"] = distance
        return mapping
