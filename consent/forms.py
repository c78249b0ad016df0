"""Forms for the consent records. Each validates on the server and explains every mistake."""

from datetime import timedelta

from crispy_forms_gds.layout import HTML, Field, Fieldset, Fluid, Size
from django import forms
from django.utils import timezone

from carehub.forms import (
    DateField,
    SubmitOnceForm,
    govuk_helper,
    plain_messages,
    yes_no,
)
from carehub.vocabulary import InformationCategory

from . import rules
from .models import (
    BestInterestsDecision,
    CapacityAssessment,
    ConsentRecord,
    ConsentWithdrawal,
    Representative,
    RepresentativeRevocation,
    RepresentativeVerification,
)

REQUIRED = "Enter {what}"


class ConsentForm(SubmitOnceForm, forms.ModelForm):
    review_date = DateField(label="Review date", when="future")

    class Meta:
        model = ConsentRecord
        fields = [
            "information_category",
            "information_detail",
            "recipient_class",
            "recipient_name",
            "purpose",
            "status",
            "how_obtained",
            "review_date",
            "notes",
        ]
        widgets = {
            "information_category": forms.RadioSelect,
            "recipient_class": forms.RadioSelect,
            "status": forms.RadioSelect,
            "how_obtained": forms.RadioSelect,
        }
        help_texts = {
            "information_detail": "Be specific, for example 'blood test results from March'.",
            "recipient_name": "Leave blank only if the person agreed (or refused) for anyone in "
            "this group. A named person's consent covers only them.",
            "purpose": "Why it would be shared, in the person's words if you can.",
        }

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        example = timezone.localdate() + timedelta(days=182)
        self.fields[
            "review_date"
        ].help_text = f"When to check the person still agrees. For example, {example:%-d %-m %Y}"
        if "information_category" in self.fields:
            self.fields["information_category"].choices = [
                c for c in InformationCategory.choices if c[0] != InformationCategory.IMAGES_VIDEO
            ]
            self.fields["information_category"].label = "What information is this about?"
            plain_messages(self, information_category="what information this is about")
        self.fields["recipient_class"].label = "Who would it be shared with?"
        self.fields["status"].label = "What did the person say?"
        plain_messages(
            self,
            recipient_class="who it would be shared with",
            purpose="the purpose of sharing",
            status="what the person said",
            how_obtained="how the person gave their answer",
        )
        self.helper = govuk_helper(
            self,
            Field.radios("information_category", legend_size=Size.MEDIUM),
            Field.text("information_detail"),
            Field.radios("recipient_class", legend_size=Size.MEDIUM),
            Field.text("recipient_name", field_width=Fluid.TWO_THIRDS),
            Field.textarea("purpose", rows=3),
            Field.radios("status", legend_size=Size.MEDIUM),
            Field.radios("how_obtained"),
            Field("review_date"),
            Field.textarea("notes", rows=3),
            submit="Save consent",
        )

    def clean(self):
        data = super().clean()
        if (
            data.get("information_category") == InformationCategory.OTHER
            and not data.get("information_detail", "").strip()
        ):
            self.add_error("information_detail", "Describe the information")
        return data


