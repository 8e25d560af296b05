import socket

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[-1].strip() if text else type(exc).__name__


class Command(BaseCommand):
    help = "Check that the database answers, has PostGIS, and that the serving port is free."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, help="also check that this local port is free")

    def handle(self, *args, port=None, **options):
        db = connection.settings_dict
        where = f"{db.get('HOST') or 'local socket'}:{db.get('PORT') or 5432}/{db.get('NAME')}"
        try:
            connection.ensure_connection()
        except DatabaseError as exc:
            raise CommandError(
                f"cannot reach the database at {where}: {_first_line(exc)}. "
                "Check DATABASE_URL (or unset it to use the local cluster)."
            ) from None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT extversion FROM pg_extension WHERE extname = 'postgis'),"
                " (SELECT default_version FROM pg_available_extensions WHERE name = 'postgis')"
            )
            installed, available = cursor.fetchone()
        if not installed and not available:
            raise CommandError(
                f"the database server at {where} has no PostGIS extension: install PostGIS "
                "on it (Debian: postgresql-15-postgis-3) or point DATABASE_URL at a PostGIS server."
            )
        if not installed:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            except DatabaseError as exc:
                raise CommandError(
                    f"PostGIS is available but not enabled in {db.get('NAME')} and this user "
                    f"cannot enable it ({_first_line(exc)}); run CREATE EXTENSION postgis as a "
                    "superuser."
                ) from None
        if port is not None:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError:
                    raise CommandError(
                        f"port {port} is already in use; stop what runs there or choose "
                        f"another with PORT=<port> make run"
                    ) from None
        self.stdout.write(f"Database {where}: PostGIS {installed or available}.")
