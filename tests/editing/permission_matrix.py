"""The permission matrix as data: role × route × method × record state → expected outcome.

Extend it by adding rows to ``RULES`` (routes of the editing API and pages) or prefixes to
``PUBLIC_PREFIXES`` (public read-only routes). An expected outcome is an HTTP status, with
``+`` when the request must change the database (an allowed write); every other outcome
must leave the database exactly as it was.

A rule's ``expect`` is either one outcome for every role and state, a dict role → outcome,
or a dict role → dict state → outcome. Roles: anonymous, outsider (logged in, no role),
editor, reviewer, administrator. Methods not named for a route take ``other_methods``.
"""

from dataclasses import dataclass, field

ROLES = ("anonymous", "outsider", "editor", "reviewer", "administrator")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
RECORD_STATES = ("draft", "in_review", "published", "archived")
# For routes about a change request: a draft waiting for publication, a proposed change to
# a published record (both by the editor), and an already approved change.
CHANGE_STATES = ("publish_pending", "update_pending", "decided")
# For routes about a notification: the editor's change rejected by the reviewer, unread.
NOTIFICATION_STATES = ("notification_unread",)
# For routes about a bulk import (made by the editor in trees): taken in and mapped, checked
# without problems, committed (its batch waits for review).
IMPORT_STATES = ("import_uploaded", "import_validated", "import_committed")


@dataclass(frozen=True)
class Rule:
    route: str  # the route's pattern under the site root, {registry} for every registry
    methods: dict  # method -> expect
    other_methods: object = 405
    states: tuple = ()
    notes: str = ""


def by_state(**states):
    return states


# Shorthands for the roles' outcomes.
def roles(anonymous, outsider, editor, reviewer, administrator):
    return {
        "anonymous": anonymous,
        "outsider": outsider,
        "editor": editor,
        "reviewer": reviewer,
        "administrator": administrator,
    }


PUBLIC_ONLY = by_state(draft=404, in_review=404, published=200, archived=404)
API_WRITE_METHOD_NOT_ALLOWED = roles(401, 405, 405, 405, 405)
HTML_NOT_ALLOWED = roles(302, 405, 405, 405, 405)

_api_edit = by_state(draft="200+", in_review=409, published="202+", archived=409)
_api_hidden_403 = by_state(draft=404, in_review=404, published=403, archived=404)
_html_edit = by_state(draft="302+", in_review=400, published="302+", archived=400)
_html_state_refused = by_state(draft="302+", in_review=302, published=302, archived=302)
_archive = by_state(draft="200+", in_review="200+", published="200+", archived=409)
_html_archive = by_state(draft="302+", in_review="302+", published="302+", archived=302)
_upload = by_state(draft=415, in_review=409, published=415, archived=409)
_restore = by_state(draft="302+", in_review=302, published="302+", archived=302)
# Reviewers bring back versions of published records only, as a change that another
# reviewer approves (four eyes); a draft is its editors' work.
_restore_reviewer = by_state(draft=403, in_review=302, published="302+", archived=302)
_decide = by_state(publish_pending="200+", update_pending="200+", decided=409)
_html_decide = by_state(publish_pending="302+", update_pending="302+", decided=302)

# Bulk imports: the job's pages are hidden (404) from users without a role in its registry;
# changing it needs the right to create records, reviewing its batch the right to review.
_import_open = by_state(import_uploaded="302+", import_validated="302+", import_committed=302)
_import_commit = by_state(import_uploaded=302, import_validated="302+", import_committed=302)
_import_decide = by_state(import_uploaded=302, import_validated=302, import_committed="302+")
_import_report = by_state(import_uploaded=404, import_validated=200, import_committed=200)
_IMPORT_SEE = roles(302, 404, 200, 200, 200)
_IMPORT_CHANGE = roles(302, 404, _import_open, 403, _import_open)


def _import_rule(route, methods, notes=""):
    return Rule(
        f"edit/imports/<uuid:public_id>/{route}",
        methods,
        other_methods=HTML_NOT_ALLOWED,
        states=IMPORT_STATES,
        notes=notes,
    )


