"""The owners' pages (``/barrier-free/``): their objects, the yearly checklist section by
section (saved as they go, resumable on any device), submission, proposals to change the
object's description, and requests to answer for another object."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from layers.campaigns import selectors, services
from layers.campaigns.access import page, user_stewards
from layers.campaigns.checklist import checklist_of
from layers.campaigns.forms import SectionForm, StewardshipRequestForm
from layers.editing import services as editing
from layers.editing.errors import WorkflowError
from layers.editing.forms import record_form_class
from layers.editing.views.common import errors_apply
from layers.models import Status
from layers.models.accessibility import AccessibleObject
from layers.models.campaigns import Campaign, Stewardship, StewardshipState
from layers.models.photos import PhotoState
from layers.registry import registry_get
from layers.services.photos import photo_add


def owner_login_required(view):
    """Owners are not staff: they sign in on the portal's page, not the admin's."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.GEOPORTAL_OWNER_LOGIN_URL)
        return view(request, *args, **kwargs)

    return wrapper


def _owned(request, public_id) -> AccessibleObject:
    """The object if the user answers for it; 404 otherwise (not even that it exists)."""
    obj = AccessibleObject.objects.exclude(status=Status.ARCHIVED).filter(public_id=public_id)
    obj = obj.first()
    if obj is None or not user_stewards(request.user, obj):
        raise Http404("No such object among yours.")
    return obj


def _campaign(year: int) -> Campaign:
    campaign = Campaign.objects.select_related("template").filter(year=year).first()
    if campaign is None:
        raise Http404("No campaign that year.")
    return campaign


@owner_login_required
def owner_home(request):
    today = timezone.localdate()
    campaign = selectors.current_campaign(today)
    objects = [
        (obj, selectors.submission_of(campaign, obj))
        for obj in selectors.owner_objects(request.user)
    ]
    requests = Stewardship.objects.filter(
        user=request.user, state__in=[StewardshipState.REQUESTED, StewardshipState.REFUSED]
    ).select_related("accessible_object")
    return page(
        request,
        "layers/campaigns/owner_home.html",
        {"campaign": campaign, "objects": objects, "requests": requests, "today": today},
    )


@owner_login_required
@require_http_methods(["GET", "POST"])
def checklist_overview(request, public_id, year):
    """The checklist's sections with their progress; starting it, and submitting it."""
    obj = _owned(request, public_id)
    campaign = _campaign(year)
    submission = selectors.submission_of(campaign, obj)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "submit" and submission is not None:
                services.submission_submit(
                    submission=submission,
                    user=request.user,
                    base_version=request.POST.get("version"),
                )
                messages.success(request, _("The checklist was sent to the hromada for review."))
            else:
                submission = services.submission_start(
                    user=request.user,
                    accessible_object=obj,
                    campaign=campaign,
                    from_last_year=request.POST.get("action") == "start_from_last_year",
                )
                return HttpResponseRedirect(_section_url(obj, year, 1))
        except ValidationError as exc:
            return _overview(request, obj, campaign, submission, problems=exc.messages, status=400)
        except WorkflowError as exc:
            return _overview(request, obj, campaign, submission, problems=[str(exc)], status=409)
        return HttpResponseRedirect(request.path)
    return _overview(request, obj, campaign, submission)


def _overview(request, obj, campaign, submission, *, problems=(), status=200):
    return page(
        request,
        "layers/campaigns/checklist_overview.html",
        {
            "obj": obj,
            "campaign": campaign,
            "submission": submission,
            "checklist": checklist_of(submission) if submission else None,
            "problems": problems,
            "assessed_before": obj.assessments.filter(year__lt=campaign.year).exists(),
        },
        status=status,
    )


def _section_url(obj, year, number) -> str:
    return reverse("layers:campaigns:section", args=[obj.public_id, year, number])


