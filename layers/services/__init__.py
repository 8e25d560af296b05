"""Writes: every change to the registries goes through a function in this package."""
