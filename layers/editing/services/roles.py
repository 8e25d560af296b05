"""Roles in registries, granted and revoked by administrators."""

from django.db import transaction

from layers.editing.models import RegistryRole
from layers.editing.permissions import permissions_forget
from layers.registry import Registry


@transaction.atomic
def role_grant(*, user, registry: Registry, role: str) -> RegistryRole:
    """Give ``user`` a role in a registry (idempotent)."""
    grant, _created = RegistryRole.objects.get_or_create(user=user, registry=registry.id, role=role)
    permissions_forget(user)
    return grant


@transaction.atomic
def role_revoke(*, user, registry: Registry, role: str) -> None:
    RegistryRole.objects.filter(user=user, registry=registry.id, role=role).delete()
    permissions_forget(user)
