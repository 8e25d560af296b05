from django.core.management.base import BaseCommand, CommandError

from sdg.models import Indicator, IndicatorKind
from sdg.services import snapshot_take


class Command(BaseCommand):
    help = "Snapshot the computed SDG indicators now (all, or the codes given)."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="indicator codes (default: all computed)")

    def handle(self, *args, **options):
        indicators = Indicator.objects.filter(kind=IndicatorKind.COMPUTED)
        if options["codes"]:
            indicators = indicators.filter(code__in=options["codes"])
            missing = set(options["codes"]) - set(indicators.values_list("code", flat=True))
            if missing:
                raise CommandError(f"No computed indicator {', '.join(sorted(missing))}.")
        for indicator in indicators:
            snapshot = snapshot_take(indicator=indicator)
            if options["verbosity"]:
                self.stdout.write(f"{indicator.code}: {snapshot.value}")