IMPORT_RULES = [
    Rule(
        "edit/{registry}/import/",
        {"GET": roles(302, 403, 200, 403, 200), "POST": roles(302, 403, "302+", 403, "302+")},
        other_methods=HTML_NOT_ALLOWED,
        notes="The upload: a job is created and the browser sent to its page.",
    ),
    _import_rule("", {"GET": _IMPORT_SEE}),
    _import_rule("reading/", {"POST": _IMPORT_CHANGE}),
    _import_rule("mapping/", {"POST": _IMPORT_CHANGE}),
    _import_rule("mapping.json", {"GET": _IMPORT_SEE}),
    _import_rule("check/", {"POST": _IMPORT_CHANGE}),
    _import_rule("commit/", {"POST": roles(302, 404, _import_commit, 403, _import_commit)}),
    _import_rule("progress.json", {"GET": _IMPORT_SEE}),
    _import_rule(
        "report.csv", {"GET": roles(302, 404, _import_report, _import_report, _import_report)}
    ),
    _import_rule(
        "report.xlsx", {"GET": roles(302, 404, _import_report, _import_report, _import_report)}
    ),
    _import_rule("review/", {"GET": roles(302, 404, 403, 200, 200)}),
    _import_rule(
        "review/approve/",
        {"POST": roles(302, 404, 403, _import_decide, _import_decide)},
        notes="The import's author (the editor) may not review; nothing pending until committed.",
    ),
    _import_rule("review/reject/", {"POST": roles(302, 404, 403, _import_decide, _import_decide)}),
    _import_rule(
        "rollback/",
        {"POST": roles(302, 404, 403, 403, 302)},
        notes="Administrators only (edit and archive), and only with the confirmation ticked: "
        "the matrix posts none, so nothing is queued.",
    ),
]

# Citizen reports, the staff's side (reports/views/staff.py): a report's pages are hidden
# (404) from users without a role in its registry (trees); editors and reviewers answer it,
# reviewers moderate it, only editors (and administrators) propose a change of its record.
# The matrix posts a valid request to each (tests/reports/matrix_world.py).
REPORT_STATES = ("report_open",)


def _report_rule(route, methods, notes=""):
    return Rule(
        f"edit/reports/<int:report_id>/{route}",
        methods,
        other_methods=HTML_NOT_ALLOWED,
        states=REPORT_STATES,
        notes=notes,
    )


REPORT_RULES = [
    Rule("edit/reports/", {"GET": roles(302, 403, 200, 200, 200)}, other_methods=HTML_NOT_ALLOWED),
    _report_rule("", {"GET": roles(302, 404, 200, 200, 200)}),
    _report_rule("moderate/", {"POST": roles(302, 404, 403, "302+", "302+")}),
    _report_rule("answer/", {"POST": roles(302, 404, "302+", "302+", "302+")}),
    _report_rule(
        "change/",
        {"POST": roles(302, 404, "302+", 400, "302+")},
        notes="A reviewer answers but never proposes a record's change (no edit right): "
        "refused with a message.",
    ),
]

