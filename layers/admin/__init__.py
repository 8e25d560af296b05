from layers.admin import accessibility, boundary, datasets, heritage, passport, photos, trees, waste

__all__ = [
    "accessibility",
    "boundary",
    "datasets",
    "heritage",
    "passport",
    "photos",
    "trees",
    "waste",
]
