from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from layers.models import Hromada


@admin.register(Hromada)
class HromadaAdmin(LeafletGeoAdmin):
    list_display = ("name_uk", "name_en", "code", "updated_at")
    readonly_fields = ("code", "source", "updated_at")
    modifiable = False  # the boundary comes from the hromada profile (load_boundary)
