"""Editors hear back: a decision tells the change's author (a notification on the dashboard
and a mail with the comment and a link), a rejected change keeps its values to fix and
resubmit, the dashboard and the history name records and people in words, reviewers bring
back earlier versions under the four-eyes rule, and the review shows geometry as GeoJSON."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from layers.editing import services
from layers.editing.errors import OwnChange
from layers.editing.models import ChangeRequest, ChangeState, Notification, NotificationKind
from layers.editing.selectors import history_model
from layers.imports.decisions import import_decide
from layers.models import Status
from layers.registry import registry_get
from tests.editing.conftest import draft_create, published_create
from tests.editing.test_permission_matrix import _form_data
from tests.imports import matrix_world

pytestmark = pytest.mark.django_db

ADDRESS = "вул. Проскурівська, 1"
TITLE = f"Липа серцелиста INV-7, {ADDRESS}"


@pytest.fixture
def trees():
    return registry_get("trees")


@pytest.fixture
def tree(trees, actors):
    actors.editor.email = "editor@example.org"
    actors.editor.save()
    record = published_create(
        trees, actors, address=ADDRESS, inventory_number="INV-7", notes="as it is"
    )
    # The word of its publication is read: each test starts with no unread notification.
    assert Notification.objects.filter(recipient=actors.editor).count() == 1
    services.notifications_mark_all_read(user=actors.editor)
    return record


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _propose(trees, tree, user, **values):
    tree.refresh_from_db()
    return services.record_update(
        registry=trees, record=tree, user=user, values=values, base_version=tree.version
    ).change


def _decided(capture, decide):
    """Run a decision and the mail it sends once committed; the mails it sent."""
    mail.outbox.clear()
    with capture(execute=True):
        decide()
    return list(mail.outbox)


# --- Notifications and mail -------------------------------------------------------------


def test_a_rejection_tells_the_author_with_the_comment_and_a_link(
    trees, tree, actors, django_capture_on_commit_callbacks
):
    change = _propose(trees, tree, actors.editor, notes="wrong species noted")
    sent = _decided(
        django_capture_on_commit_callbacks,
        lambda: services.change_reject(
            change=change, user=actors.reviewer, comment="It is a maple, not a lime."
        ),
    )
    notification = Notification.objects.get(change=change)
    assert (notification.recipient, notification.kind) == (actors.editor, NotificationKind.REJECTED)
    assert (notification.change, notification.reviewer) == (change, actors.reviewer)
    assert notification.subject == TITLE
    assert notification.comment == "It is a maple, not a lime." and notification.read_at is None
    [message] = sent
    assert message.to == ["editor@example.org"]
    assert TITLE in message.subject
    assert "It is a maple, not a lime." in message.body
    # The author's language is not known (a service call): Ukrainian, then English, each
    # with the link to the change in its language.
    assert f"{settings.GEOPORTAL_SITE_URL}/edit/changes/{change.pk}/" in message.body
    assert f"{settings.GEOPORTAL_SITE_URL}/en/edit/changes/{change.pk}/" in message.body
    assert "\n-- \n" in message.body


def test_an_approval_mail_comes_in_the_language_the_author_proposed_in(
    trees, tree, actors, django_capture_on_commit_callbacks
):
    response = _client(actors.editor).post(
        f"/en/edit/trees/{tree.public_id}/", _form_data(trees, tree, notes="pruned in May")
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get(state=ChangeState.PENDING, record_id=tree.pk)
    assert change.author_language == "en"
    sent = _decided(
        django_capture_on_commit_callbacks,
        lambda: services.change_approve(change=change, user=actors.reviewer, comment="Thanks!"),
    )
    [message] = sent
    assert message.subject == f"Approved: {TITLE}"
    assert "reviewer approved your change to" in message.body and "Thanks!" in message.body
    assert f"{settings.GEOPORTAL_SITE_URL}/en/edit/changes/{change.pk}/" in message.body
    assert "/edit/changes/" not in message.body.replace("/en/edit/changes/", "")
    assert "\n-- \n" not in message.body  # one language only
    assert Notification.objects.get(change=change).kind == NotificationKind.APPROVED


def test_a_refused_decision_tells_no_one(trees, tree, actors, django_capture_on_commit_callbacks):
    change = _propose(trees, tree, actors.administrator, notes="mine")
    with pytest.raises(OwnChange):
        _decided(
            django_capture_on_commit_callbacks,
            lambda: services.change_approve(change=change, user=actors.administrator),
        )
    with pytest.raises(ValidationError, match="Say why"):
        services.change_reject(change=change, user=actors.reviewer, comment=" ")
    assert not Notification.objects.filter(change=change).exists() and mail.outbox == []


def test_an_author_approving_their_own_change_explicitly_is_not_told(trees, tree, actors):
    change = _propose(trees, tree, actors.administrator, notes="mine")
    services.change_approve(change=change, user=actors.administrator, own_explicit=True)
    assert not Notification.objects.filter(change=change).exists()


def test_an_import_batch_decision_tells_its_author_once(actors, django_capture_on_commit_callbacks):
    actors.editor.email = "editor@example.org"
    actors.editor.save()
    job = matrix_world.job_in_state(actors, "import_committed")
    count = job.changes.filter(state=ChangeState.PENDING).count()
    assert count == 2
    sent = _decided(
        django_capture_on_commit_callbacks,
        lambda: import_decide(job=job, user=actors.reviewer, approve=False, comment="Old survey"),
    )
    notification = Notification.objects.get()
    assert (notification.kind, notification.count) == (NotificationKind.IMPORT_REJECTED, 2)
    assert notification.import_job == job and notification.change is None
    [message] = sent
    assert "matrix.csv" in message.subject and "Old survey" in message.body
    assert f"/edit/imports/{job.public_id}/" in message.body
    page = _client(actors.editor).get("/en/edit/").content.decode()
    assert "All 2 changes of your import of “matrix.csv” were rejected." in page


def test_the_admin_lists_notifications_read_only(trees, tree, actors):
    from django.contrib.auth import get_user_model

    change = _propose(trees, tree, actors.editor, notes="x")
    services.change_reject(change=change, user=actors.reviewer, comment="No.")
    admin = get_user_model().objects.create_superuser("root", password="x" * 20)
    client = _client(admin)
    page = client.get("/admin/layers/notification/")
    assert page.status_code == 200 and TITLE in page.content.decode()
    assert client.get("/admin/layers/notification/add/").status_code == 403


# --- The dashboard ------------------------------------------------------------------------


def test_the_dashboard_shows_the_rejection_with_comment_and_values_until_marked_read(
    trees, tree, actors
):
    change = _propose(trees, tree, actors.editor, notes="wrong species noted")
    services.change_reject(change=change, user=actors.reviewer, comment="It is a maple.")
    client = _client(actors.editor)
    page = client.get("/en/edit/").content.decode()
    top = page.index("1 unread notification")
    assert top < page.index("Registries you work on")  # at the top of the dashboard
    assert f"Your change to “{TITLE}” was rejected." in page
    assert "It is a maple." in page
    assert "Your rejected values:" in page and "wrong species noted" in page
    assert f'href="/en/edit/changes/{change.pk}/"' in page
    assert 'class="nav-count"' in page  # the count in the editing header
    notification = Notification.objects.get(change=change)
    response = client.post(f"/en/edit/notifications/{notification.pk}/read/", {"next": "/en/edit/"})
    assert response.status_code == 302 and response["Location"] == "/en/edit/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    page = client.get("/en/edit/").content.decode()
    assert "unread notification" not in page and 'class="nav-count"' not in page


def test_someone_elses_notification_is_not_marked_read(trees, tree, actors):
    change = _propose(trees, tree, actors.editor, notes="x")
    services.change_reject(change=change, user=actors.reviewer, comment="No.")
    notification = Notification.objects.get(change=change)
    response = _client(actors.editor2).post(f"/edit/notifications/{notification.pk}/read/")
    assert response.status_code == 404
    _client(actors.editor2).post("/edit/notifications/read/")
    notification.refresh_from_db()
    assert notification.read_at is None


def test_dashboard_rows_name_the_record(trees, tree, actors):
    decided = _propose(trees, tree, actors.editor, notes="first")
    services.change_approve(change=decided, user=actors.reviewer)
    _propose(trees, tree, actors.editor, notes="second")
    for user in (actors.editor, actors.reviewer):
        page = _client(user).get("/en/edit/").content.decode()
        assert "(trees)" not in page
        assert page.count(TITLE) >= 2, user  # a pending change and a recent decision
    reviewer_page = _client(actors.reviewer).get("/en/edit/").content.decode()
    waiting = reviewer_page.index("Waiting for your review")
    assert TITLE in reviewer_page[waiting : reviewer_page.index("Recent decisions")]
    editor_page = _client(actors.editor).get("/en/edit/").content.decode()
    assert TITLE in editor_page[editor_page.index("Your changes") :]


# --- Rejected values kept and resubmitted --------------------------------------------------


def test_the_rejected_change_shows_its_values_and_resubmission_prefills_the_editor(
    trees, tree, actors
):
    moved = {"type": "Point", "coordinates": [26.9967, 49.4217]}
    change = _propose(trees, tree, actors.editor, notes="fixed crown", height_m="12.5", geom=moved)
    services.change_reject(change=change, user=actors.reviewer, comment="Height is 9 m.")
    client = _client(actors.editor)
    page = client.get(f"/en/edit/changes/{change.pk}/").content.decode()
    assert "Height is 9 m." in page
    assert "Proposed (rejected)" in page
    assert "fixed crown" in page and "as it is" in page  # rejected beside current
    resubmit = f"/en/edit/trees/{tree.public_id}/?resubmit={change.pk}"
    assert f'href="{resubmit}"' in page
    response = client.get(resubmit)
    form = response.context["form"]
    assert form["notes"].value() == "fixed crown"
    assert str(form["height_m"].value()) == "12.5"
    assert json.loads(form["geom"].value().json)["coordinates"] == moved["coordinates"]
    assert form["base_version"].value() == tree.version
    assert "Height is 9 m." in response.content.decode()
    tree.refresh_from_db()
    assert (tree.notes, tree.geom.x) == ("as it is", 26.9965)  # nothing written by the GET
    data = _form_data(trees, tree, notes="fixed crown", height_m="9", geom=json.dumps(moved))
    refused = client.post(resubmit, {**data, "height_m": "nine"})
    assert refused.status_code == 400
    assert "Height is 9 m." in refused.content.decode()  # the comment stays in sight
    assert client.post(f"/en/edit/trees/{tree.public_id}/", data).status_code == 302
    again = ChangeRequest.objects.get(state=ChangeState.PENDING, record_id=tree.pk)
    assert again.author == actors.editor and again.payload["notes"] == "fixed crown"
    assert again.payload["height_m"] == "9.0" or float(again.payload["height_m"]) == 9
    tree.refresh_from_db()
    assert tree.notes == "as it is"  # until a reviewer approves the new change


def test_resubmission_brings_back_a_rejected_log_entry(trees, tree, actors):
    from tests.factories import part_item

    entry = part_item(trees, "events", tree, actors.editor)
    tree.refresh_from_db()
    change = services.record_update(
        registry=trees,
        record=tree,
        user=actors.editor,
        values={},
        parts={"events": [entry]},
        base_version=tree.version,
    ).change
    services.change_reject(change=change, user=actors.reviewer, comment="Wrong act number.")
    response = _client(actors.editor).get(f"/en/edit/trees/{tree.public_id}/?resubmit={change.pk}")
    [events] = [f for f in response.context["part_forms"] if f.part.name == "events"]
    assert events.formset.forms[0]["act_number"].value() == "A-1"


def test_a_resubmit_link_of_another_record_or_a_pending_change_fills_nothing(trees, tree, actors):
    change = _propose(trees, tree, actors.editor, notes="pending one")
    other = published_create(trees, actors, inventory_number="INV-8", notes="other")
    client = _client(actors.editor)
    for record in (tree, other):
        response = client.get(f"/en/edit/trees/{record.public_id}/?resubmit={change.pk}")
        assert response.context["resubmit"] is None
        assert response.context["form"]["notes"].value() in ("as it is", "other")


def test_a_rejected_draft_is_resubmitted_from_the_editor(trees, actors):
    record = draft_create(trees, actors.editor, notes="new tree")
    change = services.record_submit(
        registry=trees, record=record, user=actors.editor, base_version=record.version
    )
    services.change_reject(change=change, user=actors.reviewer, comment="Add its address.")
    page = _client(actors.editor).get(f"/en/edit/changes/{change.pk}/").content.decode()
    assert "Add its address." in page and "Your record is a draft again" in page
    response = _client(actors.editor).get(
        f"/en/edit/trees/{record.public_id}/?resubmit={change.pk}"
    )
    assert response.context["resubmit"].change == change
    assert "Add its address." in response.content.decode()


# --- History in words ---------------------------------------------------------------------


def test_the_history_says_what_happened_in_words_and_credits_author_and_reviewer(
    trees, tree, actors
):
    change = _propose(trees, tree, actors.editor, notes="pruned")
    services.change_approve(change=change, user=actors.reviewer2)
    page = _client(actors.editor).get(f"/en/edit/trees/{tree.public_id}/history/")
    text = re.sub(r"\s+", " ", page.content.decode())
    assert "Proposed by: editor · Approved by: reviewer2" in text
    assert "Proposed by: editor · Approved by: reviewer" in text  # the publication
    assert "proposed change approved" in text and "approved and published" in text
    assert "created as a draft" in text and "submitted for review" in text
    assert ">published</span>" in text and ">draft</span>" in text
    assert not re.search(r"· (approve|submit|create|edit|update|insert)\b", text)
    assert "published · " not in text and "in_review<" not in text


def test_the_public_history_names_no_one(trees, tree, actors):
    text = Client().get(f"/en/edit/trees/{tree.public_id}/history/").content.decode()
    assert "Approved by" not in text and "Proposed by" not in text and "editor" not in text


# --- Reviewers restore --------------------------------------------------------------------


def _first_event(trees, record) -> int:
    events = history_model(trees).objects.filter(pgh_obj_id=record.pk).order_by("pgh_id")
    return events.values_list("pgh_id", flat=True)[0]


def test_a_reviewer_restores_a_published_record_as_a_change_another_reviewer_approves(
    trees, tree, actors
):
    services.change_approve(
        change=_propose(trees, tree, actors.editor, notes="vandalised"), user=actors.reviewer
    )
    tree.refresh_from_db()
    client = _client(actors.reviewer)
    history = client.get(f"/en/edit/trees/{tree.public_id}/history/").content.decode()
    assert "as a new change" in history  # the restore button is the reviewer's too
    response = client.post(
        f"/en/edit/trees/{tree.public_id}/history/{_first_event(trees, tree)}/restore/",
        {"base_version": tree.version},
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get(state=ChangeState.PENDING, record_id=tree.pk)
    assert change.author == actors.reviewer and change.payload["notes"] == "as it is"
    tree.refresh_from_db()
    assert tree.notes == "vandalised"  # proposed, not applied
    with pytest.raises(OwnChange):
        services.change_approve(change=change, user=actors.reviewer)
    services.change_approve(change=change, user=actors.reviewer2)
    tree.refresh_from_db()
    assert tree.notes == "as it is"


def test_a_reviewer_does_not_restore_a_draft(trees, actors):
    record = draft_create(trees, actors.editor, notes="first")
    record = services.record_update(
        registry=trees,
        record=record,
        user=actors.editor,
        values={"notes": "second"},
        base_version=record.version,
    ).record
    client = _client(actors.reviewer)
    history = client.get(f"/en/edit/trees/{record.public_id}/history/").content.decode()
    assert "as a new change" not in history
    response = client.post(
        f"/en/edit/trees/{record.public_id}/history/{_first_event(trees, record)}/restore/",
        {"base_version": record.version},
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert (record.notes, record.status) == ("second", Status.DRAFT)
    assert not ChangeRequest.objects.filter(record_id=record.pk).exists()


# --- Geometry in the review ---------------------------------------------------------------


def test_the_review_shows_both_geometries_on_the_map_and_as_geojson(trees, tree, actors):
    moved = {"type": "Point", "coordinates": [26.9968, 49.4218]}
    change = _propose(trees, tree, actors.editor, geom=moved)
    client = _client(actors.reviewer)
    for url in ("/en/edit/review/?registry=trees", f"/en/edit/changes/{change.pk}/"):
        page = client.get(url).content.decode()
        assert '"type": "Point"' in page and "[26.9968, 49.4218]" in page, url
        assert "{&#x27;type&#x27;" not in page and "{'type'" not in page, url
        script = re.search(
            rf'<script id="geometry-{change.pk}" type="application/json">(.*?)</script>',
            page,
            re.S,
        )
        geometry = json.loads(script.group(1))
        assert geometry["new"]["coordinates"] == [26.9968, 49.4218]
        assert geometry["old"]["coordinates"] == list(Point(26.9965, 49.4216).coords)
        assert 'class="review-map"' in page
    assert f"{TITLE}</a>" in client.get("/en/edit/review/?registry=trees").content.decode()
