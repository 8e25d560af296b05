"""A resident's report: checked whole before anything is stored (honeypot, rate limits,
category, place inside the hromada, text and photo caps, every photo through the portal's
one photo pipeline), then confirmed by an emailed link unless the address is already known
or the category allows anonymous reports and none was given."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layers.geometry import geometry_validate
from layers.models.boundary import geometry_inside_hromada
from layers.registry import registry_get
from layers.selectors.public import registry_public_queryset
from layers.services.photos import photo_image_prepare
from reports import notify
from reports.limits import client_hash, honeypot_check, report_limits_check
from reports.models import (
    DESCRIPTION_MAX_CHARS,
    Moderation,
    Report,
    ReportCategory,
    ReportPhoto,
    ReportState,
)
from reports.tokens import CONFIRM_REPORT, BadToken, token_read

PHOTOS_MAX = 3
NAME_MAX_CHARS = 200


@dataclass(frozen=True)
class RecordLink:
    registry: str
    public_id: str


def _category(code: str) -> ReportCategory:
    category = ReportCategory.objects.filter(code=code, active=True).first()
    if category is None:
        raise ValidationError({"category": _("Choose a category.")})
    return category


def _place(geom) -> object:
    try:
        point = geometry_validate(geom, types=("Point",))
        return geometry_inside_hromada(point)
    except ValidationError as error:
        raise ValidationError({"geom": error.messages}) from None


def _linked_record(category: ReportCategory, link: RecordLink | None):
    """The published record a report from its page names, in the category's registry."""
    if link is None:
        return None
    if link.registry != category.registry:
        raise ValidationError(
            {"category": _("This category is not about the record the report is about.")}
        )
    registry = registry_get(link.registry)
    try:
        record = registry_public_queryset(registry).filter(public_id=link.public_id).first()
    except ValidationError:  # not a UUID
        record = None
    if record is None:
        raise ValidationError({"record": _("The record the report is about was not found.")})
    return record


def _known_email(email: str) -> bool:
    """An address that confirmed a report before needs no new confirmation."""
    return Report.objects.filter(reporter_email__iexact=email, confirmed_at__isnull=False).exists()


def report_submit(
    *,
    category_code: str,
    geom,
    description: str,
    name: str = "",
    email: str = "",
    photos=(),
    language: str = "",
    address: str = "",
    honeypot: str = "",
    record: RecordLink | None = None,
) -> Report:
    """Store a report (and mail its confirmation link or its receipt), or raise: ``Refused``
    for the honeypot and the rate limits, ``ValidationError`` (field → messages) for the
    rest. Nothing is stored when anything is refused."""
    honeypot_check(honeypot)
    email = (email or "").strip()
    address_hash = client_hash(address)
    report_limits_check(address_hash=address_hash, email=email)
    errors: dict[str, list] = {}

    def collect(step):
        try:
            return step()
        except ValidationError as error:
            found = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for key, messages in found.items():
                errors.setdefault(key, []).extend(messages)
            return None

    category = collect(lambda: _category(category_code))
    point = collect(lambda: _place(geom))
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Describe the problem.")]
    elif len(description) > DESCRIPTION_MAX_CHARS:
        errors["description"] = [
            _("The description has %(count)s characters; at most %(max)s.")
            % {"count": len(description), "max": DESCRIPTION_MAX_CHARS}
        ]
    name = (name or "").strip()
    if len(name) > NAME_MAX_CHARS:
        errors["name"] = [_("The name is too long.")]
    if email:
        collect(lambda: validate_email(email))
        if "" in errors:
            errors["email"] = [_("Enter a valid email address.")]
            del errors[""]
    elif category is not None and not category.anonymous_allowed:
        errors["email"] = [
            _("This category needs an email address: we send the confirmation link to it.")
        ]
    linked = None
    if category is not None:
        linked = collect(lambda: _linked_record(category, record))
    photos = [photo for photo in photos if photo]
    prepared = []
    if len(photos) > PHOTOS_MAX:
        errors["photos"] = [_("At most %(max)s photos.") % {"max": PHOTOS_MAX}]
    else:
        for photo in photos:
            result = collect(lambda photo=photo: photo_image_prepare(file=photo))
            if result is None and "" in errors:
                errors.setdefault("photos", []).extend(errors.pop(""))
            prepared.append(result)
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    known = bool(email) and _known_email(email)
    report = Report(
        category=category,
        geom=point,
        description=description,
        reporter_name=name,
        reporter_email=email,
        reporter_language=language,
        client_hash=address_hash,
        state=ReportState.CONFIRMED if (known or not email) else ReportState.NEW,
        confirmed_at=now if known else None,
        record_registry=category.registry if linked is not None else "",
        record_public_id=linked.public_id if linked is not None else None,
    )
    report.full_clean()
    stored: list[ReportPhoto] = []
    try:
        with transaction.atomic():
            report.save()
            for position, image in enumerate(prepared):
                stored.append(_photo_store(report, image, position))
            _tell(report)
    except Exception:
        for photo in stored:  # the rows went with the transaction; the files must too
            photo_files_delete(photo)
        raise
    return report


def _tell(report: Report) -> None:
    if report.state == ReportState.NEW:
        notify.confirmation_requested(report)
    else:
        notify.received(report)
        notify.staff_told(report)


def _photo_store(report: Report, prepared, position: int) -> ReportPhoto:
    name = f"{uuid.uuid4().hex}.jpg"
    photo = ReportPhoto(
        report=report, width=prepared.width, height=prepared.height, position=position
    )
    photo.image.save(name, ContentFile(prepared.image), save=False)
    photo.thumbnail.save(name, ContentFile(prepared.thumbnail), save=False)
    photo.save()
    return photo


def photo_files_delete(photo: ReportPhoto) -> None:
    for file in (photo.image, photo.thumbnail):
        if file.name:
            file.storage.delete(file.name)


def report_confirm(*, token: str) -> Report:
    """The reporter followed the emailed link: the report waits for moderation (and its
    registry's staff are told). Following it again changes nothing."""
    try:
        pk = token_read(CONFIRM_REPORT, token)
    except BadToken:
        raise ValidationError(_("The confirmation link is not valid or has expired.")) from None
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=pk).first()
        if report is None:
            raise ValidationError(_("The confirmation link is not valid or has expired."))
        if report.state != ReportState.NEW or report.moderation == Moderation.HIDDEN:
            return report
        report.state = ReportState.CONFIRMED
        report.confirmed_at = timezone.now()
        report.full_clean()
        report.save(update_fields=["state", "confirmed_at", "updated_at"])
        notify.staff_told(report)
    return report


def reports_unconfirmed_purge(*, older_than) -> int:
    """Delete the reports never confirmed whose link has expired (``older_than`` ago): they
    were never public, and their reporter's name and address are kept no longer than the
    link could be used. Their photos' files go once the deletion is committed."""
    cutoff = timezone.now() - older_than
    stale = Report.objects.filter(state=ReportState.NEW, created_at__lt=cutoff)
    photos = list(ReportPhoto.objects.filter(report__in=stale))
    with transaction.atomic():
        _total, deleted = stale.delete()
        transaction.on_commit(lambda: [photo_files_delete(photo) for photo in photos])
    return deleted.get("reports.Report", 0)
