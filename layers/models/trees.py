from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from layers.models.base import RegistryRecord


class Tree(RegistryRecord):
    """One tree of the green-plantings registry."""

    GEOMETRY_TYPES = ("Point",)

    geom = models.PointField(_("location"), srid=4326)

    class Meta(RegistryRecord.Meta):
        verbose_name = _("tree")
        verbose_name_plural = _("trees")


class GreenArea(RegistryRecord):
    """A park, square, boulevard, street planting or forest park."""

    GEOMETRY_TYPES = ("Polygon", "MultiPolygon")

    geom = models.MultiPolygonField(_("area"), srid=4326)

    class Meta(RegistryRecord.Meta):
        verbose_name = _("green area")
        verbose_name_plural = _("green areas")
