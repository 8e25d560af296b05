"""Owners: asking to answer for an object and the hromada's decision, proposals to change
the object's description (through review, only the fields owners know), and the evidence
photo of an answer (seen by the object's owners and staff, never by the public)."""

import pytest
from django.core.exceptions import ValidationError

from layers.campaigns import services
from layers.campaigns.checklist import checklist_of
from layers.editing import services as editing
from layers.editing.errors import NotPermitted, OwnChange, WorkflowError
from layers.editing.models import ChangeRequest, ChangeState
from layers.models.campaigns import ChecklistSubmission, Stewardship, StewardshipState
from layers.models.photos import Photo, PhotoState
from layers.registry import registry_get
from tests.campaigns.conftest import client_for
from tests.factories import tiny_jpeg

pytestmark = pytest.mark.django_db


def test_a_request_is_decided_by_a_reviewer_and_a_refusal_says_why(world):
    owner = client_for(world.owner)
    response = owner.post(
        f"/barrier-free/request/{world.library.public_id}/",
        {"organisation": "ТОВ «Книга»", "request_note": "Орендар приміщення бібліотеки"},
    )
    assert response.status_code == 302
    request = Stewardship.objects.get(user=world.owner, accessible_object=world.library)
    assert request.state == StewardshipState.REQUESTED
    # Asking twice is refused with the reason, and nothing is added.
    again = owner.post(
        f"/barrier-free/request/{world.library.public_id}/",
        {"organisation": "ТОВ «Книга»", "request_note": "Ще раз"},
    )
    assert again.status_code == 400
    assert (
        Stewardship.objects.filter(user=world.owner, accessible_object=world.library).count() == 1
    )

    with pytest.raises(ValidationError):
        services.stewardship_decide(stewardship=request, user=world.actors.reviewer, approve=False)
    services.stewardship_decide(
        stewardship=request,
        user=world.actors.reviewer,
        approve=False,
        comment="Не балансоутримувач",
    )
    request.refresh_from_db()
    assert request.state == StewardshipState.REFUSED
    assert "Не балансоутримувач" in owner.get("/barrier-free/").content.decode()
    assert (
        owner.get(f"/barrier-free/objects/{world.library.public_id}/describe/").status_code == 404
    )


def test_a_reviewer_does_not_decide_their_own_request(world):
    request = services.stewardship_request(
        user=world.actors.reviewer, accessible_object=world.library, organisation="X", note="Я"
    )
    with pytest.raises(OwnChange):
        services.stewardship_decide(stewardship=request, user=world.actors.reviewer, approve=True)
    services.stewardship_decide(stewardship=request, user=world.actors.reviewer2, approve=True)


def test_an_owner_proposes_a_description_change_that_a_reviewer_decides(world):
    owner = client_for(world.owner)
    url = f"/barrier-free/objects/{world.clinic.public_id}/describe/"
    page = owner.get(url).content.decode()
    assert (
        'name="door_width_cm"' in page and 'name="name"' not in page and 'name="geom"' not in page
    )
    response = owner.post(
        url,
        {
            "base_version": world.clinic.version,
            "door_width_cm": "85",
            "entrance_step_free": "true",
            "ramp_present": "false",
            "comment": "Двері замінили",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    change = ChangeRequest.objects.get(state=ChangeState.PENDING, record_id=world.clinic.pk)
    assert change.payload == {"door_width_cm": 85}
    assert change.author == world.owner
    world.clinic.refresh_from_db()
    assert world.clinic.door_width_cm == 95  # public and unchanged until approved
    editing.change_approve(change=change, user=world.actors.reviewer)
    world.clinic.refresh_from_db()
    assert world.clinic.door_width_cm == 85 and world.clinic.wheelchair == "limited"


def test_owners_propose_only_what_owners_know_and_only_for_their_objects(world):
    registry = registry_get("accessibility")
    for values in ({"name": "Нова назва"}, {"category": "shop"}):
        with pytest.raises(NotPermitted):
            editing.record_update(
                registry=registry,
                record=world.clinic,
                user=world.owner,
                values=values,
                base_version=world.clinic.version,
            )
    with pytest.raises(NotPermitted):
        editing.record_update(
            registry=registry,
            record=world.clinic,
            user=world.owner,
            values={},
            parts={"assessments": []},
            base_version=world.clinic.version,
        )
    with pytest.raises(NotPermitted):
        editing.record_update(
            registry=registry,
            record=world.library,
            user=world.owner,
            values={"door_width_cm": 70},
            base_version=world.library.version,
        )
    archived = editing.record_archive(
        registry=registry,
        record=world.clinic,
        user=world.actors.reviewer,
        base_version=world.clinic.version,
    )
    with pytest.raises(WorkflowError):
        editing.record_update(
            registry=registry,
            record=archived,
            user=world.owner,
            values={"door_width_cm": 70},
            base_version=archived.version,
        )
    assert not ChangeRequest.objects.filter(author=world.owner).exists()


def test_an_evidence_photo_is_seen_by_owners_and_staff_only(world, client):
    owner = client_for(world.owner)
    owner.post(
        f"/barrier-free/objects/{world.clinic.public_id}/{world.campaign.year}/",
        {"action": "start"},
    )
    submission = ChecklistSubmission.objects.get()
    key = checklist_of(submission).sections[0].criteria[0].key
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = owner.post(
        f"/barrier-free/objects/{world.clinic.public_id}/{world.campaign.year}/1/",
        {
            "version": submission.version,
            "then": "stay",
            f"answer_{key}": "no",
            f"photo_{key}": SimpleUploadedFile("vhid.jpg", tiny_jpeg(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    photo = Photo.objects.get()
    assert photo.state == PhotoState.EVIDENCE
    assert ChecklistSubmission.objects.get().evidence == {key: {"photo": photo.pk}}
    url = f"/media/{photo.image.name}"
    assert owner.get(url).status_code == 200
    assert client_for(world.actors.editor).get(url).status_code == 200
    assert client.get(url).status_code == 404
    assert client_for(world.other_owner).get(url).status_code == 404
    # Never shown with the published record.
    assert (
        photo.image.name
        not in client.get(f"/accessibility/{world.clinic.public_id}/").content.decode()
    )
    # A file that is not an image is refused and nothing is saved.
    bad = owner.post(
        f"/barrier-free/objects/{world.clinic.public_id}/{world.campaign.year}/1/",
        {
            "version": ChecklistSubmission.objects.get().version,
            "then": "stay",
            f"photo_{key}": SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg"),
        },
    )
    assert bad.status_code == 400
    assert Photo.objects.count() == 1
