"""The SDG JSON API (machine-facing: no language prefix), documented at openapi.json."""

from django.urls import path

from sdg import views

app_name = "sdg-api"

urlpatterns = [
    path("indicators/", views.api_indicators, name="indicators"),
    path("indicators/<slug:code>/", views.api_indicator, name="indicator"),
    path("openapi.json", views.api_openapi, name="openapi"),
]
