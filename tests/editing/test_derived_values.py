"""Derived values are never stale: every path that writes a record — the editor's services,
the API, the admin, the import, a restore — runs the registry's ``derive`` hook before the
save. For each registry that declares one, a change that alters what it derives is made on
each path, and the stored record must equal what the hook derives from it afresh."""

import copy
import csv
import io
from html.parser import HTMLParser

import pytest
from django.test import Client

from layers.editing import services
from layers.editing.models import ChangeRequest, ChangeState
from layers.editing.values import editable_fields, stored_value
from layers.imports import services as imports
from layers.imports.mapping import ColumnMapping
from layers.registry import BUILTIN_REGISTRIES, registry_get
from tests.editing.conftest import api_client, draft_create, published_create
from tests.factories import CENTRE

pytestmark = pytest.mark.django_db

# Per registry with a ``derive`` hook: values before and the change that alters what the
# hook derives, and the derived field that shows it (the test fails for a registry that
# declares a hook without a case here).
CASES = {
    "accessibility": (
        {"entrance_step_free": True, "ramp_present": False},
        {"entrance_step_free": False},
        "wheelchair",
    ),
}
DERIVING = [r.id for r in BUILTIN_REGISTRIES if r.derive]


def test_every_registry_with_a_derive_hook_has_a_case():
    assert DERIVING and set(DERIVING) <= set(CASES)


def _assert_fresh(registry, record) -> None:
    """The stored record is what its hook derives from it now."""
    stored = registry.objects().get(pk=record.pk)
    derived = copy.copy(stored)
    registry.derive_values(derived)
    fields = [f.attname for f in registry.model._meta.concrete_fields]
    stale = {f: (getattr(stored, f), getattr(derived, f)) for f in fields}
    stale = {f: pair for f, pair in stale.items() if pair[0] != pair[1]}
    assert stale == {}, f"stale derived values: {stale}"


def _derived(registry, record, name):
    return getattr(registry.objects().get(pk=record.pk), name)


def _approve_pending(record, actors):
    change = ChangeRequest.objects.get(record_id=record.pk, state=ChangeState.PENDING)
    services.change_approve(change=change, user=actors.reviewer)


def _path_editor_draft(registry, actors, before, change):
    record = draft_create(registry, actors.editor, **before)
    services.record_update(
        registry=registry, record=record, user=actors.editor, values=change, base_version=1
    )
    return record


def _path_editor_published(registry, actors, before, change):
    record = published_create(registry, actors, **before)
    services.record_update(
        registry=registry,
        record=record,
        user=actors.editor,
        values=change,
        base_version=record.version,
    )
    _approve_pending(record, actors)
    return record


def _path_api(registry, actors, before, change):
    record = published_create(registry, actors, **before)
    response = api_client(actors.editor).patch(
        f"/api/{registry.id}/records/{record.public_id}/",
        change,
        format="json",
        HTTP_IF_MATCH=f'"{record.version}"',
    )
    assert response.status_code == 202, response.content
    approved = api_client(actors.reviewer).post(
        f"/api/changes/{response.json()['id']}/approve/", {}, format="json"
    )
    assert approved.status_code == 200, approved.content
    return record


