"""Photos in the admin: ``PhotoInline`` for any registry record's admin, and a photo list.

Uploads through the admin go through the same preparation as ``photo_add`` (decoded with an
allowlist of formats, re-encoded without metadata, thumbnail), never stored as sent; the
inline's rows become the record's photo list in one call of the editing services (a
published record's new photos wait for review).
"""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from layers.admin.parts import PartInlineMixin
from layers.models.photos import Photo
from layers.services.photos import PHOTO_FORMATS, photo_image_prepare


def _thumbnail_html(photo: Photo):
    if not photo or not photo.thumbnail:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" style="max-width:160px;max-height:120px">',
        photo.thumbnail.url,
        photo.alt_text,
    )


class PhotoInlineForm(forms.ModelForm):
    """A photo row: a new file is prepared (re-encoded) while the form is validated, so a
    bad upload shows its error beside the row and nothing is stored."""

    upload = forms.FileField(
        label=_("image file"),
        required=False,
        help_text=_("JPEG, PNG or WebP. Metadata such as the GPS position is removed."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f"image/{f.lower()}" for f in PHOTO_FORMATS)}
        ),
    )

    class Meta:
        model = Photo
        fields = ["upload", "alt_text", "caption", "author", "licence", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepared = None

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload:
            try:
                self.prepared = photo_image_prepare(file=upload)
            except ValidationError as error:
                self.add_error("upload", error)
        elif self.instance.pk is None:
            self.add_error("upload", _("Choose an image file."))
        return cleaned


class ReadOnlyPartAdmin(admin.ModelAdmin):
    """A list of one kind of part across records, to search: parts are added, changed and
    removed on their record's page, through the editing workflow."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PhotoInline(PartInlineMixin, GenericTabularInline):
    """Photos of a registry record; add it to any registry admin's ``inlines``."""

    part_name = "photos"
    model = Photo
    form = PhotoInlineForm
    extra = 0
    fields = ["preview", "upload", "alt_text", "caption", "author", "licence", "position"]
    readonly_fields = ["preview"]
    ordering = ["position", "id"]

    @admin.display(description=_("photo"))
    def preview(self, obj):
        return _thumbnail_html(obj)

    def get_queryset(self, request):
        return super().get_queryset(request).shown()


@admin.register(Photo)
class PhotoAdmin(ReadOnlyPartAdmin):
    """All photos, staged and removed ones too; they are added on their record's page
    (``PhotoInline``)."""

    list_display = [
        "preview",
        "alt_text",
        "state",
        "content_type",
        "object_id",
        "author",
        "uploaded_at",
    ]
    list_filter = ["state", "content_type", "licence"]
    search_fields = ["alt_text", "caption", "author"]
    fields = [
        "preview",
        "content_type",
        "object_id",
        "alt_text",
        "caption",
        "author",
        "licence",
        "position",
        "width",
        "height",
        "uploaded_by",
        "uploaded_at",
        "state",
    ]
    readonly_fields = [
        "preview",
        "content_type",
        "object_id",
        "width",
        "height",
        "uploaded_by",
        "uploaded_at",
    ]

    @admin.display(description=_("photo"))
    def preview(self, obj):
        return _thumbnail_html(obj)