class ImageConsentForm(ConsentForm):
    """Photographs and video: a consent of its own kind (the policy's section 2)."""

    class Meta(ConsentForm.Meta):
        fields = [
            "image_subject",
            "image_benefit",
            "use_in_care_record",
            "use_on_internal_display",
            "use_externally",
            "recipient_class",
            "recipient_name",
            "purpose",
            "status",
            "how_obtained",
            "review_date",
            "notes",
        ]
        help_texts = {
            **ConsentForm.Meta.help_texts,
            "image_subject": "For example 'photographs of Margaret at the summer fete'.",
            "image_benefit": "Only take an image or video when there is a benefit to the person.",
            "use_externally": "Only if the person has agreed to this specifically. Never post "
            "an image or video where it can be copied, directly or by a screenshot.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_class"].label = "Who would see or hold the images?"
        self.fields["image_subject"].required = True
        self.fields["image_benefit"].required = True
        plain_messages(
            self,
            image_subject="what may be photographed or filmed",
            image_benefit="the benefit to the person",
        )
        self.helper = govuk_helper(
            self,
            Field.textarea("image_subject", rows=2),
            Field.textarea("image_benefit", rows=2),
            Fieldset(
                Field.checkbox("use_in_care_record"),
                Field.checkbox("use_on_internal_display"),
                Field.checkbox("use_externally"),
                legend="Where may the images be used?",
                legend_size=Size.MEDIUM,
            ),
            HTML(
                '<div class="govuk-warning-text"><span class="govuk-warning-text__icon" '
                'aria-hidden="true">!</span><strong class="govuk-warning-text__text">'
                '<span class="govuk-visually-hidden">Warning</span>Never post an image or '
                "video in a way that means it can be copied, directly or by a screenshot."
                "</strong></div>"
            ),
            Field.radios("recipient_class", legend_size=Size.MEDIUM),
            Field.text("recipient_name", field_width=Fluid.TWO_THIRDS),
            Field.textarea("purpose", rows=3),
            Field.radios("status", legend_size=Size.MEDIUM),
            Field.radios("how_obtained"),
            Field("review_date"),
            Field.textarea("notes", rows=3),
            submit="Save image and video consent",
        )

    def clean(self):
        data = super().clean()
        if data.get("status") == ConsentRecord.Status.GIVEN and not any(
            data.get(f) for f in ("use_in_care_record", "use_on_internal_display", "use_externally")
        ):
            self.add_error("use_in_care_record", "Select at least one place the images may be used")
        return data

    def _post_clean(self):
        self.instance.information_category = InformationCategory.IMAGES_VIDEO
        super()._post_clean()


