"""The forms of reports: what a resident fills, and what staff answer with. The services
check everything again; these give the page its labels, hints and errors."""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from reports.models import ALERT_RADIUS_MAX_M, COMMENT_MAX_CHARS, DESCRIPTION_MAX_CHARS
from reports.selectors import categories_active, followable_settlements
from reports.services.handling import ANSWER_STATES


def _category_choices():
    choices = [("", _("Choose…"))]
    for category in categories_active():
        choices.append((category.code, category.title))
    return choices


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=_("What is the problem?"), choices=())
    description = forms.CharField(
        label=_("Describe it"),
        help_text=_("What is wrong and where exactly (entrance, floor, side of the street)."),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": DESCRIPTION_MAX_CHARS}),
        max_length=DESCRIPTION_MAX_CHARS,
    )
    lat = forms.FloatField(
        label=_("Latitude"), min_value=-90, max_value=90, widget=forms.NumberInput({"step": "any"})
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput({"step": "any"}),
    )
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=200,
        help_text=_("Never shown in public."),
        widget=forms.TextInput({"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        required=False,
        help_text=_(
            "Never shown in public. We send the confirmation link and every answer to it; "
            "some categories accept a report without it."
        ),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    # The honeypot: hidden from people and from screen readers (see the template).
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    record_registry = forms.CharField(required=False, widget=forms.HiddenInput)
    record_public_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()


class AnswerForm(forms.Form):
    state = forms.ChoiceField(label=_("New state"), choices=())
    comment = forms.CharField(
        label=_("Public comment"),
        help_text=_("Shown on the report's page and mailed to the reporter and followers."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=COMMENT_MAX_CHARS,
    )
    duplicate_of = forms.IntegerField(
        label=_("Original report number (for a duplicate)"), required=False, min_value=1
    )

    def __init__(self, *args, current_state: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        from reports.models import ReportState

        self.fields["state"].choices = [
            (value, label) for value, label in ReportState.choices if value in ANSWER_STATES
        ]


class ModerationForm(forms.Form):
    description = forms.CharField(
        label=_("Text shown in public"),
        help_text=_("Take out names, phone numbers and other personal data before publishing."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=DESCRIPTION_MAX_CHARS,
    )


class AreaAlertForm(forms.Form):
    """An area to follow: a settlement of the hromada, or else a circle (centre, radius)."""

    email = forms.EmailField(label=_("Your email address"), widget=forms.EmailInput)
    settlement = forms.ChoiceField(
        label=_("A settlement"),
        required=False,
        help_text=_("Or leave it empty and choose a circle below."),
    )
    lat = forms.FloatField(
        label=_("Latitude"), required=False, widget=forms.NumberInput({"step": "any"})
    )
    lon = forms.FloatField(
        label=_("Longitude"), required=False, widget=forms.NumberInput({"step": "any"})
    )
    radius_m = forms.IntegerField(
        label=_("Radius, metres"),
        min_value=50,
        max_value=ALERT_RADIUS_MAX_M,
        initial=500,
        required=False,
    )
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        english = translation.get_language() == "en"
        self.fields["settlement"].choices = [("", "—")] + [
            (s.key, s.name_en if english else s.name_uk)
            for s in followable_settlements().order_by("name_uk")
        ]

    def clean(self):
        data = super().clean()
        if not data.get("settlement"):
            for name in ("lat", "lon", "radius_m"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Choose a settlement, or give the centre and radius."))
        return data


class FollowForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), widget=forms.EmailInput)
    website = forms.CharField(required=False, label=_("Leave this field empty"))
