from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from layers.models.base import RegistryRecord


class WasteSite(RegistryRecord):
    """A place where residents leave waste: a container site, a collection point, ..."""

    GEOMETRY_TYPES = ("Point",)

    geom = models.PointField(_("location"), srid=4326)

    class Meta(RegistryRecord.Meta):
        verbose_name = _("waste site")
        verbose_name_plural = _("waste sites")
