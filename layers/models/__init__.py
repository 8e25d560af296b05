from layers.models.accessibility import AccessibleObject
from layers.models.base import RegistryRecord, Status
from layers.models.boundary import Hromada
from layers.models.heritage import HeritageObject, ProtectionZone
from layers.models.trees import GreenArea, Tree
from layers.models.waste import WasteSite

__all__ = [
    "AccessibleObject",
    "GreenArea",
    "HeritageObject",
    "Hromada",
    "ProtectionZone",
    "RegistryRecord",
    "Status",
    "Tree",
    "WasteSite",
]
