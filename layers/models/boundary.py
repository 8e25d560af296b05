from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class Hromada(models.Model):
    """A territorial community (hromada) and its boundary: the area the registries cover."""

    code = models.CharField(_("KATOTTH code"), max_length=19, unique=True)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    geom = models.MultiPolygonField(_("boundary"), srid=4326)
    source = models.CharField(_("source"), max_length=300)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("hromada")
        verbose_name_plural = _("hromadas")

    def __str__(self) -> str:
        return self.name_uk
