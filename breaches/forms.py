"""Forms for reporting and reviewing breaches: plain English, no blame, every mistake explained."""

from crispy_forms_gds.layout import HTML, Field, Fieldset, Fluid, Size
from django import forms
from django.utils import timezone

from carehub.forms import (
    DateField,
    GovukFormMixin,
    SubmitOnceForm,
    TimeField,
    govuk_helper,
    local_datetime,
    yes_no,
)
from carehub.vocabulary import InformationCategory

from . import grading
from .models import Action, Assessment, Category, Closure, IcoSubmission, PeopleTold


def _when(form, prefix: str, what: str):
    """The aware datetime from a ``<prefix>_on`` date and ``<prefix>_time`` time, or None."""
    day, at = form.cleaned_data.get(f"{prefix}_on"), form.cleaned_data.get(f"{prefix}_time")
    if day is None or at is None:
        return None
    moment = local_datetime(day, at)
    if moment > timezone.now():
        form.add_error(f"{prefix}_on", f"The time {what} cannot be in the future")
        return None
    return moment


class WhatHappenedForm(GovukFormMixin, forms.Form):
    """Page 1 of a report: what happened and when."""

    service = forms.ModelChoiceField(
        label="Which service is this about?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    what_happened = forms.CharField(
        label="What happened?",
        help_text="In your own words. Say what information was involved and how, not who is to "
        "blame: reporting quickly matters more.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    category = forms.ChoiceField(
        label="What kind of breach is it?", choices=Category.choices, widget=forms.RadioSelect
    )
    category_other = forms.CharField(
        label="Describe the kind of breach", required=False, max_length=200
    )
    near_miss = yes_no(
        "Was it a near miss?",
        help_text="A near miss is when information nearly got out but did not, for example an "
        "email stopped before it was sent. Near misses are reported the same way.",
        yes="Yes, a near miss",
        no="No, it happened",
    )
    occurred_on = DateField(label="Date it happened", help_text="Your best estimate if unsure.")
    occurred_time = TimeField(label="Time it happened")
    discovered_on = DateField(label="Date it was discovered")
    discovered_time = TimeField(label="Time it was discovered")

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["service"].error_messages["required"] = "Select the service"
        self.fields["what_happened"].error_messages["required"] = "Describe what happened"
        self.fields["category"].error_messages["required"] = "Select the kind of breach"
        self.helper = govuk_helper(
            self,
            Field.radios("service"),
            Field.textarea("what_happened", rows=5),
            Field.radios("category", legend_size=Size.MEDIUM),
            Field.text("category_other", field_width=Fluid.TWO_THIRDS),
            Field.radios("near_miss"),
            Fieldset(
                Field("occurred_on"),
                Field.text("occurred_time"),
                legend="When it happened",
                legend_size=Size.SMALL,
            ),
            Fieldset(
                Field("discovered_on"),
                Field.text("discovered_time"),
                legend="When it was discovered",
                legend_size=Size.SMALL,
            ),
            submit="Continue",
        )

    def clean_what_happened(self):
        text = self.cleaned_data["what_happened"].strip()
        if not text:
            raise forms.ValidationError("Describe what happened")
        return text

    def clean(self):
        data = super().clean()
        if data.get("category") == Category.OTHER and not data.get("category_other", "").strip():
            self.add_error("category_other", "Describe the kind of breach")
        occurred = _when(self, "occurred", "it happened")
        discovered = _when(self, "discovered", "it was discovered")
        if occurred and discovered and discovered < occurred:
            self.add_error("discovered_on", "It cannot have been discovered before it happened")
        data["occurred_at"], data["discovered_at"] = occurred, discovered
        return data


