"""Change stamps: when each table that feeds a public layer last changed.

A statement-level trigger on each such table (migration 0004) bumps its row in the same
transaction as the change, so a reader sees the new stamp exactly when it sees the new data:
edits, bulk imports, hard deletes and edits of joined tables (a species renamed) alike.
Reading a layer's stamp is then a primary-key lookup, not an aggregate over the layer.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeStamp(models.Model):
    table_name = models.CharField(_("table"), max_length=63, primary_key=True)
    changed_at = models.DateTimeField(_("changed at"))
    # Write statements so far: tells apart two changes within the clock's resolution.
    changes = models.BigIntegerField(_("changes"), default=0)

    class Meta:
        app_label = "layers"
        verbose_name = _("change stamp")
        verbose_name_plural = _("change stamps")

    def __str__(self) -> str:
        return f"{self.table_name} @ {self.changed_at:%Y-%m-%d %H:%M:%S} #{self.changes}"
