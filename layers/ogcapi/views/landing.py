"""The landing page, the conformance declaration and the API definition."""

from django.http import HttpRequest

from layers.ogcapi import http
from layers.ogcapi.documents import conformance_document, landing_document
from layers.ogcapi.openapi import openapi_document
from layers.ogcapi.views.base import conditional, html_response, json_response, ogc_endpoint

# The documents below change only with the code and the language: a fixed stamp per deploy.
STATIC_STAMP = "static-1"


@ogc_endpoint
def landing(request: HttpRequest):
    representation = http.negotiate(request)
    document = landing_document(request)
    if representation == "html":
        return conditional(
            request,
            STATIC_STAMP,
            http.HTML,
            lambda: html_response(request, "landing.html", {"document": document}),
        )
    return conditional(request, STATIC_STAMP, http.JSON, lambda: json_response(document))


@ogc_endpoint
def conformance(request: HttpRequest):
    representation = http.negotiate(request)
    document = conformance_document()
    if representation == "html":
        return html_response(request, "conformance.html", {"document": document})
    return json_response(document)


@ogc_endpoint
def openapi(request: HttpRequest):
    representation = http.negotiate(request, json_type=http.OPENAPI_JSON)
    document = openapi_document(request)
    if representation == "html":
        return html_response(
            request,
            "openapi.html",
            {"document": document, "paths": list(document["paths"].items())},
        )
    return json_response(document, http.OPENAPI_JSON)
