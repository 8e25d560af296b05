from django.urls import path

from reports.views import alerts, downloads, feeds, public
from reports.views import map as map_views

app_name = "reports"
urlpatterns = [
    path("", public.report_list, name="list"),
    path("new/", public.report_new, name="new"),
    path("new/sent/", public.report_sent, name="sent"),
    path("confirm/<str:token>/", public.report_confirm_page, name="confirm"),
    path("map.geojson", map_views.map_geojson, name="map"),
    path("figures/", public.report_figures, name="figures"),
    path("download/reports.csv", downloads.download_csv, name="download-csv"),
    path("download/reports.geojson", downloads.download_geojson, name="download-geojson"),
    path("<int:report_id>/", public.report_detail, name="detail"),
    path(
        "<int:report_id>/photos/<int:photo_id>/<str:size>.jpg",
        public.report_photo,
        name="photo",
    ),
    path("feeds/area.atom", feeds.area_feed, name="feed-area"),
    path("feeds/<slug:code>.atom", feeds.category_feed, name="feed-category"),
    path("alerts/", alerts.area_alert, name="alerts"),
    path("alerts/report/<int:report_id>/", alerts.report_follow, name="follow"),
    path("alerts/confirm/<str:token>/", alerts.alert_confirm_page, name="alert-confirm"),
    path("alerts/unsubscribe/<str:token>/", alerts.unsubscribe_page, name="unsubscribe"),
]
