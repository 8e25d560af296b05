from django.core.management.base import BaseCommand

from layers.hromada import hromada_profile
from layers.services.boundary import hromada_load_boundary


class Command(BaseCommand):
    help = "Load the configured hromada's boundary (GEOPORTAL_HROMADA); safe to run again."

    def handle(self, *args, **options):
        profile = hromada_profile()
        hromada, changed = hromada_load_boundary(profile=profile)
        state = "loaded" if changed else "unchanged"
        if options["verbosity"]:
            self.stdout.write(f"Boundary of {hromada.name_en} ({hromada.code}): {state}.")