RULES = [
    # --- editing API ---------------------------------------------------------------------
    Rule("api/schema/", {"GET": 200}),
    Rule("api/docs/", {"GET": 200}),
    Rule(
        "api/{registry}/records/",
        {"GET": 200, "POST": roles(401, 403, "201+", 403, "201+")},
        other_methods=API_WRITE_METHOD_NOT_ALLOWED,
    ),
    Rule(
        "api/{registry}/records/<uuid:public_id>/",
        {
            "GET": roles(PUBLIC_ONLY, PUBLIC_ONLY, 200, 200, 200),
            "PATCH": roles(401, _api_hidden_403, _api_edit, 403, _api_edit),
            "PUT": roles(401, _api_hidden_403, _api_edit, 403, _api_edit),
        },
        other_methods=API_WRITE_METHOD_NOT_ALLOWED,
        states=RECORD_STATES,
        notes="DELETE is 405: records are archived, never deleted.",
    ),
    Rule(
        "api/{registry}/records/<uuid:public_id>/submit/",
        {
            "GET": 405,
            "POST": roles(
                401,
                _api_hidden_403,
                by_state(draft="200+", in_review=409, published=409, archived=409),
                403,
                by_state(draft="200+", in_review=409, published=409, archived=409),
            ),
        },
        other_methods=API_WRITE_METHOD_NOT_ALLOWED,
        states=RECORD_STATES,
    ),
    Rule(
        "api/{registry}/records/<uuid:public_id>/archive/",
        {"GET": 405, "POST": roles(401, _api_hidden_403, 403, _archive, _archive)},
        other_methods=API_WRITE_METHOD_NOT_ALLOWED,
        states=RECORD_STATES,
    ),
    Rule(
        "api/{registry}/records/<uuid:public_id>/photos/",
        {"GET": 405, "POST": roles(401, _api_hidden_403, _upload, 403, _upload)},
        other_methods=API_WRITE_METHOD_NOT_ALLOWED,
        states=RECORD_STATES,
        notes="The matrix posts JSON, not a file: the editor's allowed upload answers 415 "
        "and stores nothing (real uploads: tests/editing/test_parts_api.py).",
    ),
    Rule(
        "api/changes/",
        {"GET": roles(401, 200, 200, 200, 200)},
        other_methods=API_WRITE_METHOD_NOT_ALLOWED,
    ),
    Rule(
        "api/changes/<int:change_id>/",
        {"GET": roles(401, 404, 200, 200, 200)},
        other_methods=API_WRITE_METHOD_NOT_ALLOWED,
        states=CHANGE_STATES,
    ),
    Rule(
        "api/changes/<int:change_id>/approve/",
        {"GET": roles(401, 405, 405, 405, 405), "POST": roles(401, 404, 403, _decide, _decide)},
        other_methods=API_WRITE_METHOD_NOT_ALLOWED,
        states=CHANGE_STATES,
    ),
    Rule(
        "api/changes/<int:change_id>/reject/",
        {"GET": roles(401, 405, 405, 405, 405), "POST": roles(401, 404, 403, _decide, _decide)},
        other_methods=API_WRITE_METHOD_NOT_ALLOWED,
        states=CHANGE_STATES,
    ),
    # --- editing pages (anonymous users are sent to log in) -------------------------------
    Rule("edit/", {"GET": roles(302, 403, 200, 200, 200)}, other_methods=HTML_NOT_ALLOWED),
    Rule("edit/review/", {"GET": roles(302, 403, 200, 200, 200)}, other_methods=HTML_NOT_ALLOWED),
    # Everyone logged in manages their own API token; a POST without an action changes nothing.
    Rule(
        "edit/api-token/",
        {"GET": roles(302, 200, 200, 200, 200), "POST": roles(302, 400, 400, 400, 400)},
        other_methods=HTML_NOT_ALLOWED,
    ),
    Rule(
        "edit/review/<int:change_id>/approve/",
        {"POST": roles(302, 404, 403, _html_decide, _html_decide)},
        other_methods=HTML_NOT_ALLOWED,
        states=CHANGE_STATES,
    ),
    Rule(
        "edit/review/<int:change_id>/reject/",
        {"POST": roles(302, 404, 403, _html_decide, _html_decide)},
        other_methods=HTML_NOT_ALLOWED,
        states=CHANGE_STATES,
    ),
    Rule(
        "edit/changes/<int:change_id>/",
        {"GET": roles(302, 404, 200, 200, 200)},
        other_methods=HTML_NOT_ALLOWED,
        states=CHANGE_STATES,
        notes="Where a notification leads; also its author's when they have no role "
        "(an owner's proposal).",
    ),
    Rule(
        "edit/notifications/read/",
        {"POST": roles(302, 302, "302+", 302, 302)},
        other_methods=HTML_NOT_ALLOWED,
        states=NOTIFICATION_STATES,
        notes="Everyone marks their own notifications read; only the editor has one.",
    ),
    Rule(
        "edit/notifications/<int:notification_id>/read/",
        {"POST": roles(302, 404, "302+", 404, 404)},
        other_methods=HTML_NOT_ALLOWED,
        states=NOTIFICATION_STATES,
        notes="Only its recipient (the editor) marks it read; it is no one else's to see.",
    ),
    Rule(
        "edit/changes/<int:change_id>/withdraw/",
        {
            "POST": roles(
                302,
                404,
                by_state(publish_pending="302+", update_pending="302+", decided=302),
                403,
                403,
            )
        },
        other_methods=HTML_NOT_ALLOWED,
        states=CHANGE_STATES,
        notes="Only the author (the editor) withdraws.",
    ),
    Rule(
        "edit/{registry}/",
        {"GET": roles(302, 403, 200, 200, 200)},
        other_methods=HTML_NOT_ALLOWED,
    ),
    Rule(
        "edit/{registry}/new/",
        {"GET": roles(302, 403, 200, 403, 200), "POST": roles(302, 403, "302+", 403, "302+")},
        other_methods=HTML_NOT_ALLOWED,
    ),
    Rule(
        "edit/{registry}/features/",
        {"GET": roles(302, 403, 200, 200, 200)},
        other_methods=HTML_NOT_ALLOWED,
    ),
    Rule(
        "edit/{registry}/check/",
        {"POST": roles(302, 403, 200, 403, 200)},
        other_methods=HTML_NOT_ALLOWED,
    ),
    Rule(
        "edit/{registry}/<uuid:public_id>/",
        {
            "GET": roles(302, 403, 200, 200, 200),
            "POST": roles(302, 403, _html_edit, 403, _html_edit),
        },
        other_methods=HTML_NOT_ALLOWED,
        states=RECORD_STATES,
    ),
    Rule(
        "edit/{registry}/<uuid:public_id>/submit/",
        {"POST": roles(302, 403, _html_state_refused, 403, _html_state_refused)},
        other_methods=HTML_NOT_ALLOWED,
        states=RECORD_STATES,
    ),
    Rule(
        "edit/{registry}/<uuid:public_id>/archive/",
        {"POST": roles(302, 403, 403, _html_archive, _html_archive)},
        other_methods=HTML_NOT_ALLOWED,
        states=RECORD_STATES,
    ),
    Rule(
        "edit/{registry}/<uuid:public_id>/history/",
        {"GET": roles(PUBLIC_ONLY, PUBLIC_ONLY, 200, 200, 200)},
        other_methods=405,
        states=RECORD_STATES,
        notes="The public sees the published states of published records only.",
    ),
    Rule(
        "edit/{registry}/<uuid:public_id>/history/<int:event_id>/restore/",
        {"POST": roles(302, 403, _restore, _restore_reviewer, _restore)},
        other_methods=HTML_NOT_ALLOWED,
        states=RECORD_STATES,
    ),
    *IMPORT_RULES,
    *REPORT_RULES,
]

