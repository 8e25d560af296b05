"""The admin is a client of the services: a change form's values and inlines go through one
call of the workflow, the version is required, a published record's change waits for review
unless its reviewer approves it explicitly, and a registry's administrators (a role) edit
the record's parts where they edit the record."""

import pytest
from django.test import Client

from layers.editing.models import ChangeRequest, ChangeState
from layers.editing.parts import parts_read
from layers.models import Container
from layers.registry import registry_get
from tests.editing.conftest import published_create
from tests.editing.test_derived_values import _FormFields

pytestmark = pytest.mark.django_db

PREFIX = "containers"


def _form(client, url) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    parser = _FormFields()
    parser.feed(page.content.decode())
    return {k: v for k, v in parser.data.items() if k != "csrfmiddlewaretoken"}


def _with_container(data: dict, *, volume: int = 1100) -> dict:
    total = int(data[f"{PREFIX}-TOTAL_FORMS"][0])
    data = {**data, f"{PREFIX}-TOTAL_FORMS": [str(total + 1)]}
    data[f"{PREFIX}-{total}-fraction"] = ["glass"]
    data[f"{PREFIX}-{total}-count"] = ["2"]
    data[f"{PREFIX}-{total}-volume_l"] = [str(volume)]
    data[f"{PREFIX}-{total}-collection_days"] = ["1", "4"]
    return data


@pytest.fixture
def site(actors):
    return published_create(registry_get("waste-sites"), actors)


@pytest.fixture
def administrator(actors):
    client = Client()
    client.force_login(actors.administrator)
    return client


def _url(site):
    return f"/en/admin/layers/wastesite/{site.pk}/change/"


def test_an_administrators_page_has_the_parts_inlines(site, administrator):
    page = administrator.get(_url(site)).content.decode()
    assert f'name="{PREFIX}-TOTAL_FORMS"' in page
    assert 'name="layers-photo-content_type-object_id-TOTAL_FORMS"' in page


def test_a_change_of_containers_in_the_admin_waits_for_review(site, administrator):
    data = _with_container(_form(administrator, _url(site)))
    response = administrator.post(_url(site), data, follow=True)
    assert response.status_code == 200
    assert "waiting for review" in response.content.decode()
    change = ChangeRequest.objects.get(record_id=site.pk, state=ChangeState.PENDING)
    assert change.payload["parts"]["containers"][0]["volume_l"] == 1100
    assert not Container.objects.filter(site=site).exists()  # the public sees none yet


def test_a_post_without_the_version_is_refused_and_changes_nothing(site, administrator):
    data = _with_container(_form(administrator, _url(site)))
    data.pop("base_version")
    data["notes"] = ["змінено без версії"]
    response = administrator.post(_url(site), data)
    assert response.status_code == 200
    assert "The version your change is based on is missing" in response.content.decode()
    assert not ChangeRequest.objects.filter(record_id=site.pk, state=ChangeState.PENDING)
    site.refresh_from_db()
    assert site.notes == ""


def test_a_stale_version_is_refused(site, administrator, actors):
    data = _with_container(_form(administrator, _url(site)))
    data["base_version"] = [str(site.version - 1)]
    response = administrator.post(_url(site), data)
    assert "changed by someone else" in response.content.decode()
    assert not ChangeRequest.objects.filter(record_id=site.pk, state=ChangeState.PENDING)


def test_a_reviewer_approves_their_own_change_only_explicitly(site, actors):
    from django.contrib.auth import get_user_model

    boss = get_user_model().objects.create_superuser("boss", password="x" * 16)
    client = Client()
    client.force_login(boss)
    data = _with_container(_form(client, _url(site)))
    data["approve_now"] = ["on"]
    response = client.post(_url(site), data)
    assert response.status_code == 302
    change = ChangeRequest.objects.get(record_id=site.pk, kind="update")
    assert (change.state, change.reviewer, change.author) == (ChangeState.APPROVED, boss, boss)
    assert "author" in change.review_comment
    registry = registry_get("waste-sites")
    site.refresh_from_db()
    assert [c["volume_l"] for c in parts_read(registry, site)["containers"]] == [1100]


def test_an_editor_cannot_use_the_admin(site, actors):
    client = Client()
    client.force_login(actors.editor)
    assert client.get(_url(site)).status_code in (302, 403)
