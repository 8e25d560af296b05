"""Who may open and post each campaign page. Every route under /barrier-free/ must have a
rule here; each rule is checked for every actor, and no refusal may change the database.

Owners see their own objects only: another owner's object answers 404, as if it did not
exist. The dashboard, reviews, summaries and the owners' list are the accessibility
registry's staff's; deciding (opening a campaign, accepting, granting) its reviewers'."""

import pytest
from django.db.models import Max
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern

from layers.campaigns import services
from layers.editing.models import ChangeRequest
from layers.models.accessibility import AccessibleObject, Assessment
from layers.models.campaigns import Campaign, ChecklistSubmission, Stewardship
from tests.campaigns.conftest import client_for

pytestmark = pytest.mark.django_db

ACTORS = ("anonymous", "outsider", "owner", "owner2", "editor", "reviewer")
LOGIN = "login"  # a redirect to a sign-in page
OK, FORBIDDEN, MISSING, BAD, DONE = 200, 403, 404, 400, 302


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            part = "" if isinstance(pattern.pattern, LocalePrefixPattern) else str(pattern.pattern)
            yield from _walk(pattern.url_patterns, prefix + part)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _staff_read(**override):
    return {
        "anonymous": LOGIN,
        "outsider": FORBIDDEN,
        "owner": FORBIDDEN,
        "owner2": FORBIDDEN,
        "editor": OK,
        "reviewer": OK,
        **override,
    }


def _owner_only(owner=OK, signed_in=MISSING):
    return {
        "anonymous": LOGIN,
        "outsider": signed_in,
        "owner": owner,
        "owner2": MISSING,
        "editor": MISSING,
        "reviewer": MISSING,
    }


SIGNED_IN = {actor: OK for actor in ACTORS} | {"anonymous": LOGIN}

# route → (method, path maker, expected by actor). Paths name the clinic (the owner's).
RULES = {
    "barrier-free/": [("get", lambda w: "", SIGNED_IN)],
    "barrier-free/request/": [("get", lambda w: "request/?q=Амб", SIGNED_IN)],
    "barrier-free/request/<uuid:public_id>/": [
        # An empty request is refused (400) even for those who may make one.
        (
            "post",
            lambda w: f"request/{w.clinic.public_id}/",
            SIGNED_IN | {a: BAD for a in ACTORS[1:]},
        )
    ],
    "barrier-free/objects/<uuid:public_id>/describe/": [
        ("get", lambda w: f"objects/{w.clinic.public_id}/describe/", _owner_only()),
        ("post", lambda w: f"objects/{w.clinic.public_id}/describe/", _owner_only(owner=BAD)),
    ],
    "barrier-free/objects/<uuid:public_id>/<int:year>/": [
        ("get", lambda w: f"objects/{w.clinic.public_id}/{w.campaign.year}/", _owner_only()),
    ],
    "barrier-free/objects/<uuid:public_id>/<int:year>/<int:number>/": [
        (
            "get",
            lambda w: f"objects/{w.clinic.public_id}/{w.campaign.year}/1/",
            _owner_only(),
        ),
        (
            "post",
            lambda w: f"objects/{w.clinic.public_id}/{w.campaign.year}/1/",
            _owner_only(owner=BAD),  # no version: refused, nothing saved
        ),
    ],
    "barrier-free/campaigns/": [
        ("get", lambda w: "campaigns/", _staff_read()),
        ("post", lambda w: "campaigns/", _staff_read(editor=FORBIDDEN, reviewer=BAD)),
    ],
    "barrier-free/campaigns/<int:year>/": [
        ("get", lambda w: f"campaigns/{w.campaign.year}/", _staff_read()),
    ],
    "barrier-free/campaigns/<int:year>/review/<int:submission_id>/": [
        ("get", lambda w: f"campaigns/{w.campaign.year}/review/{w.submission.pk}/", _staff_read()),
        (
            "post",
            lambda w: f"campaigns/{w.campaign.year}/review/{w.submission.pk}/",
            _staff_read(editor=FORBIDDEN, reviewer=BAD),  # no decision named
        ),
    ],
    "barrier-free/campaigns/<int:year>/summary.<str:suffix>": [
        ("get", lambda w: f"campaigns/{w.campaign.year}/summary.csv", _staff_read()),
        ("get", lambda w: f"campaigns/{w.campaign.year}/summary.xlsx", _staff_read()),
    ],
    "barrier-free/owners/": [
        ("get", lambda w: "owners/", _staff_read()),
        ("post", lambda w: "owners/", _staff_read(editor=FORBIDDEN, reviewer=BAD)),
    ],
    "barrier-free/owners/<int:stewardship_id>/": [
        (
            "post",
            lambda w: f"owners/{w.stewardship.pk}/",
            _staff_read(editor=FORBIDDEN, reviewer=DONE),  # no decision named: a message
        ),
    ],
}


