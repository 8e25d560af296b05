"""The permission matrix (tests/editing/permission_matrix.py) against the real URL conf:
every route under /api/ and /edit/ must have a rule, every rule a route; each rule is
checked for every role, method and record state, and no refusal may change the database."""

import json
import re
import uuid

import pytest
from django import forms
from django.db import transaction
from django.db.models import Max, Sum
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern

from layers.editing import services
from layers.editing.forms import record_form_class
from layers.editing.models import ChangeRequest, Notification
from layers.editing.selectors import history_model
from layers.editing.values import field_get, value_to_json
from layers.registry import registries, registry_get
from tests.editing import permission_matrix as matrix
from tests.editing.conftest import actors_create, api_client, draft_create, record_values_for
from tests.factories import SAMPLE_ID, registry_ids, registry_resolve
from tests.imports import matrix_world
from tests.reports import matrix_world as reports_world

# The full role × state grid runs on a built-in registry and on one defined as data; the
# lifecycle tests cover every registry.
MATRIX_REGISTRIES = ("trees", SAMPLE_ID)
_REGISTRY_IDS = "|".join(re.escape(r) for r in registry_ids())


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            part = "" if isinstance(pattern.pattern, LocalePrefixPattern) else str(pattern.pattern)
            yield from _walk(pattern.url_patterns, prefix + part)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def site_routes() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns)))


def normalise(route: str) -> str:
    """A route with its registry part written as {registry}."""
    route = re.sub(rf"^api/({_REGISTRY_IDS})/", "api/{registry}/", route)
    return route.replace("<slug:registry>", "{registry}").replace("<slug:collection>", "{registry}")


def _rule_for(route: str):
    route = normalise(route)
    return next((rule for rule in matrix.RULES if rule.route == route), None)


def _is_editing(route: str) -> bool:
    return route.startswith(("api/", "edit/"))


def test_every_editing_route_has_rules_and_every_rule_a_route():
    routes = site_routes()
    excluded = tuple(matrix.EXCLUDED_PREFIXES)
    missing = [
        r for r in routes if _is_editing(r) and not r.startswith(excluded) and _rule_for(r) is None
    ]
    assert not missing, f"routes without rows in the permission matrix: {missing}"
    normalised = {normalise(r) for r in routes}
    stale = [rule.route for rule in matrix.RULES if rule.route not in normalised]
    assert not stale, f"matrix rules without a route: {stale}"
    others = [
        r
        for r in routes
        if not _is_editing(r)
        and not r.startswith(tuple(matrix.EXCLUDED_PREFIXES))
        and not r.startswith(matrix.PUBLIC_PREFIXES)
    ]
    assert not others, f"routes covered by no prefix of the matrix: {others}"


def _cases():
    """One test per rule, registry and state; it checks every method and role in it."""
    for rule in matrix.RULES:
        covered = MATRIX_REGISTRIES if "{registry}" in rule.route else (None,)
        for registry in covered:
            for state in rule.states or (None,):
                route = rule.route.replace("{registry}", registry or "")
                yield pytest.param(rule, registry, state, id=f"{route} {state or '-'}")


# --- The world a case runs in ---------------------------------------------------------


def _record_in_state(registry, actors, state):
    """A record that went through an edit (so earlier versions differ) into ``state``."""
    record = draft_create(registry, actors.editor, notes="first")
    record = services.record_update(
        registry=registry,
        record=record,
        user=actors.editor,
        values={"notes": "second"},
        base_version=record.version,
    ).record
    if state == "draft":
        return record
    change = services.record_submit(
        registry=registry, record=record, user=actors.editor, base_version=record.version
    )
    if state == "in_review":
        record.refresh_from_db()
        return record
    record = services.change_approve(change=change, user=actors.reviewer)
    if state == "archived":
        record = services.record_archive(
            registry=registry, record=record, user=actors.reviewer, base_version=record.version
        )
    return record


def _change_in_state(registry, actors, state):
    record = draft_create(registry, actors.editor, notes="first")
    publication = services.record_submit(
        registry=registry, record=record, user=actors.editor, base_version=record.version
    )
    if state == "publish_pending":
        return publication
    record = services.change_approve(change=publication, user=actors.reviewer)
    change = services.record_update(
        registry=registry,
        record=record,
        user=actors.editor,
        values={"notes": "proposed"},
        base_version=record.version,
    ).change
    if state == "decided":
        services.change_approve(change=change, user=actors.reviewer)
        change.refresh_from_db()
    return change


def _notification_in_state(registry, actors, state):
    """The editor's submitted draft rejected by the reviewer: the editor is told."""
    change = _change_in_state(registry, actors, "publish_pending")
    services.change_reject(change=change, user=actors.reviewer, comment="matrix")
    return Notification.objects.get(change=change, recipient=actors.editor)


def _db_state():
    state = []
    for registry in registries():
        state.append(
            registry.objects().aggregate(
                n=Max("id"), v=Sum("version"), t=Max("updated_at"), s=Max("status")
            )
        )
        state.append(history_model(registry).objects.count())
    changes = ChangeRequest.objects.order_by("id").values_list("id", "state", "review_comment")
    state.append(list(changes))
    state.append(list(Notification.objects.order_by("id").values_list("id", "read_at")))
    state.append(matrix_world.db_state())
    state.append(reports_world.db_state())
    return state


def _fill(route: str, values: dict) -> str:
    def replace(match):
        converter, name = match.group(1), match.group(2)
        if name in values:
            return str(values[name])
        return {"uuid": str(uuid.uuid4()), "int": "1", "slug": "trees", "path": "x"}.get(
            converter, "trees"
        )

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", replace, route)


