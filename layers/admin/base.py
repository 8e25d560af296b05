from django.contrib.gis.db.models import GeometryField
from leaflet.admin import LeafletGeoAdmin

from layers.forms import RegistryGeometryField
from layers.hromada import hromada_profile

# Fields the workflow owns: shown, never edited in a form.
WORKFLOW_FIELDS = (
    "public_id",
    "status",
    "version",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
)


class RegistryAdmin(LeafletGeoAdmin):
    """Admin of a registry model: a Leaflet map widget whose input passes the one geometry
    validator, and the workflow fields read-only."""

    readonly_fields = WORKFLOW_FIELDS
    list_display = ("__str__", "address", "status", "updated_at")
    list_filter = ("status",)
    search_fields = ("name", "address", "public_id")
    show_full_result_count = False  # counting 500,000 trees on every page load is wasted work

    @property
    def settings_overrides(self):
        """Open the map widget on the hromada, not on Leaflet's world view."""
        profile = hromada_profile()
        return {"DEFAULT_CENTER": list(profile.map_center), "DEFAULT_ZOOM": profile.map_zoom}

    def formfield_for_dbfield(self, db_field, request=None, **kwargs):
        if isinstance(db_field, GeometryField):
            kwargs["form_class"] = RegistryGeometryField
            kwargs["geometry_types"] = self._geometry_types(db_field)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def _geometry_types(self, db_field) -> tuple[str, ...]:
        if db_field.name == "geom":
            return self.model.GEOMETRY_TYPES
        return {"MULTIPOLYGON": ("Polygon", "MultiPolygon"), "POINT": ("Point",)}.get(
            db_field.geom_type, ()
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
