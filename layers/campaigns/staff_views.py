"""The hromada's campaign pages (``/barrier-free/campaigns/``, ``/barrier-free/owners/``):
open a year, follow it on the dashboard, review checklists side by side with last year's
answers, download the summary, decide on owners."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from layers.campaigns import selectors, services
from layers.campaigns.access import page, user_runs_campaign, user_sees_campaign
from layers.campaigns.checklist import checklist_of, submission_steps
from layers.campaigns.forms import (
    CampaignForm,
    DecisionForm,
    StewardshipDecisionForm,
    StewardshipGrantForm,
)
from layers.editing.errors import WorkflowError
from layers.editing.views.common import errors_apply
from layers.models.accessibility import AccessibleObject
from layers.models.campaigns import (
    NOTE_MAX_LENGTH,
    Campaign,
    ChecklistSubmission,
    Stewardship,
    StewardshipState,
    SubmissionState,
)

ROWS_PER_PAGE = 50


def _staff(request):
    if not user_sees_campaign(request.user):
        raise PermissionDenied


def _campaign(year) -> Campaign:
    campaign = Campaign.objects.select_related("template").filter(year=year).first()
    if campaign is None:
        raise Http404("No campaign that year.")
    return campaign


@login_required
@require_http_methods(["GET", "POST"])
def campaign_list(request):
    _staff(request)
    form = CampaignForm(request.POST or None, initial={"year": timezone.localdate().year})
    status = 200
    if request.method == "POST":
        if not user_runs_campaign(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                campaign = services.campaign_open(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(request, _("The campaign is open."))
                return HttpResponseRedirect(
                    reverse("layers:campaigns:dashboard", args=[campaign.year])
                )
        status = 400
    return page(
        request,
        "layers/campaigns/campaign_list.html",
        {
            "campaigns": Campaign.objects.select_related("template"),
            "form": form,
            "can_run": user_runs_campaign(request.user),
        },
        status=status,
    )


@login_required
def dashboard(request, year):
    _staff(request)
    campaign = _campaign(year)
    board = selectors.campaign_dashboard(campaign, today=timezone.localdate())
    shown = request.GET.get("progress", "")
    rows = board.rows
    if shown == selectors.OVERDUE:
        rows = [row for row in rows if row.overdue]
    elif shown in selectors.PROGRESS:
        rows = [row for row in rows if row.progress == shown]
    else:
        shown = ""
    rows = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return page(
        request,
        "layers/campaigns/dashboard.html",
        {
            "campaign": campaign,
            "board": board,
            "rows": rows,
            "shown": shown,
            "progress": selectors.PROGRESS,
            "summary": selectors.campaign_summary(campaign),
            "statuses": selectors.STATUSES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, year, submission_id):
    """A submitted checklist beside last year's answers, with its evidence; accept it or
    return it with a comment."""
    _staff(request)
    campaign = _campaign(year)
    submission = get_object_or_404(
        ChecklistSubmission.objects.select_related("accessible_object", "started_by"),
        pk=submission_id,
        campaign=campaign,
    )
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not user_runs_campaign(request.user):
            raise PermissionDenied
        if form.is_valid():
            decision = request.POST.get("decision")
            comment = form.cleaned_data["comment"]
            try:
                if decision == "accept":
                    services.submission_accept(
                        submission=submission, user=request.user, comment=comment
                    )
                    messages.success(request, _("Accepted: the object's rating is updated."))
                elif decision == "return":
                    services.submission_return(
                        submission=submission, user=request.user, comment=comment
                    )
                    messages.success(request, _("Returned to the owner."))
                else:
                    form.add_error(None, _("Choose to accept or to return the checklist."))
            except ValidationError as exc:
                form.add_error("comment", exc.messages)
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            if not form.errors:
                return HttpResponseRedirect(reverse("layers:campaigns:dashboard", args=[year]))
        status = 400
    return page(
        request,
        "layers/campaigns/review.html",
        {
            "campaign": campaign,
            "submission": submission,
            "checklist": checklist_of(submission),
            "form": form,
            "can_decide": user_runs_campaign(request.user)
            and submission.state == SubmissionState.SUBMITTED,
            "history": submission_steps(submission),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def owners(request):
    """Requests to answer for an object, the active owners, and granting one."""
    _staff(request)
    form = StewardshipGrantForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not user_runs_campaign(request.user):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            person = (
                get_user_model()
                .objects.filter(Q(username=data["person"]) | Q(email__iexact=data["person"]))
                .filter(is_active=True)
                .first()
            )
            obj = AccessibleObject.objects.filter(public_id=data["accessible_object"]).first()
            invite = person is None and "@" in data["person"]
            if person is None and not invite:
                form.add_error(
                    "person",
                    _("There is no active account with that name; give an email to invite one."),
                )
            if obj is None:
                form.add_error("accessible_object", _("There is no such object."))
            if (person or invite) and obj:
                try:
                    if invite:
                        person = services.owner_account_invite(
                            user=request.user, email=data["person"]
                        )
                    services.stewardship_grant(
                        user=request.user,
                        person=person,
                        accessible_object=obj,
                        organisation=data["organisation"],
                    )
                except ValidationError as exc:
                    errors_apply(form, exc)
                else:
                    messages.success(
                        request,
                        _(
                            "Invited: a link to set a password was mailed to %(email)s; then "
                            "they can fill the object's checklist."
                        )
                        % {"email": person.email}
                        if invite
                        else _("The owner can now fill the object's checklist."),
                    )
                    return HttpResponseRedirect(request.path)
        status = 400
    stewardships = Stewardship.objects.select_related("user", "accessible_object")
    return page(
        request,
        "layers/campaigns/owners.html",
        {
            "form": form,
            "requested": stewardships.filter(state=StewardshipState.REQUESTED),
            "active": stewardships.filter(state=StewardshipState.ACTIVE),
            "decision_form": StewardshipDecisionForm(),
            "can_run": user_runs_campaign(request.user),
        },
        status=status,
    )


@login_required
@require_POST
def owner_decide(request, stewardship_id):
    if not user_runs_campaign(request.user):
        raise PermissionDenied
    stewardship = get_object_or_404(Stewardship, pk=stewardship_id)
    comment = request.POST.get("decision_comment", "")[:NOTE_MAX_LENGTH]
    decision = request.POST.get("decision")
    try:
        if decision in ("approve", "refuse"):
            services.stewardship_decide(
                stewardship=stewardship,
                user=request.user,
                approve=decision == "approve",
                comment=comment,
            )
        elif decision == "end":
            services.stewardship_end(stewardship=stewardship, user=request.user, comment=comment)
        else:
            raise ValidationError(_("Choose a decision."))
    except (ValidationError, WorkflowError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
    else:
        messages.success(request, _("Saved."))
    return HttpResponseRedirect(reverse("layers:campaigns:owners"))