def _form_data(registry, record=None, **changes) -> dict:
    form_class = record_form_class(registry)
    form = form_class(instance=record or _unsaved_record(registry))
    data = {}
    for name, _bound in form.fields.items():
        if name in ("base_version", "comment"):
            continue
        value = form[name].value()
        if isinstance(_bound, forms.MultipleChoiceField):
            data[name] = list(value or [])  # checkboxes: one value each, none when unchecked
            continue
        if hasattr(value, "json"):
            value = value.json
        elif isinstance(value, list):
            value = ",".join(str(v) for v in value)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    data.update(changes)
    if record is not None:
        data["base_version"] = record.version
    return data


def _unsaved_record(registry):
    from tests.factories import make_record

    return make_record(registry)


def _api_body(registry, record=None) -> dict:
    values = record_values_for(registry, notes="matrix")
    return {
        name: value_to_json(field_get(registry, name), value)
        for name, value in values.items()
        if value is not None
    }


def _request(rule, registry, method, role, actors, world):
    client = Client()
    user = getattr(actors, role, None)
    record, change = world.get("record"), world.get("change")
    job = world.get("job")
    path_values = {}
    if job is not None:
        path_values["public_id"] = job.public_id
    if registry:
        path_values["registry"] = registry.id
    if record is not None:
        path_values["public_id"] = record.public_id
        events = history_model(registry).objects.filter(pgh_obj_id=record.pk)
        path_values["event_id"] = events.order_by("pgh_id").values_list("pgh_id", flat=True)[0]
    if change is not None:
        path_values["change_id"] = change.pk
    if world.get("notification") is not None:
        path_values["notification_id"] = world["notification"].pk
    if world.get("report") is not None:
        path_values["report_id"] = world["report"].pk
    url = _fill(rule.route.replace("{registry}", registry.id if registry else ""), path_values)
    headers = {}
    if record is not None:
        headers["HTTP_IF_MATCH"] = f'"{record.version}"'
    if rule.route.startswith("api/"):
        client = api_client(user)
        body = {}
        if rule.route.endswith("records/") or (
            "<uuid:public_id>/" in rule.route and rule.route.endswith("public_id>/")
        ):
            body = _api_body(registry, record)
        elif rule.route.endswith(("approve/", "reject/")):
            body = {"comment": "matrix"}
        return client.generic(
            method, url, json.dumps(body), content_type="application/json", **headers
        )
    if user is not None:
        client.force_login(user)
    if method not in ("POST",):
        return client.generic(method, url)
    imported = matrix_world.import_request(client, rule.route, url, job)
    if imported is not None:
        return imported
    report_post = reports_world.post_data(rule.route)
    if report_post is not None:
        return client.post(url, report_post)
    if rule.route.endswith("check/"):
        geom = json.loads(_unsaved_record(registry).geom.json)
        return client.post(url, json.dumps({"geom": geom}), content_type="application/json")
    if rule.route.endswith("new/"):
        return client.post(url, _form_data(registry, notes="matrix"))
    if rule.route.endswith("public_id>/"):
        return client.post(url, _form_data(registry, record, notes="matrix"))
    if rule.route.endswith(("approve/", "reject/")):
        return client.post(url, {"comment": "matrix"})
    data = {"base_version": record.version} if record is not None else {}
    return client.post(url, data)


@pytest.mark.django_db
@pytest.mark.parametrize(("rule", "registry_id", "state"), list(_cases()))
def test_permission_matrix(rule, registry_id, state):
    actors = actors_create()
    registry = registry_resolve(registry_id) if registry_id else None
    world = {}
    if state in matrix.RECORD_STATES:
        world["record"] = _record_in_state(registry, actors, state)
    elif state in matrix.CHANGE_STATES:
        world["change"] = _change_in_state(registry_get("trees"), actors, state)
    elif state in matrix.NOTIFICATION_STATES:
        world["notification"] = _notification_in_state(registry_get("trees"), actors, state)
    elif state in matrix.IMPORT_STATES:
        world["job"] = matrix_world.job_in_state(actors, state)
    elif state in matrix.REPORT_STATES:
        world["report"] = reports_world.report_in_state(actors, state)
    mismatches = []
    for method in matrix.METHODS:
        for role in matrix.ROLES:
            expected = matrix.expectation(rule, method, role, state)
            expect_status = int(str(expected).rstrip("+"))
            expect_change = str(expected).endswith("+")
            # Each request runs in a savepoint that is rolled back: every request of the
            # case meets the same world.
            savepoint = transaction.savepoint()
            try:
                before = _db_state()
                response = _request(rule, registry, method, role, actors, world)
                changed = _db_state() != before
            finally:
                transaction.savepoint_rollback(savepoint)
            got = f"{response.status_code}{'+' if changed else ''}"
            if got != f"{expect_status}{'+' if expect_change else ''}":
                mismatches.append(f"{method} as {role}: expected {expected}, got {got}")
            elif expect_status == 302 and role == "anonymous":
                assert "/login/" in response["Location"]
    assert not mismatches, "\n".join(mismatches)


def _public_cases():
    for route in site_routes():
        if _is_editing(route) or route.startswith(tuple(matrix.EXCLUDED_PREFIXES)):
            continue
        for method in matrix.METHODS:
            yield pytest.param(route, method, id=f"{method} /{route}")


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method"), list(_public_cases()))
def test_public_routes_are_read_only(route, method):
    url = _fill(route, {})
    before = _db_state()
    response = Client().generic(method, url)
    if method == "GET":
        assert response.status_code in matrix.PUBLIC_GET_OK, url
    else:
        assert response.status_code == 405, url
    assert _db_state() == before
