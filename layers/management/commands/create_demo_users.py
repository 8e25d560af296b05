from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from geoportal.env import BASE_DIR
from layers.services.demo_accounts import demo_accounts_ensure


class Command(BaseCommand):
    help = "Create the demo administrator, editor and reviewer (demo mode only) and print them."

    def handle(self, *args, **options):
        try:
            passwords = demo_accounts_ensure(password_file=BASE_DIR / "var" / "demo-accounts.json")
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Demo accounts (staff log in at /admin/, the object owner at /login/):")
        for username, password in passwords.items():
            self.stdout.write(f"  {username:<9} {password}")
