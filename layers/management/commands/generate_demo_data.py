import importlib
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from layers.demo import DEMO_SOURCE, DemoContext
from layers.models import Tree

# Order matters: trees go into green areas, protection zones around heritage objects.
DEMO_MODULES = ("trees", "accessibility", "heritage", "waste")

DEFAULT_COUNTS = {
    "trees": 20000,
    "green_areas": 40,
    "accessible_objects": 400,
    "heritage_objects": 120,
    "protection_zones": 15,
    "waste_sites": 500,
}


class Command(BaseCommand):
    help = (
        "Fill every registry with deterministic demo content inside the hromada boundary. "
        "Running it again with the same options changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DemoContext.seed)
        parser.add_argument(
            "--once",
            action="store_true",
            help="do nothing if demo data is already loaded (what `make run` uses)",
        )
        for key, default in DEFAULT_COUNTS.items():
            parser.add_argument(
                f"--{key.replace('_', '-')}",
                type=int,
                default=default,
                dest=key,
                help=f"how many to generate (default {default})",
            )

    def handle(self, *args, seed, once, **options):
        if once and Tree.objects.filter(source=DEMO_SOURCE).exists():
            self.stdout.write("Demo data already loaded (run generate_demo_data to refresh it).")
            return
        counts = {key: options[key] for key in DEFAULT_COUNTS}
        ctx = DemoContext(seed=seed, counts=counts)
        for name in DEMO_MODULES:
            module = importlib.import_module(f"layers.demo.{name}")
            started = time.monotonic()
            with transaction.atomic():
                result = module.generate(ctx)
            summary = ", ".join(f"{count} {label}" for label, count in result.items())
            self.stdout.write(f"Demo {name}: {summary} ({time.monotonic() - started:.1f} s)")
