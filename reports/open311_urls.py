from django.urls import path

from reports.views import open311

app_name = "open311"
urlpatterns = [
    path("services.<str:suffix>", open311.services, name="services"),
    path("services/<slug:code>.<str:suffix>", open311.service_definition, name="service"),
    path("requests.<str:suffix>", open311.requests, name="requests"),
    path("requests/<int:report_id>.<str:suffix>", open311.request_detail, name="request"),
]
