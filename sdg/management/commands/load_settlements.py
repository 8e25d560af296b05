from django.core.management.base import BaseCommand

from sdg.settlements import settlements_load


class Command(BaseCommand):
    help = (
        "Load the hromada's settlements (polygons and populations, data/sdg/settlements.toml) "
        "that SDG indicators are broken down by; safe to run again. Needs load_boundary first."
    )

    def handle(self, *args, **options):
        counts = settlements_load()
        if options["verbosity"]:
            self.stdout.write(
                "Settlements: {loaded} loaded, {unchanged} unchanged, {removed} removed.".format(
                    **counts
                )
            )
