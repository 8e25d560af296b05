from layers.admin import (
    accessibility,
    boundary,
    campaigns,
    datasets,
    editing,
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
    "editing",
    "heritage",
    "passport",
    "photos",
    "trees",
    "waste",
]