# Routes owned elsewhere that must be public and read-only: an anonymous GET answers (200,
# or 404/400 for the made-up ids and parameters the test fills in), every other method 405.
PUBLIC_PREFIXES = ("", "ogc/", "tiles/", "healthz", "map/", "sdg/")
PUBLIC_GET_OK = (200, 204, 400, 404)  # 204: an empty vector tile
# Routes left out of the matrix, each with its reason.
EXCLUDED_PREFIXES = {
    "admin/": "Django admin: its own permission system, tested by Django",
    "i18n/": "Django's set_language: a POST by design, changes only the session",
    "static/": "static files",
    "media/": "uploaded files (tests/security/test_media.py)",
    "api/^": "the API's catch-all: a JSON 404 for any path naming nothing (tests/security)",
    "barrier-free/": "the campaign's pages: their own matrix (tests/campaigns/test_access.py)",
    "login/": "Django's LoginView behind django-axes: a POST by design (tests/security)",
    "logout/": "Django's LogoutView: a POST that ends only the visitor's own session",
    "password-reset/": "Django's password reset: a POST mails a link (tests/campaigns)",
    # Citizen reports: public forms that write (tests/reports/test_access.py checks each:
    # a GET answers, a refused POST stores nothing, other methods are 405).
    "reports/new/": "the report form: a POST creates a report (and its sent page)",
    "reports/confirm/": "the mailed confirmation link: its POST confirms a report",
    "reports/alerts/": "following by email: POSTs ask for, confirm and stop alerts",
    "open311/v2/requests.": "Open311's requests: a POST creates a report (an API, no CSRF)",
}


@dataclass
class Case:
    route: str
    method: str
    role: str
    state: str | None
    expect: object
    registry: str | None = None
    rule: Rule | None = field(default=None, repr=False)


def expectation(rule: Rule, method: str, role: str, state: str | None):
    value = rule.methods.get(method, rule.other_methods)
    if isinstance(value, dict) and role in value:
        value = value[role]
    if isinstance(value, dict):
        value = value[state]
    return value
