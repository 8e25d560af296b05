from layers.admin import accessibility, boundary, datasets, heritage, photos, trees, waste

__all__ = ["accessibility", "boundary", "datasets", "heritage", "photos", "trees", "waste"]
