"""Make or revoke a person's editing-API token (the page /edit/api-token/ does the same)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from layers.editing import services


class Command(BaseCommand):
    help = (
        "Print a new API token for USERNAME (any earlier one stops working), or with "
        "--revoke stop it. The key is printed once; keep it as a password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="Stop the user's token.")

    def handle(self, *args, username, revoke, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"There is no user {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"{username!r} is not active: a token would not work.")
        if revoke:
            if services.api_token_revoke(user=user):
                self.stdout.write(f"The API token of {username} is revoked.")
            else:
                self.stdout.write(f"{username} had no API token.")
            return
        self.stdout.write(services.api_token_issue(user=user))
