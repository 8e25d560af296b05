"""Photos in the admin: ``PhotoInline`` for any registry record's admin, and a photo list.

Uploads through the admin go through the same preparation as ``photo_add`` (decoded with an
allowlist of formats, re-encoded without metadata, thumbnail), never stored as sent.
"""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from layers.models.photos import Photo
from layers.services.photos import (
    PHOTO_FORMATS,
    photo_delete,
    photo_files_write,
    photo_image_prepare,
)


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
    user = None  # set per request by PhotoInline.get_formset

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

    def save(self, commit=True):
        photo = super().save(commit=False)
        if self.prepared is not None:
            old = [f.name for f in (photo.image, photo.thumbnail) if f.name]
            photo_files_write(photo=photo, prepared=self.prepared)
            storage = photo.image.storage
            # A replaced file goes once the new one is committed.
            transaction.on_commit(lambda: [storage.delete(name) for name in old])
        if photo.pk is None and getattr(self.user, "is_authenticated", False):
            photo.uploaded_by = self.user
        if commit:
            photo.save()
        return photo


class PhotoFormSet(BaseGenericInlineFormSet):
    def delete_existing(self, obj, commit=True):
        if commit:
            photo_delete(photo=obj)


class PhotoInline(GenericTabularInline):
    """Photos of a registry record; add it to any registry admin's ``inlines``."""

    model = Photo
    form = PhotoInlineForm
    formset = PhotoFormSet
    extra = 0
    fields = ["preview", "upload", "alt_text", "caption", "author", "licence", "position"]
    readonly_fields = ["preview"]
    ordering = ["position", "id"]

    @admin.display(description=_("photo"))
    def preview(self, obj):
        return _thumbnail_html(obj)

    def get_formset(self, request, obj=None, **kwargs):
        # A form class per request, so the uploader is never shared between requests.
        kwargs["form"] = type("PhotoInlineForm", (self.form,), {"user": request.user})
        return super().get_formset(request, obj, **kwargs)


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    """All photos; they are added on their record's page (``PhotoInline``)."""

    list_display = ["preview", "alt_text", "content_type", "object_id", "author", "uploaded_at"]
    list_filter = ["content_type", "licence"]
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

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        photo_delete(photo=obj)

    def delete_queryset(self, request, queryset):
        for photo in queryset:
            photo_delete(photo=photo)
