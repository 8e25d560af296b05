"""The admin is for administrators: editors and reviewers of a registry (staff accounts, who
log in through the admin's form) cannot open or change its records there — they work in the
editor and the API — and an administrator of the registry can."""

import pytest
from django.test import Client

from layers.registry import BUILTIN_REGISTRIES, registry_get
from tests.editing.conftest import actors_create, published_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("registry_id", [r.id for r in BUILTIN_REGISTRIES])
def test_only_administrators_open_a_registry_in_the_admin(registry_id):
    registry = registry_get(registry_id)
    actors = actors_create()
    record = published_create(registry, actors)
    meta = registry.model._meta
    pages = [
        f"/en/admin/{meta.app_label}/{meta.model_name}/",
        f"/en/admin/{meta.app_label}/{meta.model_name}/add/",
        f"/en/admin/{meta.app_label}/{meta.model_name}/{record.pk}/change/",
    ]
    for name, allowed in (("editor", False), ("reviewer", False), ("administrator", True)):
        client = Client()
        client.force_login(getattr(actors, name))
        for page in pages:
            status = client.get(page).status_code
            assert (status == 200) is allowed, (name, page, status)
        posted = client.post(pages[2], {"notes": "from the admin"})
        if not allowed:
            assert posted.status_code == 403, (name, posted.status_code)
    record.refresh_from_db()
    assert record.notes != "from the admin"


def test_every_admin_page_is_closed_to_all_but_administrators_and_superusers():
    """Every model the admin holds, its list and its add page, for every kind of account:
    no page opens for an editor, a reviewer or a staff account without a role; a registry's
    pages (its records, and the data of its records' parts: the assessments, the checklist)
    open for its administrators; everything opens (or refuses cleanly) for a superuser."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model

    from layers.admin.base import RegistryRoleAdminMixin

    actors = actors_create()
    boss = get_user_model().objects.create_superuser("boss", password="x" * 16)
    clients = {"anonymous": Client()}
    for name in ("outsider", "editor", "reviewer", "administrator"):
        clients[name] = Client()
        clients[name].force_login(getattr(actors, name))
    clients["superuser"] = Client()
    clients["superuser"].force_login(boss)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        for page in ("", "add/"):
            path = f"/en/admin/{meta.app_label}/{meta.model_name}/{page}"
            for name, client in clients.items():
                status = client.get(path).status_code
                checked += 1
                if name == "anonymous":
                    assert status == 302, (path, name, status)
                elif name == "superuser" or (
                    name == "administrator" and isinstance(model_admin, RegistryRoleAdminMixin)
                ):
                    assert status in (200, 403), (path, name, status)
                else:
                    assert status == 403, (path, name, status)
    assert checked > 100
