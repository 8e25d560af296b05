from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from geoportal import views

# Machine-facing endpoints: no language prefix.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ogc/", include("layers.ogcapi.urls")),
    path("tiles/", include("layers.tiles.urls")),
    path("api/", include("layers.api.urls")),
]
# Pages for people: Ukrainian at /, English at /en/.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("layers.urls")),
    prefix_default_language=False,
)
