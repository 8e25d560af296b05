"""Reads: queries that views, the API and the map share."""
