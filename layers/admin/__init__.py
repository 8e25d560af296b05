from layers.admin import (
    accessibility,
    boundary,
    campaigns,
    datasets,
    heritage,
    passport,
    photos,
    trees,
    waste,
)

__all__ = [
    "accessibility",
    "boundary",
    "campaigns",
    "datasets",
    "heritage",
    "passport",
    "photos",
    "trees",
    "waste",
]
