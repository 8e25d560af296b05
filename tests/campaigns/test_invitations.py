"""An owner without an account is invited by email: the reviewer names the address, the
person gets a link to set a password, signs in and finds the object. A forgotten password
goes the same way."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from layers.models.campaigns import Stewardship, StewardshipState
from tests.campaigns.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)  # mail goes once a decision is committed

NEW_PASSWORD = "a new long password 42"


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S*password-reset/\S+/)", message.body).group(1)


def test_an_invited_owner_sets_a_password_and_finds_the_object(world):
    mail.outbox.clear()
    response = client_for(world.actors.reviewer).post(
        "/barrier-free/owners/",
        {
            "person": "Director@School7.example.org",
            "accessible_object": str(world.library.public_id),
            "organisation": "Школа № 7",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = get_user_model().objects.get(email="director@school7.example.org")
    assert not person.has_usable_password() and not person.is_staff
    stewardship = Stewardship.objects.get(user=person)
    assert stewardship.state == StewardshipState.ACTIVE
    invitation = next(m for m in mail.outbox if "director@school7.example.org" in m.to)

    visitor = Client()
    page = visitor.get(_link(invitation), follow=True)
    assert page.status_code == 200 and 'name="new_password1"' in page.content.decode()
    done = visitor.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert visitor.get(_link(invitation), follow=True).content.decode().count("new_password1") == 0

    owner = Client()
    signed_in = owner.post(
        "/login/", {"username": "director@school7.example.org", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert world.library.name in owner.get("/barrier-free/").content.decode()


def test_an_account_that_exists_is_granted_not_invited_again(world):
    mail.outbox.clear()
    response = client_for(world.actors.reviewer).post(
        "/barrier-free/owners/",
        {
            "person": "OWNER2@example.org",
            "accessible_object": str(world.clinic.public_id),
            "organisation": "КНП",
        },
    )
    assert response.status_code == 302
    assert Stewardship.objects.filter(user=world.other_owner, accessible_object=world.clinic)
    assert get_user_model().objects.filter(email__iexact="owner2@example.org").count() == 1


def test_a_name_that_is_no_account_nor_an_email_is_refused(world):
    before = get_user_model().objects.count()
    response = client_for(world.actors.reviewer).post(
        "/barrier-free/owners/",
        {"person": "nobody", "accessible_object": str(world.clinic.public_id), "organisation": "X"},
    )
    assert response.status_code == 400
    assert get_user_model().objects.count() == before


def test_a_forgotten_password_is_set_again_by_mail(world):
    mail.outbox.clear()
    response = Client().post("/password-reset/", {"email": "owner@example.org"})
    assert response.status_code == 302
    message = next(m for m in mail.outbox if "owner@example.org" in m.to)
    visitor = Client()
    page = visitor.get(_link(message), follow=True)
    visitor.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert Client().login(username="owner", password=NEW_PASSWORD)
    # An unknown address says the same, and sends nothing.
    mail.outbox.clear()
    assert Client().post("/password-reset/", {"email": "who@example.org"}).status_code == 302
    assert mail.outbox == []
