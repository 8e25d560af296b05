"""The one reader of bounding boxes a client writes (``minx,miny,maxx,maxy``): the OGC API's
``bbox``, the public map's list and the map editor's features all read them here, so a NaN,
an infinity or a fifth number is refused the same way everywhere."""

import math


class BBoxError(ValueError):
    """A malformed box; the message says what is wrong, for the caller to wrap."""


def bbox_numbers(text: str, *, heights: bool = False) -> tuple[float, ...]:
    """Four finite numbers (six with ``heights``: two of them heights), as floats."""
    parts = text.split(",")
    if len(parts) != 4 and not (heights and len(parts) == 6):
        raise BBoxError("give 4 numbers (or 6 with heights)" if heights else "give 4 numbers")
    try:
        numbers = tuple(float(part) for part in parts)
    except ValueError:
        raise BBoxError("every value must be a number") from None
    if not all(math.isfinite(number) for number in numbers):
        raise BBoxError("every value must be a finite number")
    return numbers


def wgs84_bbox(text: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` in WGS 84, each within range and west of east, south of
    north (the map's and the editor's boxes: never across the antimeridian)."""
    west, south, east, north = bbox_numbers(text)
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise BBoxError("west,south,east,north within WGS 84, west < east, south < north")
    return west, south, east, north
