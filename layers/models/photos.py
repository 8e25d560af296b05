from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def default_photo_licence() -> str:
    return settings.GEOPORTAL_DATA_LICENSE


class PhotoState(models.TextChoices):
    # Uploaded for a change that waits for review: shown to staff only.
    STAGED = "staged", _("waiting for review")
    ATTACHED = "attached", _("shown with its record")
    # Taken off the record by a change; kept so that restoring an earlier version can
    # bring it back.
    REMOVED = "removed", _("removed")
    # Evidence of an answer in a barrier-free checklist: seen by the object's owners and
    # the registry's staff, never shown with the record.
    EVIDENCE = "evidence", _("evidence of a checklist answer")


class PhotoQuerySet(models.QuerySet):
    def shown(self):
        """The photos a record shows (to the public when the record is published)."""
        return self.filter(state=PhotoState.ATTACHED)


class Photo(models.Model):
    """A photo of a registry record (a heritage object, a tree, a waste site, …).

    A record's photos are one of its parts (``layers.editing.parts``): an upload is stored
    *staged* and is shown with its record once the change that adds it is applied; a
    removed photo is kept, *removed*, for the history. Photos are only ever written by
    ``layers.services.photos`` and the parts' writer: the stored image is a
    re-encoded JPEG without any metadata (no EXIF GPS, no camera serial), at most
    ``PHOTO_MAX_SIDE`` pixels on its longer side, with a thumbnail beside it. Alt text is
    required because the public map and record pages are read with screen readers.
    """

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    image = models.ImageField(_("image"), upload_to="photos/%Y/%m/", max_length=200)
    thumbnail = models.ImageField(_("thumbnail"), upload_to="photos/thumbs/%Y/%m/", max_length=200)
    width = models.PositiveIntegerField(_("width (px)"), editable=False)
    height = models.PositiveIntegerField(_("height (px)"), editable=False)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Photos are shown in this order.")
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        help_text=_("What the photo shows, for people who cannot see it (screen readers)."),
    )
    author = models.CharField(_("author"), max_length=200, blank=True)
    licence = models.CharField(_("licence"), max_length=50, default=default_photo_licence)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=PhotoState.choices,
        default=PhotoState.ATTACHED,
        editable=False,
        db_index=True,
    )

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["content_type", "object_id", "position", "id"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "position"], name="layers_photo_record_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(alt_text__regex=r"[^[:space:]]"),
                name="layers_photo_alt_text_required",
                violation_error_message=_("Describe the photo for screen-reader users."),
            ),
        ]

    def __str__(self) -> str:
        return self.caption or self.alt_text

    def clean(self):
        super().clean()
        self.alt_text = (self.alt_text or "").strip()
        self.caption = (self.caption or "").strip()
        if not self.alt_text:
            raise ValidationError(
                {"alt_text": _("Describe the photo for screen-reader users.")}, code="required"
            )
