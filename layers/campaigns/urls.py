"""The campaign's pages, under /barrier-free/ (and /en/barrier-free/)."""

from django.urls import path

from layers.campaigns import downloads, staff_views, views

app_name = "campaigns"
urlpatterns = [
    path("", views.owner_home, name="home"),
    path("request/", views.request_search, name="request"),
    path("request/<uuid:public_id>/", views.request_object, name="request-object"),
    path("objects/<uuid:public_id>/describe/", views.describe, name="describe"),
    path("objects/<uuid:public_id>/<int:year>/", views.checklist_overview, name="checklist"),
    path(
        "objects/<uuid:public_id>/<int:year>/<int:number>/",
        views.checklist_section,
        name="section",
    ),
    path("campaigns/", staff_views.campaign_list, name="campaigns"),
    path("campaigns/<int:year>/", staff_views.dashboard, name="dashboard"),
    path("campaigns/<int:year>/review/<int:submission_id>/", staff_views.review, name="review"),
    path("campaigns/<int:year>/summary.<str:suffix>", downloads.summary, name="summary"),
    path("owners/", staff_views.owners, name="owners"),
    path("owners/<int:stewardship_id>/", staff_views.owner_decide, name="owner-decide"),
]
