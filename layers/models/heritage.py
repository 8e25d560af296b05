from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from layers.models.base import RegistryRecord


class HeritageObject(RegistryRecord):
    """An object of cultural heritage (a monument, listed or newly identified)."""

    GEOMETRY_TYPES = ("Point", "Polygon", "MultiPolygon")

    geom = models.GeometryField(_("location"), srid=4326)

    class Meta(RegistryRecord.Meta):
        verbose_name = _("heritage object")
        verbose_name_plural = _("heritage objects")


class ProtectionZone(RegistryRecord):
    """A protection zone around one or more heritage objects."""

    GEOMETRY_TYPES = ("Polygon", "MultiPolygon")

    geom = models.MultiPolygonField(_("zone"), srid=4326)

    class Meta(RegistryRecord.Meta):
        verbose_name = _("protection zone")
        verbose_name_plural = _("protection zones")
