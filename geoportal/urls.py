from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from geoportal import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
]
# Ukrainian at /, English at /en/.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("layers.urls")),
    prefix_default_language=False,
)