class WhoAndWhatForm(GovukFormMixin, forms.Form):
    """Page 2: who is affected, what information, what has been done already."""

    people = forms.ModelMultipleChoiceField(
        label="Which people the service supports are affected?",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select everyone you know of. You can also give a number below.",
    )
    other_people_count = forms.IntegerField(
        label="How many other people are affected?",
        help_text="People not listed above, or everyone if you cannot see the list. 0 if none.",
        min_value=0,
        max_value=100000,
        initial=0,
    )
    information = forms.MultipleChoiceField(
        label="What information is involved?",
        choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    containment = forms.CharField(
        label="What has been done already to contain it?",
        required=False,
        help_text="For example 'asked the recipient to delete the email', 'phone wiped remotely'.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["people"].label_from_instance = lambda person: (
            f"{person.full_name}, born {person.date_of_birth:%-d %B %Y}"
        )
        if not people.exists():
            self.fields["people"].widget = forms.MultipleHiddenInput()
        self.fields["information"].error_messages["required"] = "Select the information involved"
        self.fields["other_people_count"].error_messages.update(
            {
                "required": "Enter how many other people are affected (0 if none)",
                "invalid": "Enter a whole number",
                "min_value": "Enter 0 or more",
            }
        )
        fields = (
            [Field.checkboxes("people", legend_size=Size.MEDIUM)]
            if people.exists()
            else [Field("people")]
        )
        self.helper = govuk_helper(
            self,
            *fields,
            Field.text("other_people_count", field_width=Fluid.ONE_QUARTER),
            Field.checkboxes("information", legend_size=Size.MEDIUM),
            Field.textarea("containment", rows=3),
            submit="Continue",
        )


class SubmitReportForm(SubmitOnceForm):
    """Page 3: check the report and choose whether the reporter's name is shown."""

    confidential = yes_no(
        "Do you want to report through whistleblowing?",
        help_text="If you choose yes, the service's managers will not see your name: only the "
        "administrator acting as nominated officer will. The report is reviewed the same way.",
        yes="Yes, hide my name from the managers",
        no="No, show my name",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            self,
            Field.radios("confidential", legend_size=Size.MEDIUM),
            submit="Submit the report",
        )


class AssessmentForm(SubmitOnceForm, forms.ModelForm):
    likelihood = forms.TypedChoiceField(
        label="How likely is it that people's rights have been affected?",
        choices=[
            (k, f"{k} {v}: {grading.LIKELIHOOD_HINTS[k]}") for k, v in grading.LIKELIHOOD.items()
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    severity = forms.TypedChoiceField(
        label="How severe is the effect on the people concerned?",
        choices=[(k, f"{k} {v}: {grading.SEVERITY_HINTS[k]}") for k, v in grading.SEVERITY.items()],
        coerce=int,
        widget=forms.RadioSelect,
    )
    notify_ico = yes_no(
        "Will you report it to the Information Commissioner's Office (ICO)?",
        help_text="The grading suggests reporting when likelihood is 3 or more and severity 2 or "
        "more. You decide; a decision that differs from the suggestion needs a justification.",
    )
    tell_people = yes_no(
        "Will you tell the people affected?",
        help_text="Required when the risk to them is high (the grading suggests it when severity "
        "is 4 or more and likelihood 3 or more).",
    )

    class Meta:
        model = Assessment
        fields = [
            "likelihood",
            "severity",
            "notify_ico",
            "reasons",
            "departure_justification",
            "tell_people",
            "tell_people_reasons",
        ]
        labels = {
            "reasons": "Reasons for your decision about the ICO",
            "departure_justification": "If your decision differs from the grading's "
            "suggestion, why?",
            "tell_people_reasons": "Reasons for your decision about telling people",
        }

    def __init__(self, *args, breach, **kwargs):
        super().__init__(*args, **kwargs)
        self.breach = breach
        self.fields["likelihood"].error_messages["required"] = "Select the likelihood"
        self.fields["severity"].error_messages["required"] = "Select the severity"
        self.fields["reasons"].error_messages["required"] = (
            "Enter the reasons for your decision about the ICO"
        )
        self.fields["tell_people_reasons"].error_messages["required"] = (
            "Enter the reasons for your decision about telling people"
        )
        self.helper = govuk_helper(
            self,
            Field.radios("likelihood", legend_size=Size.MEDIUM),
            Field.radios("severity", legend_size=Size.MEDIUM),
            Field.radios("notify_ico", legend_size=Size.MEDIUM),
            Field.textarea("reasons", rows=3),
            Field.textarea("departure_justification", rows=2),
            Field.radios("tell_people", legend_size=Size.MEDIUM),
            Field.textarea("tell_people_reasons", rows=2),
            submit="Save the assessment",
        )

    def clean(self):
        data = super().clean()
        likelihood, severity = data.get("likelihood"), data.get("severity")
        if likelihood is None or severity is None:
            return data
        try:
            suggestion = grading.suggest(
                likelihood=likelihood,
                severity=severity,
                involves_people_supported=self.breach.involves_people_supported,
            )
        except grading.GradingError as error:
            self.add_error("likelihood" if "likelihood" in str(error) else "severity", str(error))
            return data
        self.suggestion = suggestion
        notify = data.get("notify_ico")
        if (
            notify is not None
            and notify != suggestion.reportable
            and not data.get("departure_justification", "").strip()
        ):
            self.add_error(
                "departure_justification",
                "The grading suggests the breach is "
                + ("" if suggestion.reportable else "not ")
                + "reportable: explain why your decision differs",
            )
        return data

    def _post_clean(self):
        if suggestion := getattr(self, "suggestion", None):
            self.instance.suggested_reportable = suggestion.reportable
            self.instance.suggested_tell_people = suggestion.tell_people
        super()._post_clean()


class IcoSubmissionForm(GovukFormMixin, forms.ModelForm):
    submitted_on = DateField(label="Date submitted")
    submitted_time = TimeField(label="Time submitted")
    field_order = ["submitted_on", "submitted_time", "ico_reference", "delay_reason"]

    class Meta:
        model = IcoSubmission
        fields = ["ico_reference", "delay_reason"]
        help_texts = {
            "delay_reason": "Required when the report was made more than 72 hours after the "
            "service became aware."
        }

    def __init__(self, *args, breach, **kwargs):
        super().__init__(*args, **kwargs)
        self.breach = breach
        self.fields["ico_reference"].error_messages["required"] = "Enter the ICO reference"
        self.helper = govuk_helper(
            self,
            Field("submitted_on"),
            Field.text("submitted_time"),
            Field.text("ico_reference", field_width=Fluid.ONE_THIRD),
            Field.textarea("delay_reason", rows=3),
            submit="Save",
        )

    def clean(self):
        data = super().clean()
        submitted = _when(self, "submitted", "it was submitted")
        if submitted is not None:
            if submitted < self.breach.became_aware_at:
                self.add_error(
                    "submitted_on", "It cannot have been submitted before the breach was discovered"
                )
            elif submitted > self.breach.ico_deadline and not data.get("delay_reason", "").strip():
                self.add_error(
                    "delay_reason",
                    "The report was made after the 72-hour deadline: "
                    "enter the reason for the delay",
                )
            self.instance.submitted_at = submitted
        return data


class PeopleToldForm(SubmitOnceForm, forms.ModelForm):
    told = yes_no("Have the people affected been told?")
    told_on = DateField(label="Date they were told", required=False, when="past")

    class Meta:
        model = PeopleTold
        fields = ["told", "told_on", "how_or_why_not"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["how_or_why_not"].error_messages["required"] = (
            "Enter how they were told, or why not"
        )
        self.helper = govuk_helper(
            self,
            Field.radios("told", inline=True),
            Field("told_on"),
            Field.textarea("how_or_why_not", rows=3),
            submit="Save",
        )

    def clean(self):
        data = super().clean()
        if data.get("told") and data.get("told_on") is None and "told_on" not in self.errors:
            self.add_error("told_on", "Enter the date they were told")
        return data


class ActionForm(SubmitOnceForm, forms.ModelForm):
    due_on = DateField(label="Due date")

    class Meta:
        model = Action
        fields = ["kind", "description", "owner", "due_on"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"kind": "Type of action", "owner": "Who will do it (name or role)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = "Select the type of action"
        self.fields["description"].error_messages["required"] = "Describe the action"
        self.fields["owner"].error_messages["required"] = "Enter who will do it"
        self.helper = govuk_helper(
            self,
            Field.radios("kind", inline=True),
            Field.textarea("description", rows=2),
            Field.text("owner", field_width=Fluid.TWO_THIRDS),
            Field("due_on"),
            submit="Add the action",
        )


class ClosureForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["lessons_learned", "outcome_for_reporter"]
        labels = {
            "lessons_learned": "Lessons learned",
            "outcome_for_reporter": "What the person who reported it will be told",
        }
        help_texts = {
            "outcome_for_reporter": "Thank them and say what changed as a result. No blame: "
            "people stop reporting when nothing comes back.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lessons_learned"].error_messages["required"] = "Enter the lessons learned"
        self.fields["outcome_for_reporter"].error_messages["required"] = (
            "Enter what the reporter will be told"
        )
        self.helper = govuk_helper(
            self,
            Field.textarea("lessons_learned", rows=4),
            Field.textarea("outcome_for_reporter", rows=3),
            HTML(
                '<p class="govuk-body">Closing is final: '
                "later updates are added as new entries.</p>"
            ),
            submit="Close the breach",
        )
