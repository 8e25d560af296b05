"""Photos of registry records: every upload is decoded, checked and re-encoded.

Re-encoding is the point: the stored JPEG is built from pixels only, so nothing of the
original file survives — no EXIF (GPS position of the photographer's home, camera serial),
no XMP or IPTC, no trailing payload appended to the image data. Only a short list of
decoders is ever used (``Image.open(formats=...)``) and the pixel count is capped before
decoding, so a small file that claims to be 100,000 by 100,000 pixels is refused, not
decompressed.
"""

import contextlib
import datetime
import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Image.open(formats=...) only knows the plugins loaded so far: load ours explicitly.
from PIL import JpegImagePlugin, PngImagePlugin, WebPImagePlugin  # noqa: F401 isort: skip

from layers.models.base import RegistryRecord
from layers.models.photos import Photo, PhotoState

try:  # colour management is optional in Pillow builds
    from PIL import ImageCms

    _SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
except ImportError:  # pragma: no cover - depends on how Pillow was built
    ImageCms = None

# Decoders we accept (the JPEG one also reads the MPO files many phones write).
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
PHOTO_MAX_SIDE = 2048
PHOTO_THUMB_SIDE = 400
PHOTO_JPEG_QUALITY = 85
# Well below Pillow's own decompression-bomb threshold (~89 Mpx) but above a 48 Mpx phone.
PHOTO_MAX_PIXELS = 50_000_000


@dataclass(frozen=True)
class PreparedPhoto:
    """A re-encoded photo and its thumbnail, ready to be written to storage."""

    image: bytes
    thumbnail: bytes
    width: int
    height: int


def _max_bytes() -> int:
    return int(settings.GEOPORTAL_PHOTO_MAX_BYTES)


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("The file is not a JPEG, PNG or WebP image, or it is damaged."), code="not_an_image"
    )


