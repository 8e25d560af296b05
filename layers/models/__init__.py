from layers.models.accessibility import (
    AccessibleObject,
    Assessment,
    AssessmentAnswer,
    ChecklistCriterion,
    ChecklistSection,
    ChecklistTemplate,
)
from layers.models.accounts import PasswordResetRequest
from layers.models.base import RegistryRecord, Status
from layers.models.boundary import Hromada
from layers.models.campaigns import (
    Campaign,
    ChecklistSubmission,
    Stewardship,
    StewardshipState,
    SubmissionState,
)
from layers.models.datasets import (
    ChoiceItem,
    ChoiceList,
    DataRecord,
    FieldDefinition,
    FieldType,
    GeometryKind,
    RegistryDefinition,
)
from layers.models.heritage import HeritageObject, ProtectionZone
from layers.models.imports import ImportJob, ImportRow, ImportState, RowAction
from layers.models.passport import DatasetPassport
from layers.models.photos import Photo
from layers.models.stamps import ChangeStamp
from layers.models.tilecache import TileCache, TileInvalidation, TileOverview
from layers.models.trees import (
    GreenArea,
    GreenAreaKind,
    RecommendedAction,
    Species,
    Tree,
    TreeCondition,
    TreeEvent,
    TreeEventKind,
)
from layers.models.waste import Container, WasteSite

__all__ = [
    "AccessibleObject",
    "Assessment",
    "AssessmentAnswer",
    "Campaign",
    "ChangeStamp",
    "ChecklistCriterion",
    "ChecklistSection",
    "ChecklistSubmission",
    "ChecklistTemplate",
    "ChoiceItem",
    "ChoiceList",
    "Container",
    "DataRecord",
    "DatasetPassport",
    "FieldDefinition",
    "FieldType",
    "GeometryKind",
    "GreenArea",
    "GreenAreaKind",
    "HeritageObject",
    "Hromada",
    "ImportJob",
    "ImportRow",
    "ImportState",
    "PasswordResetRequest",
    "Photo",
    "ProtectionZone",
    "RecommendedAction",
    "RegistryDefinition",
    "RegistryRecord",
    "RowAction",
    "Species",
    "Status",
    "Stewardship",
    "StewardshipState",
    "SubmissionState",
    "TileCache",
    "TileInvalidation",
    "TileOverview",
    "Tree",
    "TreeCondition",
    "TreeEvent",
    "TreeEventKind",
    "WasteSite",
]
