"""The kinds of part the built-in registries declare (``Registry.parts``), and the three
that are more than rows with a foreign key: an assessment with its answers, a photo (whose
file is uploaded before the change that adds it), and links to other records."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from layers.editing.parts import LoggedPart, Part


@dataclass(frozen=True, eq=False)
class AssessmentPart(Part):
    """The yearly assessments of an accessible object, each with its checklist answers
    (``answers``: criterion id → yes / no / not applicable). Its status is derived from the
    answers here, and the object's rating from its latest status by the registry's hook."""

    def item(self, row) -> dict:
        item = super().item(row)
        # .all(): the answers ``rows`` prefetched, not a query per assessment.
        pairs = sorted((answer.criterion_id, answer.answer) for answer in row.answers.all())
        item["answers"] = {str(criterion): answer for criterion, answer in pairs}
        return item

    def rows(self, record):
        return super().rows(record).order_by("-year").prefetch_related("answers")

    def clean_item(self, record, item) -> dict:
        if not isinstance(item, dict):
            return super().clean_item(record, item)
        answers = item.get("answers") or {}
        cleaned = super().clean_item(record, {k: v for k, v in item.items() if k != "answers"})
        cleaned["answers"] = self._answers_clean(record, cleaned["template"], answers)
        return cleaned

    def _answers_clean(self, record, template_id, answers) -> dict[str, str]:
        from layers.models.accessibility import ChecklistCriterion
        from layers.rules.accessibility import Answer

        if not isinstance(answers, dict):
            raise ValidationError({"answers": _("An object of answers is expected.")})
        criteria = set(
            ChecklistCriterion.objects.filter(
                section__template_id=template_id, section__object_group=record.object_group
            ).values_list("pk", flat=True)
        )
        cleaned, errors = {}, []
        for key, answer in answers.items():
            if not str(key).isdigit() or int(key) not in criteria:
                errors.append(_("A criterion is not in this object's checklist."))
            elif answer not in Answer.values:
                errors.append(_("Every answer is “yes”, “no” or “not applicable”."))
            else:
                cleaned[str(int(key))] = answer
        if errors:
            raise ValidationError({"answers": sorted(set(map(str, errors)))})
        return dict(sorted(cleaned.items(), key=lambda pair: int(pair[0])))

    def compared(self, item: dict) -> dict:
        return {**super().compared(item), "answers": item.get("answers") or {}}

    def on_add(self, row, *, user) -> None:
        if getattr(user, "is_authenticated", False):
            row.created_by = user

    def prepare(self, row, item: dict) -> None:
        from layers.models.accessibility import ChecklistCriterion
        from layers.services.accessibility import assessment_status_of

        criticality = dict(
            ChecklistCriterion.objects.filter(pk__in=[int(k) for k in item["answers"]]).values_list(
                "pk", "criticality"
            )
        )
        row.status = assessment_status_of(
            [(answer, criticality[int(key)]) for key, answer in item["answers"].items()]
        )

    def saved(self, row, item: dict) -> None:
        from layers.models.accessibility import AssessmentAnswer

        stored = {str(c): a for c, a in row.answers.values_list("criterion_id", "answer")}
        if stored == item["answers"]:
            return
        row.answers.all().delete()
        AssessmentAnswer.objects.bulk_create(
            AssessmentAnswer(assessment=row, criterion_id=int(key), answer=answer)
            for key, answer in item["answers"].items()
        )

    def details(self, item: dict) -> list:
        details = super().details(item)
        answers = item.get("answers") or {}
        counts = {value: list(answers.values()).count(value) for value in set(answers.values())}
        from layers.rules.accessibility import Answer

        summary = ", ".join(
            f"{Answer(value).label}: {count}" for value, count in sorted(counts.items())
        )
        return [*details, (str(_("answers")), summary or "—")]


@dataclass(frozen=True, eq=False)
class PhotoPart(Part):
    """A record's photos. A file is uploaded first (``layers.services.photos.photo_add``
    stores it *staged*, shown to staff only); a change that lists it attaches it; a change
    that leaves an attached photo out removes it (kept for the history)."""

    def _all(self, record):
        from django.contrib.contenttypes.models import ContentType

        if record.pk is None:
            return self.model.objects.none()
        return self.model.objects.filter(
            content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
        )

    def rows(self, record):
        return self._all(record).shown().order_by("position", "id")

    def shown_value(self, row, name: str):
        return row.thumbnail.name if name == "thumbnail" else super().shown_value(row, name)

    def clean_item(self, record, item) -> dict:
        cleaned = super().clean_item(record, item)
        if cleaned["id"] is None or not self._all(record).filter(pk=cleaned["id"]).exists():
            raise ValidationError(
                {"id": _("Upload the photo first; it is added to the record by its id.")}
            )
        return cleaned

    def write(self, record, items, *, user) -> None:
        from layers.models.photos import PhotoState

        photos = {photo.pk: photo for photo in self._all(record)}
        listed = set()
        for item in items:
            photo = photos[item["id"]]
            for name in self.fields:
                setattr(photo, name, item[name])
            photo.state = PhotoState.ATTACHED
            photo.full_clean()
            photo.save()
            listed.add(photo.pk)
        for photo in photos.values():
            if photo.pk not in listed and photo.state == PhotoState.ATTACHED:
                photo.state = PhotoState.REMOVED
                photo.save(update_fields=["state"])

    def label(self, item: dict) -> str:
        return item.get("caption") or item.get("alt_text") or str(item.get("id"))

    def image_url(self, item: dict) -> str:
        photo = self.model.objects.filter(pk=item.get("id")).first()
        return photo.thumbnail.url if photo is not None and photo.thumbnail else ""


@dataclass(frozen=True, eq=False)
class LinkPart(Part):
    """Links from a record to records of another registry through a many-to-many field
    (``parent``), each item naming the linked record by its public id."""

    def rows(self, record):
        if record.pk is None:
            return self.model.objects.none()
        return getattr(record, self.parent).all().order_by("name", "id")

    def clean_item(self, record, item) -> dict:
        from layers.models import Status

        if not isinstance(item, dict) or set(item) - {self.key, *self.shown}:
            raise ValidationError(_("Each link names one record by its public id."))
        key = item.get(self.key)
        try:
            found = (
                self.model.objects.exclude(status=Status.ARCHIVED).filter(public_id=key).exists()
            )
        except (ValidationError, ValueError, TypeError):
            found = False
        if not found:
            raise ValidationError({self.key: _("There is no such record.")})
        return {self.key: str(key)}

    def write(self, record, items, *, user) -> None:
        linked = self.model.objects.filter(public_id__in=[item[self.key] for item in items])
        getattr(record, self.parent).set(linked)

    def compared(self, item: dict) -> dict:
        return {self.key: item.get(self.key)}

    def label(self, item: dict) -> str:
        return item.get("name") or str(item.get(self.key))

    def details(self, item: dict) -> list:
        return [(str(self.model._meta.verbose_name), self.label(item))]


PHOTO_FIELDS = ("position", "alt_text", "caption", "author", "licence")

PHOTOS = PhotoPart("photos", _("photos"), "layers.Photo", fields=PHOTO_FIELDS, shown=("thumbnail",))
CONTAINERS = Part(
    "containers",
    _("containers"),
    "layers.Container",
    parent="site",
    fields=("fraction", "count", "volume_l", "collection_days"),
)
TREE_LOG = LoggedPart(
    "events",
    _("log entries"),
    "layers.TreeEvent",
    parent="tree",
    fields=("occurred_on", "kind", "act_number", "description"),
    key="public_id",
    shown=("recorded_by",),
)
ASSESSMENTS = AssessmentPart(
    "assessments",
    _("assessments"),
    "layers.Assessment",
    parent="accessible_object",
    fields=("year", "template", "assessed_on", "assessed_by"),
    key="year",
    shown=("status",),
)
ZONE_LINKS = LinkPart(
    "heritage_objects",
    _("protected heritage objects"),
    "layers.HeritageObject",
    parent="heritage_objects",
    key="public_id",
    shown=("name",),
)
