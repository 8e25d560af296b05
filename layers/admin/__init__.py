from layers.admin import boundary

__all__ = ["boundary"]
