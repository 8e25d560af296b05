from django.urls import path

from bench.drfgis.views import GreenAreaList, TreeList

urlpatterns = [
    path("trees/", TreeList.as_view()),
    path("green-areas/", GreenAreaList.as_view()),
]