class _FormFields(HTMLParser):
    """The values a browser would post from a page's form (inputs, selects, textareas)."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.setdefault(name, []).append(a.get("value", "on"))
            else:
                self.data[name] = [a.get("value", "")]
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] = [self.data[self._textarea][0] + data]


def _path_admin(registry, actors, before, change):
    record = published_create(registry, actors, **before)
    client = Client()
    client.force_login(actors.administrator)
    meta = registry.model._meta
    url = f"/en/admin/{meta.app_label}/{meta.model_name}/{record.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    parser = _FormFields()
    parser.feed(page.content.decode())
    data = {k: v for k, v in parser.data.items() if k != "csrfmiddlewaretoken"}
    fields = {f.name: f for f in editable_fields(registry)}
    for name, value in change.items():
        if isinstance(value, bool) and fields[name].null:
            data[name] = ["true" if value else "false"]  # a yes / no / unknown select
        elif isinstance(value, bool):
            data[name] = ["on"] if value else []
        else:
            data[name] = [str(value)]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    _approve_pending(record, actors)
    return record


def _path_import(registry, actors, before, change, tmp_path):
    values = {**before, **change}
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["lon", "lat", *values])
    writer.writerow([CENTRE[0], CENTRE[1], *(_cell(v) for v in values.values())])
    path = tmp_path / "import.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    with path.open("rb") as upload:
        job = imports.import_create(
            registry=registry, user=actors.editor, upload=upload, file_name=path.name
        )
    job.mapping = ColumnMapping(columns={name: name for name in values}).as_json()
    job.save()
    job = imports.import_check(job=job)
    assert job.state == "validated", list(job.rows.values_list("errors", flat=True))
    imports.import_commit(job=job, user=actors.editor)
    record = registry.objects().get(pk=ChangeRequest.objects.get(import_job=job).record_id)
    _assert_fresh(registry, record)  # in review, before the approval too
    _approve_pending(record, actors)
    return record


def _cell(value) -> str:
    return {True: "так", False: "ні"}.get(value, str(value)) if isinstance(value, bool) else value


def _path_restore(registry, actors, before, change):
    record = published_create(registry, actors, **change)
    earlier_version = record.version
    services.record_update(
        registry=registry,
        record=record,
        user=actors.editor,
        values=before,
        base_version=record.version,
    )
    _approve_pending(record, actors)
    record.refresh_from_db()
    event = (
        registry.history_model.objects.filter(pgh_obj_id=record.pk, version=earlier_version)
        .order_by("-pgh_id")
        .first()
    )
    services.record_restore(
        registry=registry,
        record=record,
        user=actors.editor,
        event_id=event.pgh_id,
        base_version=record.version,
    )
    if ChangeRequest.objects.filter(record_id=record.pk, state=ChangeState.PENDING).exists():
        _approve_pending(record, actors)
    return record


def _owner(actors, record):
    from django.contrib.auth import get_user_model

    from layers.campaigns import services as campaigns

    owner = get_user_model().objects.create_user("owner", email="owner@example.org")
    campaigns.stewardship_grant(
        user=actors.reviewer, person=owner, accessible_object=record, organisation="КНП"
    )
    return owner


def _path_owner_proposal(registry, actors, before, change):
    """An object's owner proposes the change (``Registry.stewards``); a reviewer approves."""
    record = published_create(registry, actors, **before)
    services.record_update(
        registry=registry,
        record=record,
        user=_owner(actors, record),
        values=change,
        base_version=record.version,
    )
    _approve_pending(record, actors)
    return record


PATHS = {
    "owner's proposal, approved": _path_owner_proposal,
    "editor, draft": _path_editor_draft,
    "editor, published, approved": _path_editor_published,
    "API": _path_api,
    "admin": _path_admin,
    "import": _path_import,
    "restore": _path_restore,
}


@pytest.mark.parametrize("registry_id", DERIVING)
@pytest.mark.parametrize("path", list(PATHS))
def test_no_write_path_leaves_a_derived_value_stale(registry_id, path, actors, tmp_path):
    registry = registry_get(registry_id)
    before, change, shown_by = CASES[registry_id]
    write = PATHS[path]
    record = (
        write(registry, actors, before, change, tmp_path)
        if path == "import"
        else write(registry, actors, before, change)
    )
    _assert_fresh(registry, record)
    reference = draft_create(registry, actors.editor, **before)
    assert _derived(registry, record, shown_by) != _derived(registry, reference, shown_by), (
        "the change did not alter what is derived: the case proves nothing"
    )
    for name, value in change.items():
        field = next(f for f in editable_fields(registry) if f.name == name)
        assert stored_value(registry.objects().get(pk=record.pk), field) == value


# --- Derived from parts: an assessment's answers decide the traffic light ---------------


def _assessment(registry, record, actors):
    from tests.factories import part_item

    return part_item(registry, "assessments", record, actors.editor)  # one "no" answer


def _parts_editor_draft(registry, actors, before):
    record = draft_create(registry, actors.editor, **before)
    services.record_update(
        registry=registry,
        record=record,
        user=actors.editor,
        values={},
        parts={"assessments": [_assessment(registry, record, actors)]},
        base_version=record.version,
    )
    return record


def _parts_editor_published(registry, actors, before):
    record = published_create(registry, actors, **before)
    services.record_update(
        registry=registry,
        record=record,
        user=actors.editor,
        values={},
        parts={"assessments": [_assessment(registry, record, actors)]},
        base_version=record.version,
    )
    _approve_pending(record, actors)
    return record


