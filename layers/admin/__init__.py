from layers.admin import accessibility, boundary, heritage, photos, trees, waste

__all__ = ["accessibility", "boundary", "heritage", "photos", "trees", "waste"]
