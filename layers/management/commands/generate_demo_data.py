import time

from django.core.management.base import BaseCommand
from django.db import transaction

from layers.datasets.registry import data_registries
from layers.demo import DEMO_SOURCE, DemoContext
from layers.registry import BUILTIN_REGISTRIES

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
        counts = {key: options[key] for key in DEFAULT_COUNTS}
        ctx = DemoContext(seed=seed, counts=counts)
        # Each registry's entry names its demo content; registries that share a generator
        # (trees and green areas, heritage and its zones) run it once, in the list's order,
        # then the registries defined as data (their references may point at the others).
        done = set()
        for registry in (*BUILTIN_REGISTRIES, *data_registries(recheck=True)):
            if registry.demo and registry.demo in done:
                continue
            done.add(registry.demo)
            if once and registry.objects().filter(source=DEMO_SOURCE).exists():
                self.stdout.write(f"Demo {registry.id}: already loaded.")
                continue
            started = time.monotonic()
            with transaction.atomic():
                result = registry.demo_generate(ctx)
            summary = ", ".join(f"{count} {label}" for label, count in result.items())
            self.stdout.write(f"Demo {registry.id}: {summary} ({time.monotonic() - started:.1f} s)")