def test_every_campaign_route_has_a_rule():
    routes = {r for r in _walk(get_resolver().url_patterns) if r.startswith("barrier-free/")}
    assert routes == set(RULES)


def _fingerprint():
    tables = (ChecklistSubmission, Stewardship, Campaign, ChangeRequest, Assessment)
    counts = {model.__name__: model.objects.count() for model in tables}
    counts["object_versions"] = AccessibleObject.objects.aggregate(v=Max("version"))["v"]
    counts["submission_history"] = ChecklistSubmission.history.field.model.objects.count()
    counts["stewardships_active"] = Stewardship.objects.filter(state="active").count()
    return counts


CASES = [
    (route, method, make, actor, expected[actor])
    for route, rules in RULES.items()
    for method, make, expected in rules
    for actor in ACTORS
]


@pytest.mark.parametrize(
    ("route", "method", "make", "actor", "expected"),
    CASES,
    ids=[f"{r}-{m}-{a}" for r, m, _mk, a, _e in CASES],
)
def test_access(world, route, method, make, actor, expected):
    world.submission = services.submission_start(
        user=world.owner, accessible_object=world.clinic, campaign=world.campaign
    )
    world.stewardship = Stewardship.objects.get(user=world.owner)
    people = {
        "anonymous": None,
        "outsider": world.actors.outsider,
        "owner": world.owner,
        "owner2": world.other_owner,
        "editor": world.actors.editor,
        "reviewer": world.actors.reviewer,
    }
    client = client_for(people[actor])
    before = _fingerprint()
    response = getattr(client, method)(f"/barrier-free/{make(world)}")
    if expected == LOGIN:
        assert response.status_code == 302 and "login" in response["Location"]
    else:
        assert response.status_code == expected, response.content.decode()[:500]
    if method == "post":
        assert _fingerprint() == before, "a refused request changed the database"


HUGE = "9" * 30


@pytest.mark.parametrize(
    ("who", "path", "expected"),
    [
        ("reviewer", f"campaigns/{HUGE}/", 404),
        ("reviewer", f"campaigns/2026/review/{HUGE}/", 404),
        ("reviewer", f"campaigns/{HUGE}/summary.csv", 404),
        ("reviewer", "campaigns/2026/summary.pdf", 404),
        ("reviewer", "campaigns/{year}/?progress=nonsense&page=-7", 200),
        ("reviewer", "campaigns/{year}/?page=" + HUGE, 200),
        ("reviewer", f"owners/{HUGE}/", 405),  # POST only
        ("owner", "objects/{clinic}/" + HUGE + "/", 404),
        ("owner", "objects/{clinic}/{year}/" + HUGE + "/", 404),
        ("owner", "objects/{clinic}/{year}/0/", 404),
        ("owner", f"request/{'0' * 8}-0000-0000-0000-{'0' * 12}/", 405),
        ("owner", "request/?q=" + "я" * 5000, 200),
    ],
)
def test_odd_addresses_answer_cleanly(world, who, path, expected):
    world.submission = services.submission_start(
        user=world.owner, accessible_object=world.clinic, campaign=world.campaign
    )
    people = {"reviewer": world.actors.reviewer, "owner": world.owner}
    path = path.format(clinic=world.clinic.public_id, year=world.campaign.year)
    assert client_for(people[who]).get(f"/barrier-free/{path}").status_code == expected


def test_a_huge_stewardship_id_is_not_a_server_error(world):
    response = client_for(world.actors.reviewer).post(
        f"/barrier-free/owners/{HUGE}/", {"decision": "approve"}
    )
    assert response.status_code == 404
