"""The permission matrix's world for the staff's report routes (tests/editing/
permission_matrix.py): a confirmed report of the trees registry about a published tree,
waiting for moderation; what the matrix posts to each route (a valid request, so that an
allowed one changes the database); the report tables' state, so that a refusal that changed
them is caught."""

from django.db.models import Max

from layers.registry import registry_get
from reports.models import Alert, Report, ReportPhoto, ReportUpdate
from reports.services.categories import categories_load
from reports.services.submit import RecordLink, report_submit
from tests.factories import published_record

REPORT_STATES = ("report_open",)

POSTS = {
    "moderate/": {"decision": "publish", "description": "matrix"},
    "answer/": {"state": "in_progress", "comment": "matrix"},
    "change/": {"field": "notes", "value": "matrix", "comment": "matrix"},
}


def report_in_state(actors, state: str) -> Report:
    assert state in REPORT_STATES
    categories_load()
    tree = published_record(registry_get("trees"))
    return report_submit(
        category_code="tree-hazardous",
        geom=tree.geom,
        description="Дерево нахилилося.",
        record=RecordLink("trees", str(tree.public_id)),
    )


def post_data(route: str) -> dict | None:
    """What the matrix posts to a staff report route, or None for a route not of reports."""
    if not route.startswith("edit/reports/"):
        return None
    return next((data for suffix, data in POSTS.items() if route.endswith(suffix)), {})


def db_state() -> list:
    return [
        list(Report.objects.order_by("id").values_list("id", "state", "moderation", "description")),
        ReportUpdate.objects.aggregate(n=Max("id")),
        ReportPhoto.objects.filter(hidden=True).count(),
        Alert.objects.aggregate(n=Max("id")),
    ]
