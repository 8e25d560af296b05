"""Registries defined as data: field specs, value validation, the registry entries built
from definitions, the definition services and the loader of definition files."""