class WithdrawalForm(SubmitOnceForm, forms.ModelForm):
    class Meta:
        model = ConsentWithdrawal
        fields = ["reason"]
        labels = {"reason": "Why is it being withdrawn?"}
        help_texts = {
            "reason": "For example 'Margaret told me on 3 March she no longer wants her "
            "daughter told about her appointments', or 'recorded in error'."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why it is being withdrawn"
        self.helper = govuk_helper(
            self, Field.textarea("reason", rows=4, label_size=Size.MEDIUM), submit="Withdraw"
        )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why it is being withdrawn")
        return reason


# Stage 2 of the test (MCA 2005 s3): the answer field, its evidence field, the question.
TEST_QUESTIONS = [
    (
        "can_understand",
        "understand_evidence",
        "Can they understand the information relevant to the decision?",
    ),
    ("can_retain", "retain_evidence", "Can they retain that information long enough to decide?"),
    (
        "can_use_or_weigh",
        "use_or_weigh_evidence",
        "Can they use or weigh that information as part of deciding?",
    ),
    (
        "can_communicate",
        "communicate_evidence",
        "Can they communicate their decision, by any means?",
    ),
]


class CapacityAssessmentForm(SubmitOnceForm, forms.ModelForm):
    assessed_on = DateField(label="Date of the assessment", when="past")
    review_date = DateField(
        label="Review date",
        help_text="Capacity can change. When should it be assessed again for this decision?",
        when="future",
    )
    impairment = yes_no(
        "Does the person have an impairment of, or a disturbance in the functioning of, the "
        "mind or brain?",
        help_text="Stage 1. For example dementia, a brain injury, delirium, or the effects of "
        "medication. It can be temporary.",
    )
    can_understand = yes_no(TEST_QUESTIONS[0][2])
    can_retain = yes_no(TEST_QUESTIONS[1][2])
    can_use_or_weigh = yes_no(TEST_QUESTIONS[2][2])
    can_communicate = yes_no(
        TEST_QUESTIONS[3][2], help_text="Speech, writing, sign language, gestures or blinking."
    )

    class Meta:
        model = CapacityAssessment
        fields = [
            "information_category",
            "recipient_class",
            "decision",
            "assessed_on",
            "support_given",
            "impairment",
            "impairment_evidence",
            "can_understand",
            "understand_evidence",
            "can_retain",
            "retain_evidence",
            "can_use_or_weigh",
            "use_or_weigh_evidence",
            "can_communicate",
            "communicate_evidence",
            "outcome",
            "review_date",
        ]
        widgets = {
            "information_category": forms.RadioSelect,
            "recipient_class": forms.RadioSelect,
            "outcome": forms.RadioSelect,
        }
        labels = {
            "information_category": "Which information is the decision about?",
            "recipient_class": "Sharing it with whom?",
            "decision": "Describe the decision",
            "support_given": "What was done to help the person decide?",
            "outcome": "Outcome",
        }
        help_texts = {
            "decision": "An assessment answers one decision at one time. For example 'whether "
            "to share the results of her blood test with her son'.",
            "support_given": "Assume the person has capacity. Give all practicable help first: "
            "the right time of day, plain words, pictures, an interpreter, a familiar person.",
            "outcome": "An unwise decision is not, by itself, a lack of capacity.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        evidence_for = {"impairment_evidence": "an impairment"} | {
            evidence: question[0].lower() + question[1:].rstrip("?")
            for _, evidence, question in TEST_QUESTIONS
        }
        for name, about in evidence_for.items():
            self.fields[name].label = f"Evidence: {about}"
            self.fields[name].error_messages["required"] = f"Enter the evidence: {about}"
        plain_messages(
            self,
            information_category="which information the decision is about",
            recipient_class="who it would be shared with",
            decision="the decision",
            support_given="what was done to help the person decide",
            outcome="the outcome",
        )
        stage_two = []
        for answer, evidence, _ in TEST_QUESTIONS:
            stage_two += [Field.radios(answer, inline=True), Field.textarea(evidence, rows=2)]
        self.helper = govuk_helper(
            self,
            Field.radios("information_category", legend_size=Size.MEDIUM),
            Field.radios("recipient_class", legend_size=Size.MEDIUM),
            Field.textarea("decision", rows=2),
            Field("assessed_on"),
            Field.textarea("support_given", rows=3),
            Fieldset(
                Field.radios("impairment", inline=True),
                Field.textarea("impairment_evidence", rows=2),
                legend="Stage 1: is there an impairment?",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                *stage_two,
                legend="Stage 2: can the person make this decision?",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field("review_date"),
            submit="Save assessment",
        )

    def clean(self):
        data = super().clean()
        answers = ["impairment"] + [answer for answer, _, _ in TEST_QUESTIONS]
        if all(data.get(a) is not None for a in answers) and data.get("outcome"):
            follows = rules.capacity_outcome(
                impairment=data["impairment"],
                understand=data["can_understand"],
                retain=data["can_retain"],
                use_or_weigh=data["can_use_or_weigh"],
                communicate=data["can_communicate"],
            )
            if follows != data["outcome"]:
                self.add_error(
                    "outcome",
                    "The outcome does not match the answers: "
                    + (
                        "a person lacks capacity only if an impairment means they cannot "
                        "understand, retain, use or weigh the information, or communicate"
                        if data["outcome"] == rules.LACKS_CAPACITY
                        else "the answers show an impairment means they cannot make this decision"
                    ),
                )
        return data


class BestInterestsForm(SubmitOnceForm, forms.ModelForm):
    decided_on = DateField(label="Date of the decision", when="past")
    review_date = DateField(label="Review date", when="future")
    sharing_in_best_interests = yes_no(
        "Is sharing this information with this recipient in the person's best interests?",
        yes="Yes, sharing is in their best interests",
        no="No, sharing is not in their best interests",
    )

    class Meta:
        model = BestInterestsDecision
        fields = [
            "capacity_assessment",
            "decision",
            "decided_on",
            "consulted",
            "consultation_notes",
            "wishes_and_feelings",
            "beliefs_and_values",
            "could_regain_capacity",
            "regain_capacity_notes",
            "least_restrictive_option",
            "sharing_in_best_interests",
            "reasons",
            "review_date",
        ]
        widgets = {
            "capacity_assessment": forms.RadioSelect,
            "could_regain_capacity": forms.RadioSelect,
        }
        labels = {"capacity_assessment": "Which capacity assessment showed they lack capacity?"}
        help_texts = {
            "capacity_assessment": "A best-interests decision is made only for a decision the "
            "person lacks capacity to make.",
            "consulted": "Consult anyone the person named, carers, family, any attorney or "
            "deputy. If there is no one appropriate, instruct an IMCA.",
            "wishes_and_feelings": "Especially anything they wrote down when they had capacity.",
            "regain_capacity_notes": "If they may regain capacity, can the decision wait?",
        }

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        assessments = CapacityAssessment.objects.filter(
            person=person, outcome=rules.LACKS_CAPACITY, review_date__gte=today
        )
        field = self.fields["capacity_assessment"]
        field.queryset = assessments
        field.label_from_instance = lambda a: (
            f"{a.decision} (assessed {a.assessed_on:%-d %B %Y}, "
            f"{a.get_information_category_display().lower()} to "
            f"{a.get_recipient_class_display().lower()})"
        )
        field.empty_label = None
        self.fields["consulted"] = forms.MultipleChoiceField(
            label=self.fields["consulted"].label,
            help_text=self.fields["consulted"].help_text,
            choices=BestInterestsDecision.Consultee.choices,
            widget=forms.CheckboxSelectMultiple,
        )
        plain_messages(
            self,
            capacity_assessment="the capacity assessment",
            decision="the decision",
            consulted="who was consulted",
            consultation_notes="what the people consulted said",
            wishes_and_feelings="the person's wishes and feelings",
            could_regain_capacity="whether the person could regain capacity",
            least_restrictive_option="the least restrictive option considered",
            reasons="the reasons",
        )
        self.helper = govuk_helper(
            self,
            Field.radios("capacity_assessment", legend_size=Size.MEDIUM),
            Field.textarea("decision", rows=2),
            Field("decided_on"),
            Field.checkboxes("consulted", legend_size=Size.MEDIUM),
            Field.textarea("consultation_notes", rows=3),
            Field.textarea("wishes_and_feelings", rows=3),
            Field.textarea("beliefs_and_values", rows=2),
            Field.radios("could_regain_capacity", inline=True),
            Field.textarea("regain_capacity_notes", rows=2),
            Field.textarea("least_restrictive_option", rows=2),
            Field.radios("sharing_in_best_interests", legend_size=Size.MEDIUM),
            Field.textarea("reasons", rows=3),
            Field("review_date"),
            submit="Save best-interests decision",
        )

    def clean(self):
        data = super().clean()
        decided_on, assessment = data.get("decided_on"), data.get("capacity_assessment")
        if decided_on and assessment and decided_on < assessment.assessed_on:
            self.add_error(
                "decided_on", "The decision cannot be made before the capacity assessment"
            )
        return data

    def _post_clean(self):
        if assessment := self.cleaned_data.get("capacity_assessment"):
            self.instance.information_category = assessment.information_category
            self.instance.recipient_class = assessment.recipient_class
        super()._post_clean()


class RepresentativeForm(SubmitOnceForm, forms.ModelForm):
    valid_from = DateField(
        label="Valid from",
        help_text="The date the power was registered or the court order was made.",
    )
    valid_to = DateField(
        label="Valid until",
        required=False,
        help_text="Leave blank if the power or order has no end date.",
    )

    class Meta:
        model = Representative
        fields = [
            "kind",
            "name",
            "relationship",
            "contact_details",
            "covers",
            "scope_notes",
            "valid_from",
            "valid_to",
        ]
        widgets = {"kind": forms.RadioSelect}
        help_texts = {
            "covers": "Only what the registered power or the court order gives them authority "
            "over. A property and financial affairs power does not cover health or care.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covers"] = forms.MultipleChoiceField(
            label=self.fields["covers"].label,
            help_text=self.fields["covers"].help_text,
            choices=InformationCategory.choices,
            widget=forms.CheckboxSelectMultiple,
        )
        plain_messages(
            self,
            kind="the type of representative",
            name="their full name",
            contact_details="their contact details",
            covers="the information their authority covers",
        )
        self.helper = govuk_helper(
            self,
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("relationship", field_width=Fluid.TWO_THIRDS),
            Field.textarea("contact_details", rows=3),
            Field.checkboxes("covers", legend_size=Size.MEDIUM),
            Field.textarea("scope_notes", rows=2),
            Field("valid_from"),
            Field("valid_to"),
            submit="Save representative",
        )

    def clean(self):
        data = super().clean()
        kind, covers = data.get("kind"), data.get("covers") or []
        if kind and covers:
            outside = [c for c in covers if c not in rules.categories_a_kind_can_cover(kind)]
            if outside:
                labels = ", ".join(InformationCategory(c).label.lower() for c in outside)
                self.add_error(
                    "covers",
                    f"This type of power or order cannot cover {labels}: "
                    "select only what it covers",
                )
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error(
                "valid_to", "The 'valid until' date must be the same as or after 'valid from'"
            )
        return data


class VerificationForm(SubmitOnceForm, forms.ModelForm):
    verified_on = DateField(label="Date checked", when="past")

    class Meta:
        model = RepresentativeVerification
        fields = ["method", "reference", "verified_on"]
        widgets = {"method": forms.RadioSelect}
        help_texts = {
            "reference": "The OPG reference or access-code check reference, or the court's case "
            "number and where the copy is filed."
        }

    def __init__(self, *args, representative, **kwargs):
        super().__init__(*args, **kwargs)
        self.representative = representative
        plain_messages(self, method="how it was checked", reference="the reference")
        self.helper = govuk_helper(
            self,
            Field.radios("method", legend_size=Size.MEDIUM),
            Field.text("reference", field_width=Fluid.TWO_THIRDS),
            Field("verified_on"),
            submit="Save verification",
        )

    def clean_method(self):
        method = self.cleaned_data["method"]
        is_deputy = self.representative.kind.startswith("deputy")
        if is_deputy != (method == RepresentativeVerification.Method.COURT_ORDER):
            raise forms.ValidationError(
                "A deputy is checked against the court order; an attorney against the Office "
                "of the Public Guardian's records or the registered power"
            )
        return method


class RevocationForm(SubmitOnceForm, forms.ModelForm):
    revoked_on = DateField(label="Date it ended", when="past")

    class Meta:
        model = RepresentativeRevocation
        fields = ["revoked_on", "reason"]
        help_texts = {"reason": "For example 'revoked by the donor', 'court order discharged'."}

    def __init__(self, *args, representative, **kwargs):
        super().__init__(*args, **kwargs)
        self.representative = representative
        self.fields["reason"].error_messages["required"] = "Enter why it ended"
        self.helper = govuk_helper(
            self,
            Field("revoked_on"),
            Field.textarea("reason", rows=3),
            submit="Record that it ended",
        )

    def clean_revoked_on(self):
        value = self.cleaned_data["revoked_on"]
        if value < self.representative.valid_from:
            raise forms.ValidationError(
                "The date it ended cannot be before the date it was valid from "
                f"({self.representative.valid_from:%-d %B %Y})"
            )
        return value

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why it ended")
        return reason
