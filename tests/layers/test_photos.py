import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

import layers.admin.heritage  # noqa: F401  (registered before the admin URLs are first built)
from layers.hromada import hromada_profile
from layers.models.heritage import HeritageObject, ProtectionZone
from layers.models.photos import Photo
from layers.models.waste import WasteSite
from layers.services.photos import (
    PHOTO_MAX_SIDE,
    PHOTO_THUMB_SIDE,
    photo_add,
    photo_delete,
)

pytestmark = pytest.mark.django_db


def _centre() -> Point:
    lat, lon = hromada_profile().map_center
    return Point(lon, lat, srid=4326)


def _square() -> MultiPolygon:
    x, y = _centre().coords
    ring = ((x, y), (x + 0.002, y), (x + 0.002, y + 0.002), (x, y + 0.002), (x, y))
    return MultiPolygon(Polygon(ring), srid=4326)


RECORD_FACTORIES = {
    "heritage": lambda: HeritageObject.objects.create(
        name="Свято-Покровська церква",
        geom=_centre(),
        types=["architecture"],
        significance="local",
    ),
    "protection-zones": lambda: ProtectionZone.objects.create(name="Зона", geom=_square()),
    "waste-sites": lambda: WasteSite.objects.create(name="Майданчик", geom=_centre()),
}


@pytest.fixture
def record():
    return RECORD_FACTORIES["heritage"]()


def jpeg_with_gps(size=(300, 200)) -> bytes:
    """A JPEG as a phone writes it: EXIF with GPS position, camera make, orientation 6
    (the pixels must be turned 90° clockwise to stand upright)."""
    image = Image.new("RGB", size, "red")
    image.paste((0, 0, 255), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "SecretPhoneMaker"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (49.0, 25.0, 17.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (26.0, 59.0, 47.0),
        }
    )
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"home address")
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def upload(content: bytes, name: str = "IMG_0001.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def media_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def test_gps_and_all_other_metadata_are_removed_and_orientation_applied(record, admin_user):
    source = jpeg_with_gps()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    photo = photo_add(
        record=record,
        file=upload(source),
        caption="Фасад",
        alt_text="Червоно-синій фасад церкви",
        user=admin_user,
    )

    stored = Path(photo.image.path).read_bytes()
    for needle in (b"Exif", b"SecretPhoneMaker", b"home address", b"GPS"):
        assert needle not in stored
    with Image.open(photo.image.path) as image:
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0
        assert "exif" not in image.info and "comment" not in image.info
        # Orientation 6 applied: the 300 x 200 landscape pixels now stand 200 x 300, blue on top.
        assert image.size == (200, 300) == (photo.width, photo.height)
        r, _g, b = image.convert("RGB").getpixel((100, 30))
        assert b > 200 and r < 60
    with Image.open(photo.thumbnail.path) as thumb:
        assert len(thumb.getexif()) == 0
    assert not photo.image.name.endswith("IMG_0001.jpg")  # never the uploader's file name
    assert photo.uploaded_by == admin_user
    assert list(record.photos.all()) == [photo]


def test_large_photo_is_capped_and_gets_a_thumbnail(record):
    out = io.BytesIO()
    Image.new("RGB", (3000, 1500), "green").save(out, "PNG")
    photo = photo_add(record=record, file=upload(out.getvalue(), "big.png"), alt_text="Зелень")
    assert (photo.width, photo.height) == (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE // 2)
    with Image.open(photo.thumbnail.path) as thumb:
        assert thumb.size == (PHOTO_THUMB_SIDE, PHOTO_THUMB_SIDE // 2)


def test_transparent_png_becomes_a_jpeg_on_white(record):
    out = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 0, 0)).save(out, "PNG")
    photo = photo_add(record=record, file=upload(out.getvalue(), "logo.png"), alt_text="Логотип")
    with Image.open(photo.image.path) as image:
        assert image.mode == "RGB"
        assert image.getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"just some text, not a photo\n" * 10, "not_an_image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not_an_image"),
        (jpeg_with_gps()[:400], "not_an_image"),  # truncated
        (png_header(100_000, 100_000), "too_many_pixels"),  # beyond Pillow's own bomb limit
        (png_header(10_000, 10_000), "too_many_pixels"),  # Pillow warns, we refuse
        (png_header(9000, 7000), "too_many_pixels"),  # 63 Mpx: beyond ours
    ],
    ids=["text-named-jpg", "svg", "truncated-jpeg", "bomb", "100-megapixels", "63-megapixels"],
)
def test_unacceptable_uploads_are_refused_and_nothing_is_stored(record, content, code):
    before = media_files()
    with pytest.raises(ValidationError) as excinfo:
        photo_add(record=record, file=upload(content), alt_text="Фото")
    assert [e.code for e in excinfo.value.error_dict["image"]] == [code]
    assert not Photo.objects.exists()
    assert media_files() == before


