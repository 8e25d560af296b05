"""The campaign's world: the seed checklist, published objects, their owners, the hromada's
reviewers, and an open campaign of this year."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from layers.campaigns import services
from layers.models.accessibility import AccessibleObject
from layers.registry import registry_get
from layers.rules.accessibility import Category
from layers.services.checklist import checklist_load
from tests.editing.conftest import PASSWORD, actors_create, published_create


def object_create(actors, name: str, **values) -> AccessibleObject:
    values = {"category": Category.HEALTH_CARE, "name": name, **values}
    return published_create(registry_get("accessibility"), actors, **values)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def world(db):
    call_command("load_boundary", verbosity=0)  # a transactional test starts empty
    actors = actors_create()
    template = checklist_load().template
    User = get_user_model()
    owner = User.objects.create_user("owner", password=PASSWORD, email="owner@example.org")
    other_owner = User.objects.create_user("owner2", password=PASSWORD, email="owner2@example.org")
    actors.reviewer.email = "reviewer@example.org"
    actors.reviewer.save()
    clinic = object_create(
        actors, "Амбулаторія № 3", entrance_step_free=True, door_width_cm=95, ramp_present=False
    )
    library = object_create(actors, "Бібліотека", entrance_step_free=False, ramp_present=False)
    services.stewardship_grant(
        user=actors.reviewer, person=owner, accessible_object=clinic, organisation="КНП «ЦПМСД»"
    )
    services.stewardship_grant(
        user=actors.reviewer,
        person=other_owner,
        accessible_object=library,
        organisation="Управління культури",
    )
    today = timezone.localdate()
    campaign = services.campaign_open(
        user=actors.reviewer,
        year=today.year,
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=today + datetime.timedelta(days=30),
    )
    return SimpleNamespace(
        actors=actors,
        template=template,
        owner=owner,
        other_owner=other_owner,
        clinic=clinic,
        library=library,
        campaign=campaign,
    )
