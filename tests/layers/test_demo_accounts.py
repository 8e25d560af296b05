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
    assert set(first) == {"admin", "editor", "reviewer"}
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
