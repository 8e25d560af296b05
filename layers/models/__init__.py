from layers.models.boundary import Hromada

__all__ = ["Hromada"]
