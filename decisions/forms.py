"""Forms for sharing requests and decisions; each validates on the server and explains every
mistake next to its field."""

from datetime import time

from crispy_forms_gds.layout import HTML, Field, Fieldset, Fluid, Size
from django import forms

from carehub.forms import (
    DateField,
    GovukFormMixin,
    SubmitOnceForm,
    TimeField,
    govuk_helper,
    local_datetime,
    not_in_the_future,
    not_in_the_past,
    plain_messages,
    yes_no,
)
from consent.models import Representative

from . import recording
from .models import (
    Addendum,
    Advice,
    Decision,
    PoliceNotification,
    Route,
    SharingAgreement,
    SharingRequest,
    SignOff,
)
from .questions import QUESTIONS


class RequestForm(SubmitOnceForm, forms.ModelForm):
    received_on = DateField(label="Date received", when="past")

    class Meta:
        model = SharingRequest
        fields = [
            "route",
            "representative",
            "requester_name",
            "requester_role",
            "requester_organisation",
            "requester_contact",
            "information_category",
            "information_detail",
            "recipient_class",
            "received_on",
            "received_how",
        ]
        widgets = {
            "route": forms.RadioSelect,
            "representative": forms.RadioSelect,
            "information_category": forms.RadioSelect,
            "recipient_class": forms.RadioSelect,
            "received_how": forms.RadioSelect,
        }
        labels = {
            "route": "Who is asking, or why are you considering sharing?",
            "representative": "Which attorney or deputy?",
            "requester_name": "Their name",
        }
        help_texts = {
            "representative": "Only for a request from an attorney or deputy.",
            "requester_name": "For a safeguarding concern, who the information would go to.",
            "requester_contact": "Phone, email or address, as they gave it.",
        }

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["representative"]
        field.queryset = Representative.objects.filter(person=person)
        field.required = False
        field.empty_label = None
        self.has_representatives = field.queryset.exists()
        self.fields["information_detail"].label = "What exactly is asked for?"
        plain_messages(
            self,
            route="who is asking",
            requester_name="their name",
            requester_role="their relationship to the person, or their role",
            requester_contact="their contact details",
            information_category="the information asked for",
            information_detail="what exactly is asked for",
            recipient_class="who would receive it",
            received_how="how the request was received",
        )
        self.helper = govuk_helper(
            self,
            Field.radios("route", legend_size=Size.MEDIUM),
            *([Field.radios("representative")] if self.has_representatives else []),
            Field.text("requester_name", field_width=Fluid.TWO_THIRDS),
            Field.text("requester_role", field_width=Fluid.TWO_THIRDS),
            Field.text("requester_organisation", field_width=Fluid.TWO_THIRDS),
            Field.textarea("requester_contact", rows=2),
            Field.radios("information_category", legend_size=Size.MEDIUM),
            Field.textarea("information_detail", rows=2),
            Field.radios("recipient_class", legend_size=Size.MEDIUM),
            Field("received_on"),
            Field.radios("received_how"),
            submit="Continue",
        )

    def clean(self):
        data = super().clean()
        route, representative = data.get("route"), data.get("representative")
        if route == Route.ATTORNEY_OR_DEPUTY and not self.has_representatives:
            self.add_error(
                "route",
                "No attorney or deputy is recorded for this person: a registered manager adds "
                "them, with how their authority was checked, before their request is recorded",
            )
        elif route == Route.ATTORNEY_OR_DEPUTY and representative is None:
            self.add_error(
                "representative",
                "Select the attorney or deputy. If they are not listed, add them to the "
                "person's record first",
            )
        elif route and route != Route.ATTORNEY_OR_DEPUTY and representative is not None:
            self.add_error("representative", "Choose an attorney or deputy only for their request")
        return data


