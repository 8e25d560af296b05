from django.urls import include, path

from layers.views import accessibility, records
from layers.views import map as map_views

app_name = "layers"
urlpatterns = [
    path("", map_views.home, name="home"),
    path("edit/", include("layers.editing.urls")),
    path("barrier-free/", include("layers.campaigns.urls")),
    path("map/list.json", map_views.list_json, name="map-list"),
    path("map/search.json", map_views.search_json, name="map-search"),
    path("map/nearest.json", map_views.nearest_json, name="map-nearest"),
    path("map/layers.css", map_views.layer_styles, name="layer-styles"),
    # The accessibility registry's own pages, beside its records' (/accessibility/<id>/).
    path("accessibility/awards/", accessibility.awards, name="accessibility-awards"),
    path(
        "accessibility/<uuid:public_id>/card.pdf",
        accessibility.card_pdf,
        name="accessibility-card",
    ),
    path("<slug:collection>/<uuid:public_id>/", records.record_detail, name="record"),
]
