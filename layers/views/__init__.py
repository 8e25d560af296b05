"""Public pages: the map (``map``) and one page per record (``records``)."""

from layers.views.map import home

__all__ = ["home"]