def test_gif_is_not_an_accepted_format(record):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(ValidationError):
        photo_add(record=record, file=upload(out.getvalue(), "a.gif"), alt_text="GIF")


def test_alt_text_is_required(record):
    with pytest.raises(ValidationError) as excinfo:
        photo_add(record=record, file=upload(jpeg_with_gps()), alt_text="   ")
    assert "alt_text" in excinfo.value.error_dict
    assert not Photo.objects.exists()


def test_oversized_file_is_refused_before_decoding(record, settings):
    settings.GEOPORTAL_PHOTO_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as excinfo:
        photo_add(record=record, file=upload(b"\xff" * 2000), alt_text="Фото")
    assert [e.code for e in excinfo.value.error_dict["image"]] == ["file_too_large"]


@pytest.mark.parametrize("registry", sorted(RECORD_FACTORIES))
def test_photos_attach_to_any_registry_record_in_order(registry):
    target = RECORD_FACTORIES[registry]()
    first = photo_add(record=target, file=upload(jpeg_with_gps()), alt_text="Перше")
    second = photo_add(record=target, file=upload(jpeg_with_gps()), alt_text="Друге")
    assert (first.position, second.position) == (0, 1)
    assert list(target.photos.all()) == [first, second]
    assert first.record == target


def test_unsaved_record_is_a_programming_error():
    with pytest.raises(ValueError):
        photo_add(record=WasteSite(geom=_centre()), file=upload(b""), alt_text="x")


def test_delete_removes_the_files(record, django_capture_on_commit_callbacks):
    photo = photo_add(record=record, file=upload(jpeg_with_gps()), alt_text="Фото")
    paths = [Path(photo.image.path), Path(photo.thumbnail.path)]
    with django_capture_on_commit_callbacks(execute=True):
        photo_delete(photo=photo)
    assert not any(p.exists() for p in paths)
    assert not Photo.objects.exists()


def _heritage_form(obj: HeritageObject, **extra) -> dict:
    prefix = "layers-photo-content_type-object_id"
    data = {
        "name": obj.name,
        "address": "",
        "geom": obj.geom.json,
        "types": ["architecture"],
        "significance": "local",
        "protection_number": "",
        "dating": "",
        "year_from": "",
        "year_to": "",
        "listing_body": "",
        "listing_date": "",
        "listing_number": "",
        "condition": "",
        "owner": "",
        "user": "",
        "description": "",
        "wikipedia_url": "",
        "wikidata_id": "",
        "verified_on": "",
        "source": "",
        "notes": "",
        "base_version": obj.version,
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-alt_text": "Фасад церкви",
        f"{prefix}-0-caption": "",
        f"{prefix}-0-author": "",
        f"{prefix}-0-licence": "CC-BY-4.0",
        f"{prefix}-0-position": "0",
    }
    data.update({f"{prefix}-0-{key}": value for key, value in extra.items()})
    return data


def test_admin_upload_is_re_encoded_too(admin_client, record):
    url = f"/admin/layers/heritageobject/{record.pk}/change/"
    response = admin_client.post(url, _heritage_form(record, upload=upload(jpeg_with_gps())))
    assert response.status_code == 302
    photo = record.photos.get()
    assert b"SecretPhoneMaker" not in Path(photo.image.path).read_bytes()
    assert photo.thumbnail and photo.uploaded_by is not None


def test_admin_refuses_a_text_file_beside_the_row(admin_client, record):
    url = f"/en/admin/layers/heritageobject/{record.pk}/change/"
    response = admin_client.post(url, _heritage_form(record, upload=upload(b"not an image")))
    assert response.status_code == 200
    assert "not a JPEG, PNG or WebP image" in response.text
    assert not Photo.objects.exists()
