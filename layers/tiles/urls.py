from django.urls import path

from layers.tiles import views

app_name = "tiles"
urlpatterns = [
    path("<slug:collection>.json", views.tilejson, name="tilejson"),
    path("<slug:collection>/<int:z>/<int:x>/<int:y>.pbf", views.tile, name="tile"),
    path("<slug:collection>/features/<int:fid>.json", views.feature, name="feature"),
    path(
        "<slug:collection>/features/<uuid:public_id>.json",
        views.feature,
        name="feature-by-public-id",
    ),
]
