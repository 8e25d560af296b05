from django.urls import include, path

from layers.views import map as map_views
from layers.views import records

app_name = "layers"
urlpatterns = [
    path("", map_views.home, name="home"),
    path("edit/", include("layers.editing.urls")),
    path("map/list.json", map_views.list_json, name="map-list"),
    path("map/search.json", map_views.search_json, name="map-search"),
    path("map/layers.css", map_views.layer_styles, name="layer-styles"),
    path("<slug:collection>/<uuid:public_id>/", records.record_detail, name="record"),
]
