"""Open311 GeoReport v2 documents: a service per report category, a service request per
public report, errors in the specification's form; JSON and XML (the root and item element
names of the specification). The reporter is never part of a request document."""

import datetime
from xml.etree import ElementTree

from django.utils import timezone

from reports.models import ANSWERED_STATES, OPEN_STATES, ReportState

OPEN, CLOSED = "open", "closed"
STATUS_STATES = {OPEN: OPEN_STATES, CLOSED: ANSWERED_STATES}
AGENCY = "agency_responsible"


def status_of(state: str) -> str:
    return CLOSED if state in ANSWERED_STATES else OPEN


def service_document(category) -> dict:
    return {
        "service_code": category.service_code,
        "service_name": category.title,
        "description": category.title,
        # No extra attributes: a definition (services/<code>) lists none.
        "metadata": False,
        "type": "realtime",
        "keywords": category.registry,
        "group": category.registry,
    }


def definition_document(category) -> dict:
    return {"service_code": category.service_code, "attributes": []}


def _when(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")


def request_document(report, *, media_url: str = "", agency: str = "") -> dict:
    """One public report as a service request (the specification's fields)."""
    updates = list(report.updates.all())
    notes = updates[-1].comment if updates else ""
    return {
        "service_request_id": str(report.pk),
        "status": status_of(report.state),
        "status_notes": notes,
        "service_name": report.category.title,
        "service_code": report.category.service_code,
        "description": report.description,
        AGENCY: agency,
        "service_notice": "",
        "requested_datetime": _when(report.created_at),
        "updated_datetime": _when(report.updated_at),
        "expected_datetime": "",
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": round(report.geom.y, 6),
        "long": round(report.geom.x, 6),
        "media_url": media_url,
    }


def created_document(report) -> dict:
    notice = (
        "Confirm the report by the link mailed to the address given; it is public once a "
        "moderator publishes it."
        if report.state == ReportState.NEW
        else "The report is public once a moderator publishes it."
    )
    return {"service_request_id": str(report.pk), "service_notice": notice, "account_id": ""}


SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MEDIA_TYPES = ("text/xml", "application/json")


def discovery_document(*, changeset: str, contact: str, key_service: str, url: str) -> dict:
    """Service Discovery (the specification's companion): one production endpoint, this
    portal's GeoReport v2; ``changeset`` moves when the services or their definitions do."""
    return {
        "changeset": changeset,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": changeset,
                "type": "production",
                "formats": list(MEDIA_TYPES),
            }
        ],
    }


def discovery_xml(document: dict) -> bytes:
    """``<discovery>`` with ``<endpoints><endpoint>`` and ``<formats><format>``: the list
    names of Service Discovery, not those of the other documents."""
    root = ElementTree.Element("discovery")
    for key in ("changeset", "contact", "key_service"):
        ElementTree.SubElement(root, key).text = document[key]
    endpoints = ElementTree.SubElement(root, "endpoints")
    for endpoint in document["endpoints"]:
        item = ElementTree.SubElement(endpoints, "endpoint")
        for key, value in endpoint.items():
            child = ElementTree.SubElement(item, key)
            if key == "formats":
                for media_type in value:
                    ElementTree.SubElement(child, "format").text = media_type
            else:
                child.text = value
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def error_documents(code: int, *descriptions: str) -> list[dict]:
    return [{"code": code, "description": text} for text in descriptions]


# Root and item element names of each document list in XML.
XML_NAMES = {
    "services": ("services", "service"),
    "definition": ("service_definition", None),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
}


def _element(parent, name: str, value) -> None:
    child = ElementTree.SubElement(parent, name)
    if isinstance(value, list):
        for item in value:  # a definition's attributes
            _element(child, "attribute", item)
    elif isinstance(value, dict):
        for key, inner in value.items():
            _element(child, key, inner)
    elif isinstance(value, bool):
        child.text = "true" if value else "false"
    else:
        child.text = "" if value is None else str(value)


def to_xml(kind: str, documents) -> bytes:
    root_name, item_name = XML_NAMES[kind]
    root = ElementTree.Element(root_name)
    if item_name is None:  # one document: its fields are the root's children
        for key, value in documents.items():
            _element(root, key, value)
    else:
        for document in documents:
            _element(root, item_name, document)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