def _parts_api(registry, actors, before):
    record = published_create(registry, actors, **before)
    response = api_client(actors.editor).patch(
        f"/api/{registry.id}/records/{record.public_id}/",
        {"parts": {"assessments": [_assessment(registry, record, actors)]}},
        format="json",
        HTTP_IF_MATCH=f'"{record.version}"',
    )
    assert response.status_code == 202, response.content
    _approve_pending(record, actors)
    return record


def _parts_admin(registry, actors, before):
    record = published_create(registry, actors, **before)
    item = _assessment(registry, record, actors)
    answers = list(item["answers"].items())
    data = {
        "accessible_object": record.pk,
        "year": item["year"],
        "template": item["template"],
        "assessed_on": item["assessed_on"],
        "assessed_by": item["assessed_by"],
        "object_version": record.version,
        "answers-TOTAL_FORMS": len(answers),
        "answers-INITIAL_FORMS": 0,
    }
    for i, (criterion, answer) in enumerate(answers):
        data[f"answers-{i}-criterion"] = criterion
        data[f"answers-{i}-answer"] = answer
    client = Client()
    client.force_login(actors.administrator)
    response = client.post("/en/admin/layers/assessment/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    _approve_pending(record, actors)
    return record


def _parts_restore(registry, actors, before):
    record = _parts_editor_published(registry, actors, before)
    with_assessment = record.version + 1  # the approval's version
    services.record_update(
        registry=registry,
        record=record,
        user=actors.editor,
        values={},
        parts={"assessments": []},
        base_version=with_assessment,
    )
    _approve_pending(record, actors)
    record.refresh_from_db()
    event = (
        registry.history_model.objects.filter(pgh_obj_id=record.pk, version=with_assessment)
        .order_by("-pgh_id")
        .first()
    )
    result = services.record_restore(
        registry=registry,
        record=record,
        user=actors.editor,
        event_id=event.pgh_id,
        base_version=record.version,
    )
    services.change_approve(change=result.change, user=actors.reviewer)
    return record


def _parts_campaign(registry, actors, before):
    """The campaign: the owner fills the checklist (a "no" on a critical criterion, with a
    note), submits it; a reviewer accepts it as the year's assessment."""
    import datetime

    from django.utils import timezone

    from layers.campaigns import services as campaigns
    from layers.campaigns.checklist import checklist_of
    from layers.services.checklist import checklist_load

    record = published_create(registry, actors, **before)
    owner = _owner(actors, record)
    today = timezone.localdate()
    campaign = campaigns.campaign_open(
        user=actors.reviewer,
        year=today.year,
        starts_on=datetime.date(today.year, 1, 1),
        template=checklist_load().template,
    )
    submission = campaigns.submission_start(user=owner, accessible_object=record, campaign=campaign)
    keys = [c.key for c in checklist_of(submission).criteria]
    submission = campaigns.submission_save(
        submission=submission,
        user=owner,
        base_version=submission.version,
        answers={key: "yes" for key in keys} | {keys[0]: "no"},
        notes={keys[0]: "Поріг 5 см"},
        filled_by="О. Коваль",
    )
    submission = campaigns.submission_submit(
        submission=submission, user=owner, base_version=submission.version
    )
    campaigns.submission_accept(submission=submission, user=actors.reviewer)
    return record


PART_PATHS = {
    "accepted campaign checklist": _parts_campaign,
    "editor, draft": _parts_editor_draft,
    "editor, published, approved": _parts_editor_published,
    "API": _parts_api,
    "admin": _parts_admin,
    "restore": _parts_restore,
}


@pytest.mark.parametrize("path", list(PART_PATHS))
def test_no_write_path_of_a_records_parts_leaves_a_derived_value_stale(path, actors):
    registry = registry_get("accessibility")
    before = {"entrance_step_free": True, "ramp_present": False}
    record = PART_PATHS[path](registry, actors, before)
    _assert_fresh(registry, record)
    reference = draft_create(registry, actors.editor, **before)
    assert _derived(registry, reference, "traffic_light") == "green"
    assert _derived(registry, record, "traffic_light") in ("red", "yellow"), (
        "the assessment did not reach the traffic light"
    )
