from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from layers.editing.errors import NotPermitted
from layers.imports import decisions
from layers.models.imports import ImportJob


class Command(BaseCommand):
    help = (
        "Roll back a committed import as new changes: its changes still waiting are closed, "
        "the records it created are archived, the records it changed get a proposed change "
        "back to their earlier values (for review). Needs an administrator of the registry."
    )

    def add_arguments(self, parser):
        parser.add_argument("import_id", help="the import's id (as the import command prints)")
        parser.add_argument("--as", dest="username", required=True, help="who rolls it back")

    def handle(self, *args, import_id, username, **options):
        try:
            job = ImportJob.objects.get(public_id=import_id)
        except (ImportJob.DoesNotExist, ValidationError, ValueError):
            raise CommandError(f"There is no import {import_id}.") from None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user {username!r}.")
        try:
            counts = decisions.import_rollback(job=job, user=user)
        except NotPermitted:
            raise CommandError(
                f"{username} may not roll back imports of {job.registry} (edit and archive)."
            ) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            f"Rolled back {job.file_name}: {counts['closed']} waiting change(s) closed, "
            f"{counts['archived']} record(s) archived, {counts['restored']} change(s) back to "
            "earlier values proposed for review."
        )
