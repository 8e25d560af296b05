import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from layers.services.demo_accounts import demo_accounts_ensure


@pytest.mark.django_db
def test_demo_accounts_are_created_once_and_keep_their_passwords(tmp_path, client):
    password_file = tmp_path / "demo-accounts.json"

    first = demo_accounts_ensure(password_file=password_file)
    second = demo_accounts_ensure(password_file=password_file)

    assert first == second
    assert set(first) == {"admin", "editor", "reviewer", "owner"}
    assert oct(password_file.stat().st_mode & 0o777) == "0o600"
    assert json.loads(password_file.read_text()) == first
    User = get_user_model()
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="editor").is_superuser
    assert client.login(username="admin", password=first["admin"])
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_demo_accounts_are_refused_outside_demo_mode(tmp_path):
    with override_settings(DEMO_MODE=False), pytest.raises(ImproperlyConfigured):
        demo_accounts_ensure(password_file=tmp_path / "demo-accounts.json")
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_the_demo_owner_answers_for_buildings_of_this_years_campaign(tmp_path, client):
    from layers.models import Campaign, Stewardship
    from layers.registry import registry_get
    from layers.services.checklist import checklist_load
    from tests.factories import published_record

    checklist_load()
    clinic = published_record(registry_get("accessibility"), category="health_care")
    passwords = demo_accounts_ensure(password_file=tmp_path / "demo-accounts.json")
    demo_accounts_ensure(password_file=tmp_path / "demo-accounts.json")

    assert Campaign.objects.count() == 1
    assert list(Stewardship.objects.values_list("accessible_object", flat=True)) == [clinic.pk]
    owner = get_user_model().objects.get(username="owner")
    assert not owner.is_staff
    response = client.post("/login/", {"username": "owner", "password": passwords["owner"]})
    assert response.status_code == 302
    assert clinic.name in client.get("/barrier-free/").content.decode()
