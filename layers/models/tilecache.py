"""The portal's own tile cache: built vector tiles kept in PostgreSQL, invalidated by the
database itself.

A statement-level trigger on each registry table (migration 0016) runs after the change
stamp's trigger in the writing transaction: for the old and the new geometry of every row
the statement touched it records, at every cached zoom, the rectangle of tiles those
geometries reach (``TileInvalidation``, with the table's change counter after the write)
and deletes the cached tiles inside it. So editor, API, import, archive, restore and hard
delete all invalidate exactly the tiles they touch, and nothing else.

A tile built from a snapshot taken before that write committed, and stored after the
trigger's delete, would survive it: so a cached tile keeps the counter it was built at
(``built_changes``, read in the same statement as its features), and a read ignores it
while a newer invalidation rectangle covers it. Rectangles are dropped after an hour, and
with them the tiles they still hide.
"""

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class TileCache(models.Model):
    # The registry's id and its tile SQL's fingerprint (``tiles.cache.cache_key``).
    registry = models.CharField(_("registry"), max_length=100)
    # The change-stamp row of the registry's own table (``layers_tree``,
    # ``layers_datarecord:<definition>``): what the trigger invalidates by.
    stamp_key = models.CharField(_("stamp row"), max_length=100)
    z = models.SmallIntegerField()
    x = models.IntegerField()
    y = models.IntegerField()
    data = models.BinaryField(_("tile"))
    # The same bytes gzipped once, when built: every browser asks for gzip, and compressing
    # a 90 KB tile costs about as much as serving it from here.
    data_gzip = models.BinaryField(_("tile, gzipped"), null=True)
    # The own table's change counter in the snapshot the tile was built from, and the sum
    # of the joined tables' counters (a species renamed: every tile of the layer again).
    built_changes = models.BigIntegerField()
    other_changes = models.BigIntegerField()
    built_at = models.DateTimeField(_("built at"), db_default=Now())

    class Meta:
        app_label = "layers"
        verbose_name = _("cached tile")
        verbose_name_plural = _("cached tiles")
        constraints = [
            models.UniqueConstraint(
                fields=["registry", "z", "x", "y"], name="layers_tilecache_tile"
            )
        ]
        indexes = [
            models.Index(fields=["stamp_key", "z", "x", "y"], name="layers_tilecache_stamp"),
        ]

    def __str__(self) -> str:
        return f"{self.registry}/{self.z}/{self.x}/{self.y}"


class TileInvalidation(models.Model):
    """Tiles ``x0``–``x1`` × ``y0``–``y1`` at zoom ``z`` of a table changed at ``changes``."""

    stamp_key = models.CharField(_("stamp row"), max_length=100)
    z = models.SmallIntegerField()
    x0 = models.IntegerField()
    x1 = models.IntegerField()
    y0 = models.IntegerField()
    y1 = models.IntegerField()
    changes = models.BigIntegerField()
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        app_label = "layers"
        verbose_name = _("tile invalidation")
        verbose_name_plural = _("tile invalidations")
        indexes = [
            models.Index(fields=["stamp_key", "z"], name="layers_tileinval_key"),
            models.Index(fields=["created_at"], name="layers_tileinval_created"),
        ]

    def __str__(self) -> str:
        return f"{self.stamp_key} z{self.z} {self.x0}-{self.x1}/{self.y0}-{self.y1}"


class TileOverview(models.Model):
    """How many published records of a point layer lie in one cell: a tile of zoom
    ``OVERVIEW_CELL_ZOOM`` (migration 0017 keeps the counts current on every write)."""

    stamp_key = models.CharField(_("stamp row"), max_length=100)
    cx = models.IntegerField()
    cy = models.IntegerField()
    count = models.IntegerField()

    class Meta:
        app_label = "layers"
        verbose_name = _("overview cell")
        verbose_name_plural = _("overview cells")
        constraints = [
            models.UniqueConstraint(
                fields=["stamp_key", "cx", "cy"], name="layers_tileoverview_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stamp_key} {self.cx}/{self.cy}: {self.count}"
