"""Actors and records of the editing workflow, for tests parametrised over the registries."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from layers.datasets.fields import is_data_field
from layers.editing import services
from layers.editing.models import Role
from layers.editing.values import editable_fields, stored_value
from tests.factories import make_record, registry_ids

PASSWORD = "correct horse battery staple"

# name -> role granted on every registry (None: no role at all).
ACTORS = {
    "editor": Role.EDITOR,
    "editor2": Role.EDITOR,
    "reviewer": Role.REVIEWER,
    "reviewer2": Role.REVIEWER,
    "administrator": Role.ADMINISTRATOR,
    "outsider": None,
}


def actors_create() -> SimpleNamespace:
    User = get_user_model()
    people = {}
    for name, role in ACTORS.items():
        user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
        if role:
            # By id: the sample registry defined as data may be created later in the test.
            for registry_id in registry_ids():
                services.role_grant(user=user, registry=SimpleNamespace(id=registry_id), role=role)
        people[name] = user
    return SimpleNamespace(**people)


@pytest.fixture
def actors(db):
    return actors_create()


def record_values_for(registry, **overrides) -> dict:
    """Editable values of a minimal valid record of the registry (field name → value)."""
    obj = make_record(registry, **overrides)
    return {
        field.name: stored_value(obj, field)
        if is_data_field(field)
        else field.value_from_object(obj)
        for field in editable_fields(registry)
    }


def draft_create(registry, user, **overrides):
    return services.record_create(
        registry=registry, user=user, values=record_values_for(registry, **overrides)
    )


def published_create(registry, actors, **overrides):
    record = draft_create(registry, actors.editor, **overrides)
    change = services.record_submit(
        registry=registry, record=record, user=actors.editor, base_version=record.version
    )
    return services.change_approve(change=change, user=actors.reviewer)


def in_review_create(registry, actors, **overrides):
    record = draft_create(registry, actors.editor, **overrides)
    services.record_submit(
        registry=registry, record=record, user=actors.editor, base_version=record.version
    )
    record.refresh_from_db()
    return record


def archived_create(registry, actors, **overrides):
    record = published_create(registry, actors, **overrides)
    return services.record_archive(
        registry=registry, record=record, user=actors.reviewer, base_version=record.version
    )


RECORD_STATES = {
    "draft": lambda registry, actors: draft_create(registry, actors.editor),
    "in_review": in_review_create,
    "published": published_create,
    "archived": archived_create,
}


def api_client(user=None, *, token: bool = True) -> APIClient:
    client = APIClient()
    if user is not None:
        key = Token.objects.get_or_create(user=user)[0].key
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def photo_shown(registry, record, actors, *, alt_text: str = "Вигляд"):
    """A photo uploaded for ``record`` and attached through the workflow (approved by a
    reviewer when the record is published), as an editor adds one."""
    from layers.editing.models import ChangeRequest, ChangeState
    from layers.editing.parts import parts_read
    from layers.models.photos import Photo
    from tests.factories import part_item

    record.refresh_from_db()
    item = {**part_item(registry, "photos", record, actors.editor), "alt_text": alt_text}
    services.record_update(
        registry=registry,
        record=record,
        user=actors.editor,
        values={},
        parts={"photos": [*parts_read(registry, record)["photos"], item]},
        base_version=record.version,
    )
    pending = ChangeRequest.objects.filter(record_id=record.pk, state=ChangeState.PENDING)
    for change in pending.filter(registry=registry.id):
        services.change_approve(change=change, user=actors.reviewer)
    return Photo.objects.get(pk=item["id"])