def _too_many_pixels(size: tuple[int, int]) -> ValidationError:
    return ValidationError(
        _("The image is %(width)s by %(height)s pixels; at most %(megapixels)s megapixels."),
        code="too_many_pixels",
        params={"width": size[0], "height": size[1], "megapixels": PHOTO_MAX_PIXELS // 10**6},
    )


def _open(file) -> Image.Image:
    file.seek(0)
    try:
        image = Image.open(file, formats=PHOTO_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses (or, where warnings are errors, warns about) huge headers itself.
        raise ValidationError(_("The image has too many pixels."), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _not_an_image() from None
    width, height = image.size
    if width < 1 or height < 1 or width * height > PHOTO_MAX_PIXELS:
        image.close()
        raise _too_many_pixels(image.size)
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB pixels in sRGB; transparency is flattened onto white (JPEG has no alpha)."""
    icc = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    elif image.mode not in ("RGB", "CMYK"):
        image = image.convert("RGB")
    if icc and ImageCms is not None:
        # Phone photos are often Display P3; without conversion they look dull once the
        # profile is dropped with the rest of the metadata.
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError, TypeError):
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            image = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
    return image if image.mode == "RGB" else image.convert("RGB")


def _encode(image: Image.Image) -> bytes:
    # A brand-new image carries no ``info``: nothing of the original's metadata can leak
    # into the encoder (EXIF, XMP, ICC, comments).
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=PHOTO_JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def photo_image_prepare(*, file) -> PreparedPhoto:
    """Decode an uploaded file safely and re-encode it as a metadata-free JPEG of at most
    ``PHOTO_MAX_SIDE`` px with a ``PHOTO_THUMB_SIDE`` px thumbnail; ValidationError if it is
    not an acceptable image."""
    size = getattr(file, "size", None)
    if size is not None and size > _max_bytes():
        raise ValidationError(
            _("The file is larger than %(mb)s MB."),
            code="file_too_large",
            params={"mb": _max_bytes() // (1024 * 1024)},
        )
    # verify() checks the file's structure without decoding all of it, and leaves the image
    # unusable, hence the second open.
    with _open(file) as probe:
        try:
            probe.verify()
        except Exception:  # Pillow raises many types for corrupt data
            raise _not_an_image() from None
    with _open(file) as image:
        try:
            # JPEG can decode at 1/2, 1/4, 1/8 scale: a 48 Mpx photo never fills memory.
            image.draft("RGB", (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = _to_srgb(upright)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(image.size) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise _not_an_image() from None
    rgb.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = rgb.copy()
    thumb.thumbnail((PHOTO_THUMB_SIDE, PHOTO_THUMB_SIDE), Image.Resampling.LANCZOS)
    return PreparedPhoto(
        image=_encode(rgb), thumbnail=_encode(thumb), width=rgb.width, height=rgb.height
    )


def photo_files_write(*, photo: Photo, prepared: PreparedPhoto) -> None:
    """Write a prepared photo's files to storage under fresh random names (never the
    uploader's file name) and set the photo's file and size fields; does not save it."""
    name = f"{uuid.uuid4().hex}.jpg"
    photo.image.save(name, ContentFile(prepared.image), save=False)
    photo.thumbnail.save(name, ContentFile(prepared.thumbnail), save=False)
    photo.width = prepared.width
    photo.height = prepared.height


def _files_delete(photo: Photo) -> None:
    for field in (photo.image, photo.thumbnail):
        if field.name:
            field.storage.delete(field.name)


def photo_add(
    *,
    record: RegistryRecord,
    file,
    caption: str = "",
    alt_text: str,
    user=None,
    author: str = "",
    licence: str = "",
    state: str = PhotoState.STAGED,
) -> Photo:
    """Store an upload for a saved registry record, after it passes ``photo_image_prepare``:
    *staged* (shown to staff only), after the record's existing photos. A change of the
    record's photos (``layers.editing.parts``) attaches it, through review when the record
    is published. Evidence of a checklist answer is stored as such (``state``) instead."""
    errors: dict[str, list] = {}
    prepared = None
    try:
        prepared = photo_image_prepare(file=file)
    except ValidationError as error:
        errors["image"] = error.error_list
    return photo_add_prepared(
        record=record,
        prepared=prepared,
        caption=caption,
        alt_text=alt_text,
        user=user,
        author=author,
        licence=licence,
        errors=errors,
        state=state,
    )


def photo_add_prepared(
    *,
    record: RegistryRecord,
    prepared: PreparedPhoto | None,
    alt_text: str,
    caption: str = "",
    user=None,
    author: str = "",
    licence: str = "",
    position: int | None = None,
    errors: dict | None = None,
    state: str = PhotoState.STAGED,
) -> Photo:
    """``photo_add`` for an image already prepared (the admin prepares it while checking
    its form)."""
    if not isinstance(record, RegistryRecord) or record.pk is None:
        raise ValueError("photo_add needs a saved registry record")
    photo = Photo(
        record=record,
        caption=caption or "",
        alt_text=alt_text or "",
        author=author or "",
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        state=state,
    )
    if licence:
        photo.licence = licence
    errors = dict(errors or {})
    try:
        photo.full_clean(exclude=["image", "thumbnail", "width", "height", "position"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors or prepared is None:
        raise ValidationError(errors or {"image": _("Choose an image file.")})

    with transaction.atomic():
        if position is None:
            last = Photo.objects.filter(
                content_type=photo.content_type, object_id=photo.object_id
            ).aggregate(last=models.Max("position"))["last"]
            position = 0 if last is None else last + 1
        photo.position = position
        photo_files_write(photo=photo, prepared=prepared)
        try:
            photo.full_clean()
            photo.save()
        except Exception:
            _files_delete(photo)
            raise
    return photo


def photo_delete(*, photo: Photo) -> None:
    """Delete a photo; its files go once the deletion is committed."""
    with transaction.atomic():
        photo.delete()
        transaction.on_commit(lambda: _files_delete(photo))


def photos_staged_purge(*, older_than: datetime.timedelta) -> int:
    """Delete the staged photos uploaded more than ``older_than`` ago that no change waiting
    for review lists (their change was rejected or withdrawn, or the save that uploaded them
    was refused); their files go once the deletion is committed. How many were deleted."""
    from layers.editing.models import ChangeRequest, ChangeState

    waiting = set()
    pending = ChangeRequest.objects.filter(state=ChangeState.PENDING, payload__has_key="parts")
    for payload in pending.values_list("payload", flat=True).iterator():
        for item in (payload.get("parts") or {}).get("photos") or []:
            if isinstance(item, dict) and isinstance(item.get("id"), int):
                waiting.add(item["id"])
    cutoff = timezone.now() - older_than
    stale = Photo.objects.filter(state=PhotoState.STAGED, uploaded_at__lt=cutoff).exclude(
        pk__in=waiting
    )
    count = 0
    for photo in stale.iterator():
        photo_delete(photo=photo)
        count += 1
    return count
