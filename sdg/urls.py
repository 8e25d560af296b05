"""The dashboard's pages (inside ``i18n_patterns``: Ukrainian at /sdg/, English at /en/sdg/)."""

from django.urls import path

from sdg import views

app_name = "sdg"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("goals/<int:number>/", views.goal_page, name="goal"),
    path("indicators/<slug:code>/", views.indicator_page, name="indicator"),
    path("indicators/<slug:code>/data.csv", views.indicator_csv, name="indicator-csv"),
]
