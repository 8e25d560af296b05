"""A world for citizen reports: the categories loaded from their file, the staff of the
accessibility registry with their mail addresses, a published accessible object."""

import io
from types import SimpleNamespace

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from layers.hromada import hromada_profile
from reports.services.categories import categories_load
from tests.campaigns.conftest import object_create
from tests.editing.conftest import actors_create

REPORTER = "Олена Петренко"
REPORTER_EMAIL = "olena.reporter@example.org"


def centre() -> Point:
    lat, lon = hromada_profile().map_center
    return Point(lon, lat, srid=4326)


def photo_upload(name: str = "IMG_0001.jpg", size=(320, 240)) -> SimpleUploadedFile:
    """A phone photo with its GPS position in EXIF (the pipeline must drop it)."""
    image = Image.new("RGB", size, "orange")
    exif = Image.Exif()
    exif[0x8825] = {2: (49.0, 25.0, 0.0), 4: (26.0, 59.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def world_create() -> SimpleNamespace:
    call_command("load_boundary", verbosity=0)
    categories_load()
    actors = actors_create()
    for user in (actors.editor, actors.reviewer, actors.administrator):
        user.email = f"{user.username}@example.org"
        user.save()
    ramp = object_create(actors, "Поліклініка № 1", ramp_present=True)
    return SimpleNamespace(actors=actors, ramp=ramp)


@pytest.fixture
def world(db):
    return world_create()


def public_report(world, *, category="tree-fallen", state="confirmed", description="", **kw):
    """A report made public (confirmed, published) and answered into ``state``, with the
    reporter's name and email set (they must never show)."""
    from django.test import override_settings

    from reports.models import Report, ReportState
    from reports.services.handling import report_answer, report_moderate
    from reports.services.submit import report_submit

    # The same reporter many times: past the hourly limit of one address (a test's world).
    with override_settings(GEOPORTAL_REPORTS_PER_EMAIL_HOUR=1000):
        report = report_submit(
            category_code=category,
            geom=kw.pop("geom", None) or centre(),
            description=description or f"Проблема: {category}",
            name=REPORTER,
            email=REPORTER_EMAIL,
            **kw,
        )
    Report.objects.filter(pk=report.pk).update(state=ReportState.CONFIRMED)
    report.refresh_from_db()
    report_moderate(report=report, user=world.actors.reviewer, publish=True)
    if state != ReportState.CONFIRMED:
        report_answer(
            report=report, user=world.actors.reviewer, state=state, comment=f"Стан: {state}"
        )
    report.refresh_from_db()
    return report


def every_page_report(actors, record):
    """For tests/browser/test_every_page.py: a published report about ``record`` (an
    accessible object), answered once, with a photo."""
    from types import SimpleNamespace as World

    from reports.services.submit import RecordLink

    categories_load()
    return public_report(
        World(actors=actors),
        category="accessibility-ramp",
        description="Пандус біля входу зламаний.",
        state="in_progress",
        geom=record.geom,
        photos=[photo_upload()],
        record=RecordLink("accessibility", str(record.public_id)),
    )
