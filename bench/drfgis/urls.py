from django.http import HttpResponse
from django.urls import path

from bench.drfgis.views import GreenAreaList, TreeList

urlpatterns = [
    # The bench's probe: an answer at / (the portal's 404 page links its own URLs, which
    # this URL configuration has not).
    path("", lambda request: HttpResponse("drf-gis contender", content_type="text/plain")),
    path("trees/", TreeList.as_view()),
    path("green-areas/", GreenAreaList.as_view()),
]