class QuestionForm(GovukFormMixin, forms.Form):
    """One question of the wizard; ``version`` catches answers changed by someone else."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, fact: str, **kwargs):
        super().__init__(*args, **kwargs)
        question = QUESTIONS[fact]
        self.question = question
        self.fields["answer"] = forms.ChoiceField(
            label=question.text,
            help_text=question.hint,
            choices=[(str(value), label) for value, label in question.choices],
            widget=forms.RadioSelect,
            error_messages={"required": "Select an answer", "invalid_choice": "Select an answer"},
        )
        self.fields["version"].error_messages = {
            "required": "This page has expired. Reload it and try again",
            "invalid": "This page has expired. Reload it and try again",
        }
        self.helper = govuk_helper(
            self,
            Field.radios("answer", legend_size=Size.LARGE, legend_tag="h1"),
            Field("version"),
            submit="Continue",
        )

    def clean_answer(self):
        raw = self.cleaned_data["answer"]
        return next(value for value, _ in self.question.choices if str(value) == raw)


class AdviceForm(SubmitOnceForm, forms.ModelForm):
    asked_on = DateField(label="Date of the advice", when="past")
    no_personal_details_given = forms.BooleanField(
        label="I did not give the person's name or other details that identify them",
        error_messages={
            "required": "Advice is asked for without giving personal details: confirm you did "
            "not give them"
        },
    )

    class Meta:
        model = Advice
        fields = ["organisation", "contact_role", "asked_on", "advice", "no_personal_details_given"]
        help_texts = {
            "contact_role": "For example 'adult safeguarding duty team'. No names needed."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_messages(
            self,
            organisation="the local authority",
            contact_role="the team or role of the adviser",
            advice="the advice given",
        )
        self.helper = govuk_helper(
            self,
            Field.text("organisation", field_width=Fluid.TWO_THIRDS),
            Field.text("contact_role", field_width=Fluid.TWO_THIRDS),
            Field("asked_on"),
            Field.textarea("advice", rows=4),
            Field.checkbox("no_personal_details_given"),
            submit="Save the advice",
        )


EMAIL_METHODS = {Decision.Method.ENCRYPTED_EMAIL, Decision.Method.PASSWORD_PROTECTED}


class DecisionForm(GovukFormMixin, forms.ModelForm):
    """The final decision and what the policy's section 5 asks to be recorded with it."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    final = forms.ChoiceField(
        label="Your decision", choices=Decision.Final.choices, widget=forms.RadioSelect
    )
    shared_on = DateField(label="Date shared", required=False)
    shared_time = TimeField(label="Time shared", required=False)
    team_mailbox = forms.TypedChoiceField(
        label="Is the email address a team mailbox that several people can read?",
        choices=[(True, "Yes"), (False, "No")],
        coerce=lambda value: value == "True",
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    requester_told = forms.TypedChoiceField(
        label="Has the person who asked been told it will not be shared?",
        choices=[(True, "Yes"), (False, "No")],
        coerce=lambda value: value == "True",
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    person_told = yes_no("Has the person been told about this decision?")

    class Meta:
        model = Decision
        fields = [
            "final",
            "rationale",
            "departure_justification",
            "article6_basis",
            "article9_condition",
            "what_shared",
            "method",
            "recipient_name",
            "recipient_role",
            "recipient_organisation",
            "recipient_email",
            "recipient_contact_verified",
            "team_mailbox",
            "team_mailbox_safeguards_confirmed",
            "requester_told",
            "requester_told_note",
            "person_told",
            "person_told_note",
        ]
        widgets = {
            "article6_basis": forms.RadioSelect,
            "article9_condition": forms.RadioSelect,
            "method": forms.RadioSelect,
        }
        labels = {
            "rationale": "Why? Give the reasons for your decision",
            "departure_justification": "Why does your decision differ from the recommendation?",
            "article6_basis": "Lawful basis (UK GDPR Article 6)",
            "article9_condition": "Condition for health or care information (UK GDPR Article 9)",
            "what_shared": "What exactly was shared?",
            "method": "How was it shared?",
            "recipient_name": "Shared with (name)",
            "recipient_role": "Their role",
            "recipient_organisation": "Their organisation",
            "recipient_email": "Email address used",
            "recipient_contact_verified": "I have checked this email address belongs to the "
            "intended recipient",
            "team_mailbox_safeguards_confirmed": "I am satisfied there are arrangements to keep "
            "the information confidential in that mailbox",
            "requester_told_note": "How was the person who asked told, or why not?",
            "person_told_note": "How was the person told, or why not?",
        }
        help_texts = {
            "rationale": "Clear and evidence based: what you knew, and why it led here.",
            "departure_justification": "A registered manager will review this decision.",
            "what_shared": "Only what is needed. Say if any of it is opinion, or historical.",
        }

    def __init__(self, *args, request: SharingRequest, recommendation: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.sharing_request = request
        self.recommendation = recommendation
        self.principle_fields = []
        for key, label in recording.PRINCIPLES.items():
            self.fields[f"{key}_confirmed"] = forms.BooleanField(
                label=f"{label}: I have checked this", required=False
            )
            self.fields[f"{key}_note"] = forms.CharField(
                label=f"{label}: how",
                help_text=recording.PRINCIPLE_HINTS[key],
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.principle_fields += [
                Field.checkbox(f"{key}_confirmed"),
                Field.textarea(f"{key}_note", rows=2),
            ]
        for name in ("rationale", "person_told_note"):
            self.fields[name].required = True
        plain_messages(
            self,
            final="your decision",
            rationale="the reasons for your decision",
            person_told_note="how the person was told, or why not",
        )
        self.helper = govuk_helper(
            self,
            Field.radios("final", legend_size=Size.MEDIUM),
            Field.textarea("rationale", rows=4),
            Field.textarea("departure_justification", rows=3),
            Fieldset(
                Field.radios("article6_basis"),
                Field.radios("article9_condition"),
                Field.textarea("what_shared", rows=3),
                Field("shared_on"),
                Field.text("shared_time", field_width=Fluid.ONE_QUARTER),
                Field.radios("method"),
                Field.text("recipient_name", field_width=Fluid.TWO_THIRDS),
                Field.text("recipient_role", field_width=Fluid.TWO_THIRDS),
                Field.text("recipient_organisation", field_width=Fluid.TWO_THIRDS),
                Field.text("recipient_email", field_width=Fluid.TWO_THIRDS),
                Field.checkbox("recipient_contact_verified"),
                Field.radios("team_mailbox", inline=True),
                Field.checkbox("team_mailbox_safeguards_confirmed"),
                HTML('<h3 class="govuk-heading-s">The information sharing principles</h3>'),
                *self.principle_fields,
                legend="If you are sharing",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("requester_told", inline=True),
                Field.textarea("requester_told_note", rows=2),
                legend="If you are withholding",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("person_told", inline=True),
                Field.textarea("person_told_note", rows=2),
                legend="Telling the person",
                legend_size=Size.MEDIUM,
            ),
            Field("version"),
            submit="Record the decision",
        )

    def clean(self):
        data = super().clean()
        final = data.get("final")
        if (
            final
            and self.recommendation in ("share", "withhold")
            and final != self.recommendation
            and not data.get("departure_justification", "").strip()
        ):
            self.add_error(
                "departure_justification",
                "Explain why your decision differs from the recommendation",
            )
        if final == Decision.Final.SHARE:
            self._clean_share(data)
        elif final == Decision.Final.WITHHOLD:
            if data.get("requester_told") is None:
                self.add_error(
                    "requester_told", "Select whether the person who asked has been told"
                )
            if not data.get("requester_told_note", "").strip():
                self.add_error("requester_told_note", "Enter how they were told, or why not")
        return data

    def _clean_share(self, data):
        missing = {
            "article6_basis": "Select the lawful basis",
            "article9_condition": "Select the condition for this information",
            "what_shared": "Enter what was shared",
            "method": "Select how it was shared",
            "recipient_name": "Enter who it was shared with",
        }
        for name, message in missing.items():
            if not str(data.get(name) or "").strip():
                self.add_error(name, message)
        special = (
            self.sharing_request.information_category in recording.SPECIAL_CATEGORY_INFORMATION
        )
        subject_access = Decision.Article9.SUBJECT_ACCESS
        if (
            data.get("article9_condition") == subject_access
            and self.sharing_request.route != "person"
        ):
            self.add_error(
                "article9_condition",
                "Subject access applies only when the person asks for their own information",
            )
        if special and data.get("article9_condition") == Decision.Article9.NOT_APPLICABLE:
            self.add_error(
                "article9_condition",
                "This is health or care information: select the Article 9 condition",
            )
        shared_on, at = data.get("shared_on"), data.get("shared_time")
        if shared_on is None:
            if "shared_on" not in self.errors:
                self.add_error("shared_on", "Enter the date shared")
        else:
            try:
                not_in_the_future(shared_on, "date shared")
            except forms.ValidationError as error:
                self.add_error("shared_on", error)
        if at is None:
            if "shared_time" not in self.errors:
                self.add_error("shared_time", "Enter the time shared, for example 14:30")
        elif shared_on is not None:
            self.cleaned_data["shared_at"] = local_datetime(shared_on, at)
        if data.get("method") in EMAIL_METHODS:
            if not data.get("recipient_email"):
                if "recipient_email" not in self.errors:
                    self.add_error("recipient_email", "Enter the email address used")
            if not data.get("recipient_contact_verified"):
                self.add_error(
                    "recipient_contact_verified",
                    "Check the email address belongs to the intended recipient, then confirm it",
                )
            if data.get("team_mailbox") is None:
                self.add_error("team_mailbox", "Select whether it is a team mailbox")
            elif data.get("team_mailbox") and not data.get("team_mailbox_safeguards_confirmed"):
                self.add_error(
                    "team_mailbox_safeguards_confirmed",
                    "Only send to a team mailbox when you are satisfied it is kept confidential",
                )
        for key, label in recording.PRINCIPLES.items():
            if not data.get(f"{key}_confirmed"):
                self.add_error(f"{key}_confirmed", f"Confirm the information is {label.lower()}")
            if not data.get(f"{key}_note", "").strip():
                self.add_error(f"{key}_note", f"Enter how it is {label.lower()}")

    def _post_clean(self):
        data = self.cleaned_data
        if data.get("final") == Decision.Final.SHARE:
            self.instance.shared_at = data.get("shared_at")
            self.instance.principles = {
                key: data.get(f"{key}_note", "").strip() for key in recording.PRINCIPLES
            }
        else:  # a withhold records nothing about a share
            for name in (
                "article6_basis",
                "article9_condition",
                "what_shared",
                "method",
                "recipient_name",
                "recipient_role",
                "recipient_organisation",
                "recipient_email",
            ):
                data[name] = ""
            data["recipient_contact_verified"] = False
            data["team_mailbox"] = None
            data["team_mailbox_safeguards_confirmed"] = False
        if data.get("final") == Decision.Final.SHARE:
            data["requester_told"] = None
            data["requester_told_note"] = ""
        super()._post_clean()


class AddendumForm(SubmitOnceForm, forms.ModelForm):
    class Meta:
        model = Addendum
        fields = ["text", "reason"]
        help_texts = {"text": "The decision itself is never changed: this is added beneath it."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_messages(self, text="the correction or addition", reason="why it is needed")
        self.helper = govuk_helper(
            self,
            Field.textarea("text", rows=4),
            Field.textarea("reason", rows=2),
            submit="Add to the record",
        )


class SignOffForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = SignOff
        fields = ["outcome", "note"]
        widgets = {"outcome": forms.RadioSelect}
        labels = {"outcome": "Do you agree with this decision?"}
        help_texts = {"note": "Required if you do not agree: what happens next."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = False
        plain_messages(self, outcome="whether you agree")
        self.helper = govuk_helper(
            self,
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.textarea("note", rows=3),
            submit="Sign off",
        )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == SignOff.Outcome.NOT_AGREED and not data.get("note", "").strip():
            self.add_error("note", "Enter what happens next")
        return data


class PoliceNotificationForm(GovukFormMixin, forms.ModelForm):
    notified_on = DateField(label="Date the police were told", when="past")

    class Meta:
        model = PoliceNotification
        fields = ["police_force", "reference", "officer", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_messages(
            self, police_force="the police force", reference="the crime or incident reference"
        )
        self.helper = govuk_helper(
            self,
            Field("notified_on"),
            Field.text("police_force", field_width=Fluid.TWO_THIRDS),
            Field.text("reference", field_width=Fluid.ONE_THIRD),
            Field.text("officer", field_width=Fluid.TWO_THIRDS),
            Field.textarea("notes", rows=3),
            submit="Save",
        )

    def _post_clean(self):
        if day := self.cleaned_data.get("notified_on"):
            self.instance.notified_at = local_datetime(day, time(12))
        super()._post_clean()


class AgreementForm(SubmitOnceForm, forms.ModelForm):
    review_date = DateField(label="Review by")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SharingAgreement
        fields = [
            "service",
            "title",
            "partner_type",
            "parties",
            "covers",
            "purposes",
            "reference",
            "review_date",
        ]
        widgets = {"partner_type": forms.RadioSelect, "service": forms.RadioSelect}

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        from carehub.vocabulary import InformationCategory

        self.fields["service"].queryset = services
        self.fields["service"].empty_label = None
        self.fields["covers"] = forms.MultipleChoiceField(
            label="Information it covers",
            choices=InformationCategory.choices,
            widget=forms.CheckboxSelectMultiple,
        )
        if not self.instance._state.adding:
            self.fields["version"].initial = self.instance.version
            # An edit is guarded by the version instead: a second send is a stale edit.
            self.fields["submission_key"].required = False
        plain_messages(
            self,
            service="the service",
            title="a title",
            partner_type="the partner",
            parties="the organisations party to it",
            covers="the information it covers",
            purposes="the purposes it covers",
            reference="the reference document",
        )
        self.helper = govuk_helper(
            self,
            Field.radios("service"),
            Field.text("title"),
            Field.radios("partner_type"),
            Field.textarea("parties", rows=2),
            Field.checkboxes("covers"),
            Field.textarea("purposes", rows=2),
            Field.text("reference"),
            Field("review_date"),
            Field("version"),
            submit="Save agreement",
        )

    def clean_review_date(self):
        value = self.cleaned_data["review_date"]
        if not self.instance.pk or value != self.instance.review_date:
            not_in_the_past(value, "review date")
        return value
