import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from layers.editing.models import Role
from layers.editing.services import role_grant
from layers.registry import registries

# username -> (group, is superuser). The group names the account's kind; what it may do
# comes from its per-registry roles (layers.editing), granted on every registry.
DEMO_ACCOUNTS = {
    "admin": (None, True),
    "editor": ("editors", False),
    "reviewer": ("reviewers", False),
    # An object owner (balance holder): no role, no admin; signs in at /login/.
    "owner": ("owners", False),
}
DEMO_OWNED_OBJECTS = 3
DEMO_ROLES = {"editor": Role.EDITOR, "reviewer": Role.REVIEWER}


@transaction.atomic
def demo_accounts_ensure(*, password_file: Path) -> dict[str, str]:
    """Create the demo accounts once and return their passwords (demo mode only).

    Passwords are random per installation and kept in ``password_file`` (mode 0600) so that
    a second run prints the same ones instead of resetting them.
    """
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("Demo accounts exist only in demo mode (GEOPORTAL_DEMO=true).")
    passwords = json.loads(password_file.read_text()) if password_file.exists() else {}
    User = get_user_model()
    for username, (group_name, is_superuser) in DEMO_ACCOUNTS.items():
        user = User.objects.filter(username=username).first()
        if user is None or username not in passwords:
            passwords[username] = secrets.token_urlsafe(12)
            if user is None:
                user = User(username=username, email=f"{username}@example.invalid")
            user.is_staff = username != "owner"
            user.is_superuser = is_superuser
            user.set_password(passwords[username])
            user.save()
            if group_name:
                user.groups.add(Group.objects.get_or_create(name=group_name)[0])
        # Roles are (re)granted on every run, so registries added later get them too.
        if username in DEMO_ROLES:
            for registry in registries():
                role_grant(user=user, registry=registry, role=DEMO_ROLES[username])
    _demo_campaign(
        owner=User.objects.get(username="owner"), reviewer=User.objects.get(username="reviewer")
    )
    password_file.parent.mkdir(parents=True, exist_ok=True)
    password_file.touch(mode=0o600)
    password_file.write_text(json.dumps(passwords, indent=1))
    return passwords


def _demo_campaign(*, owner, reviewer) -> None:
    """This year's barrier-free campaign, with the demo owner answering for a few published
    buildings (once: a second run changes nothing)."""
    from django.utils import timezone

    from layers.campaigns import services as campaigns
    from layers.models import AccessibleObject, Campaign, Status, Stewardship
    from layers.services.checklist import checklist_seed_template

    year = timezone.localdate().year
    if checklist_seed_template() is None:
        return  # no checklist loaded: no campaign to open
    if not Campaign.objects.filter(year=year).exists():
        campaigns.campaign_open(user=reviewer, year=year)
    if Stewardship.objects.filter(user=owner).exists():
        return
    buildings = AccessibleObject.objects.filter(
        status=Status.PUBLISHED, category__in=["health_care", "education", "culture"]
    ).order_by("name")[:DEMO_OWNED_OBJECTS]
    for obj in buildings:
        campaigns.stewardship_grant(
            user=reviewer,
            person=owner,
            accessible_object=obj,
            organisation=obj.owner or "Демонстраційний балансоутримувач",
        )
