from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from layers.models.base import RegistryRecord


class AccessibleObject(RegistryRecord):
    """A building or place that serves the public, described for barrier-free access."""

    GEOMETRY_TYPES = ("Point",)

    geom = models.PointField(_("location"), srid=4326)

    class Meta(RegistryRecord.Meta):
        verbose_name = _("accessible object")
        verbose_name_plural = _("accessible objects")
