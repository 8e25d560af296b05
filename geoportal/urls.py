from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from geoportal import views
from geoportal.password_reset import ThrottledPasswordResetView
from layers.ogcapi.views import landing as ogc_landing
from layers.views import media
from layers.views.languages import language_switch
from reports.views import open311 as open311_views

# Machine-facing endpoints: no language prefix.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Django's set_language, with the address moved to the chosen language first
    # (layers/views/languages.py).
    path("i18n/setlang/", language_switch, name="set_language"),
    # The landing page at /ogc too: QGIS does not follow a redirect to /ogc/, and /ogc is what
    # people type (its links are absolute, so the documents are the same).
    path("ogc", ogc_landing.landing, name="ogc-landing-no-slash"),
    path("ogc/", include("layers.ogcapi.urls")),
    path("tiles/", include("layers.tiles.urls")),
    path("api/", include("layers.api.urls")),
    # The SDG monitoring's JSON API (sdg/, issue 18).
    path("sdg/api/", include("sdg.api_urls")),
    # Open311 GeoReport v2 over the citizen reports (reports/): for apps and city systems.
    # Service Discovery sits above the versioned endpoint, as its specification asks.
    path("open311/discovery.<str:suffix>", open311_views.discovery, name="open311-discovery"),
    path("open311/v2/", include("reports.open311_urls")),
    # Photos, checked against their record (layers/views/media.py): never the folder as is.
    path("media/<path:path>", media.media_file, name="media"),
]
# Pages for people: Ukrainian at /, English at /en/.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    # The portal's own sign-in, for object owners (not staff, so not the admin's form).
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="layers:home"), name="logout"),
    # Owners are invited by mail and set their password themselves (Django's reset views).
    # Django's reset views; the form limited per address and per email (mail-bombing).
    path(
        "password-reset/",
        ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Citizen reports (before layers' <collection>/<id>/ and edit/<registry>/ routes).
    path("reports/", include("reports.urls")),
    path("edit/reports/", include("reports.staff_urls")),
    # The SDG monitoring dashboard (sdg/, issue 18).
    path("sdg/", include("sdg.urls")),
    path("", include("layers.urls")),
    prefix_default_language=False,
)