@owner_login_required
@require_http_methods(["GET", "POST"])
def checklist_section(request, public_id, year, number):
    obj = _owned(request, public_id)
    campaign = _campaign(year)
    submission = selectors.submission_of(campaign, obj)
    if submission is None:
        return HttpResponseRedirect(
            reverse("layers:campaigns:checklist", args=[obj.public_id, year])
        )
    checklist = checklist_of(submission)
    section = checklist.section(number)
    if section is None:
        raise Http404("No such section.")
    initial = {"filled_by": submission.filled_by}
    if request.method == "GET":
        form = SectionForm(section=section, initial=initial)
        return _section(request, obj, campaign, submission, checklist, form)
    if not submission.editable:
        form = SectionForm(request.POST, section=section, initial=initial)
        form.is_valid()  # a bound, checked form takes a form-wide error
        form.add_error(None, _("The checklist is with the reviewer; it cannot be changed now."))
        return _section(request, obj, campaign, submission, checklist, form, status=409)
    form = SectionForm(request.POST, request.FILES, section=section, initial=initial)
    if form.is_valid():
        try:
            with transaction.atomic():
                photos = {
                    key: photo_add(
                        record=obj,
                        file=upload,
                        alt_text=_("Evidence: %(criterion)s")
                        % {"criterion": _criterion_text(section, key)[:250]},
                        user=request.user,
                        state=PhotoState.EVIDENCE,
                    ).pk
                    for key, upload in form.uploads().items()
                }
                services.submission_save(
                    submission=submission,
                    user=request.user,
                    base_version=request.POST.get("version"),
                    answers=form.answers(),
                    notes=form.notes(),
                    photos=photos,
                    filled_by=form.cleaned_data.get("filled_by"),
                )
        except ValidationError as exc:
            _photo_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            after = request.POST.get("then")
            if after == "next" and checklist.section(number + 1):
                return HttpResponseRedirect(_section_url(obj, year, number + 1))
            if after == "stay":
                return HttpResponseRedirect(request.path)
            return HttpResponseRedirect(
                reverse("layers:campaigns:checklist", args=[obj.public_id, year])
            )
    return _section(request, obj, campaign, submission, checklist, form, status=400)


def _criterion_text(section, key) -> str:
    return next(c.criterion.text for c in section.criteria if c.key == key)


def _photo_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict") and "image" in exc.error_dict:
        form.add_error(None, exc.error_dict["image"])
        return
    errors_apply(form, exc)


def _section(request, obj, campaign, submission, checklist, form, status=200):
    return page(
        request,
        "layers/campaigns/checklist_section.html",
        {
            "obj": obj,
            "campaign": campaign,
            "submission": submission,
            "checklist": checklist,
            "section": form.section,
            "form": form,
            "next": checklist.section(form.section.number + 1),
            "previous": checklist.section(form.section.number - 1),
        },
        status=status,
    )


@owner_login_required
@require_http_methods(["GET", "POST"])
def describe(request, public_id):
    """Propose changes to the object's description (its entrance, door, toilet…): a
    change request that the hromada's reviewer decides, as every other change."""
    obj = _owned(request, public_id)
    registry = registry_get("accessibility")
    form_class = record_form_class(registry)
    keep = (*registry.steward_fields, "base_version", "comment")
    if request.method == "POST":
        form = form_class(request.POST, instance=registry.objects().get(pk=obj.pk))
    else:
        form = form_class(instance=obj, initial={"base_version": obj.version})
    form.fields = {name: f for name, f in form.fields.items() if name in keep}
    if request.method == "POST" and form.is_valid():
        values = form.editable_values()
        if not values:
            form.add_error(None, _("Nothing was changed."))
        else:
            try:
                editing.record_update(
                    registry=registry,
                    record=obj,
                    user=request.user,
                    values=values,
                    base_version=form.cleaned_data.get("base_version"),
                    comment=form.cleaned_data.get("comment", ""),
                )
            except ValidationError as exc:
                errors_apply(form, exc)
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Your proposal was sent to the hromada; the map shows it once approved."),
                )
                return HttpResponseRedirect(reverse("layers:campaigns:home"))
    status = 400 if request.method == "POST" else 200
    return page(
        request, "layers/campaigns/describe.html", {"obj": obj, "form": form}, status=status
    )


@owner_login_required
def request_search(request):
    """Find an object on the public map to ask to answer for."""
    query = request.GET.get("q", "").strip()[:200]
    found = []
    if len(query) >= 2:
        found = AccessibleObject.objects.filter(status=Status.PUBLISHED).filter(
            Q(name__icontains=query) | Q(address__icontains=query)
        )[:20]
    return page(
        request,
        "layers/campaigns/request_search.html",
        {"query": query, "found": found, "form": StewardshipRequestForm()},
    )


@owner_login_required
@require_POST
def request_object(request, public_id):
    obj = get_object_or_404(AccessibleObject, public_id=public_id, status=Status.PUBLISHED)
    form = StewardshipRequestForm(request.POST)
    if form.is_valid():
        try:
            services.stewardship_request(
                user=request.user,
                accessible_object=obj,
                organisation=form.cleaned_data["organisation"],
                note=form.cleaned_data["request_note"],
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your request was sent to the hromada."))
            return HttpResponseRedirect(reverse("layers:campaigns:home"))
    return page(
        request,
        "layers/campaigns/request_search.html",
        {"query": "", "found": [obj], "form": form, "chosen": obj},
        status=400,
    )
