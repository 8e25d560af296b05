"""Forms of the campaign pages. A checklist section is one form: per criterion a choice of
answer (radio buttons in a fieldset whose legend is the criterion), a note and a photo."""

from django import forms
from django.utils.translation import gettext_lazy as _

from layers.campaigns.checklist import SectionState
from layers.models.campaigns import NOTE_MAX_LENGTH
from layers.rules.accessibility import Answer


class SectionForm(forms.Form):
    filled_by = forms.CharField(
        label=_("Responsible person (name and position)"), max_length=300, required=False
    )

    def __init__(self, *args, section: SectionState, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        for state in section.criteria:
            key = state.key
            self.fields[f"answer_{key}"] = forms.ChoiceField(
                label=state.criterion.text,
                choices=Answer.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=state.answer or None,
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("Note (what is there, what is missing)"),
                max_length=NOTE_MAX_LENGTH,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=state.note,
            )
            self.fields[f"photo_{key}"] = forms.ImageField(
                label=_("Photo as evidence"), required=False
            )

    def rows(self):
        """(criterion state, answer field, note field, photo field) for the template."""
        return [
            (
                state,
                self[f"answer_{state.key}"],
                self[f"note_{state.key}"],
                self[f"photo_{state.key}"],
            )
            for state in self.section.criteria
        ]

    def answers(self) -> dict[str, str]:
        return {
            s.key: self.cleaned_data.get(f"answer_{s.key}") or "" for s in self.section.criteria
        }

    def notes(self) -> dict[str, str]:
        return {s.key: self.cleaned_data.get(f"note_{s.key}") or "" for s in self.section.criteria}

    def uploads(self) -> dict:
        return {
            s.key: self.cleaned_data[f"photo_{s.key}"]
            for s in self.section.criteria
            if self.cleaned_data.get(f"photo_{s.key}")
        }


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the owner"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return the checklist: say what to correct."),
    )


class CampaignForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2021, max_value=2100)
    starts_on = forms.DateField(
        label=_("Starts on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: 1 June, as the procedure sets."),
    )
    ends_on = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: 31 August, as the procedure sets."),
    )


class StewardshipRequestForm(forms.Form):
    organisation = forms.CharField(
        label=_("Owner or balance holder you answer for"), max_length=300
    )
    request_note = forms.CharField(
        label=_("Who you are and why you answer for this object"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StewardshipGrantForm(forms.Form):
    person = forms.CharField(
        label=_("User name or email of the owner's account"),
        max_length=254,
        help_text=_("An email without an account invites the person: they set a password."),
    )
    accessible_object = forms.UUIDField(
        label=_("Public id of the object"),
        help_text=_("As in the object's address on the portal."),
    )
    organisation = forms.CharField(label=_("Owner or balance holder"), max_length=300)


class StewardshipDecisionForm(forms.Form):
    decision_comment = forms.CharField(
        label=_("Comment"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
