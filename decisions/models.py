"""Sharing requests, the decisions made on them, and what follows a decision.

A ``SharingRequest`` is a working record: its answers change while staff go through the
questions (a version number catches two people editing at once). Once a ``Decision`` is
recorded the request is settled, and the decision and everything attached to it — addenda,
sign-off, advice, police follow-up — are append-only: the database refuses to change or delete
them. Corrections are addenda with who, when and why.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from carehub.models import Person, Service
from carehub.vocabulary import InformationCategory, RecipientClass
from consent.models import Representative

from . import recording, rules


class Route(models.TextChoices):
    """Who is asking, or why sharing is being considered (the policy's routes)."""

    PERSON = "person", "The person asks to see their own information"
    PERSON_ASKS_TO_SHARE = "person_asks_to_share", "The person asks us to share it with someone"
    ATTORNEY_OR_DEPUTY = "attorney_or_deputy", "An attorney or deputy asks"
    FAMILY_CARER_FRIEND = "family_carer_friend", "A family member, carer or friend asks"
    PROFESSIONAL = "professional", "A professional or organisation asks"
    SAFEGUARDING = "safeguarding", "A safeguarding concern: we are considering raising it"
    COURT = "court", "A court asks"
    DUTY_OF_CANDOUR = "duty_of_candour", "The duty of candour applies"


class ReceivedHow(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    RAISED_BY_STAFF = "raised_by_staff", "Raised by staff (no request received)"


class SharingRequest(models.Model):
    """A request for information, or a concern staff are considering raising."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="sharing_requests")
    route = models.CharField(max_length=32, choices=Route.choices)
    requester_name = models.CharField("Name", max_length=200)
    requester_organisation = models.CharField("Organisation", max_length=200, blank=True)
    requester_role = models.CharField("Relationship to the person, or role", max_length=200)
    requester_contact = models.TextField("Contact details")
    representative = models.ForeignKey(
        Representative, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    information_category = models.CharField(
        "Information asked for", max_length=32, choices=InformationCategory.choices
    )
    information_detail = models.TextField("What exactly is asked for")
    recipient_class = models.CharField(
        "Who would receive it", max_length=32, choices=RecipientClass.choices
    )
    received_on = models.DateField("Date received")
    received_how = models.CharField(
        "How it was received", max_length=32, choices=ReceivedHow.choices
    )
    due_on = models.DateField("Respond by", null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submission_key = models.UUIDField(unique=True, editable=False)

    class Meta:
        ordering = ["-received_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(route__in=Route.values), name="request_route_known"),
            models.CheckConstraint(
                condition=Q(route="attorney_or_deputy") | Q(representative__isnull=True),
                name="request_representative_only_for_attorneys",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()}: {self.get_information_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("decisions:request_detail", args=[self.pk])

    @property
    def decision_or_none(self) -> "Decision | None":
        try:
            return self.decision
        except Decision.DoesNotExist:
            return None


class Decision(models.Model):
    """The decision on a request: the engine's recommendation, the final decision and everything
    section 5 of the policy asks to be recorded. Never changed once saved."""

    class Final(models.TextChoices):
        SHARE = "share", "Share"
        WITHHOLD = "withhold", "Withhold"

    class Article6(models.TextChoices):
        CONSENT = "consent", "Article 6(1)(a) consent"
        LEGAL_OBLIGATION = "legal_obligation", "Article 6(1)(c) legal obligation"
        VITAL_INTERESTS = "vital_interests", "Article 6(1)(d) vital interests"
        PUBLIC_TASK = "public_task", "Article 6(1)(e) public task"
        LEGITIMATE_INTERESTS = "legitimate_interests", "Article 6(1)(f) legitimate interests"

    class Article9(models.TextChoices):
        NOT_APPLICABLE = "not_applicable", "Not health or care information"
        EXPLICIT_CONSENT = "explicit_consent", "Article 9(2)(a) explicit consent"
        VITAL_INTERESTS = "vital_interests", "Article 9(2)(c) vital interests"
        HEALTH_OR_SOCIAL_CARE = (
            "health_or_social_care",
            "Article 9(2)(h) health or social care (DPA 2018 Schedule 1 paragraph 2)",
        )
        SAFEGUARDING = (
            "safeguarding",
            "Safeguarding of individuals at risk (DPA 2018 Schedule 1 paragraph 18)",
        )
        LEGAL_CLAIMS = "legal_claims", "Article 9(2)(f) legal claims or courts"
        SUBJECT_ACCESS = (
            "subject_access",
            "The person's own information, given to them (a subject access request)",
        )

    class Method(models.TextChoices):
        ENCRYPTED_EMAIL = "encrypted_email", "Encrypted email"
        SECURE_PORTAL = "secure_portal", "Secure portal"
        PASSWORD_PROTECTED = "password_protected", "Password-protected document"
        PHONE = "phone", "Phone"
        IN_PERSON = "in_person", "In person"
        POST = "post", "Post (recorded or special delivery)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.OneToOneField(
        SharingRequest, on_delete=models.PROTECT, related_name="decision"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="decisions")
    # What the engine said, from which facts, by which rules.
    facts = models.JSONField()
    answer_path = models.JSONField()
    ruleset = models.CharField(max_length=32)
    recommendation = models.CharField(max_length=32)
    recommendation_reasons = models.JSONField()
    actions = models.JSONField(default=list)
    # What was decided, and why.
    final = models.CharField("Decision", max_length=16, choices=Final.choices)
    rationale = models.TextField("Reasons for the decision")
    departure_justification = models.TextField(blank=True)
    # A share: the lawful basis, what, when, how, with whom, why, and the six principles.
    article6_basis = models.CharField(max_length=32, choices=Article6.choices, blank=True)
    article9_condition = models.CharField(max_length=32, choices=Article9.choices, blank=True)
    what_shared = models.TextField(blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=32, choices=Method.choices, blank=True)
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_organisation = models.CharField(max_length=200, blank=True)
    recipient_role = models.CharField(max_length=200, blank=True)
    recipient_email = models.EmailField(blank=True)
    recipient_contact_verified = models.BooleanField(default=False)
    team_mailbox = models.BooleanField(null=True)
    team_mailbox_safeguards_confirmed = models.BooleanField(default=False)
    principles = models.JSONField(default=dict, blank=True)
    # A withhold: why, and whether and how the requester was told.
    requester_told = models.BooleanField(null=True)
    requester_told_note = models.TextField(blank=True)
    # Either way: was the person told?
    person_told = models.BooleanField()
    person_told_note = models.TextField()
    needs_sign_off = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-decided_at"]
        # The history lists newest first; exports and pages walk this index.
        indexes = [models.Index(fields=["-decided_at", "id"], name="decision_newest_first")]
        constraints = [
            models.CheckConstraint(
                condition=Q(final__in=["share", "withhold"]), name="decision_final_known"
            ),
            models.CheckConstraint(condition=~Q(rationale=""), name="decision_has_a_rationale"),
            models.CheckConstraint(
                condition=Q(final=models.F("recommendation"))
                | Q(recommendation=rules.SEEK_ADVICE)
                | ~Q(departure_justification=""),
                name="decision_departure_is_justified",
            ),
            models.CheckConstraint(
                condition=Q(final="withhold")
                | (
                    ~Q(article6_basis="")
                    & ~Q(article9_condition="")
                    & ~Q(what_shared="")
                    & Q(shared_at__isnull=False)
                    & ~Q(method="")
                    & ~Q(recipient_name="")
                    & Q(principles__has_keys=list(recording.PRINCIPLES))
                ),
                name="decision_share_fully_recorded",
            ),
            models.CheckConstraint(
                condition=Q(final="share") | Q(requester_told__isnull=False),
                name="decision_withhold_says_if_requester_told",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_final_display()} ({self.decided_at:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("decisions:decision_detail", args=[self.pk])

    @property
    def recommendation_label(self) -> str:
        return rules.LABELS.get(self.recommendation, self.recommendation)

    @property
    def departs_from_recommendation(self) -> bool:
        return rules.departs(self.recommendation, self.final)

    @property
    def needs_police_follow_up(self) -> bool:
        return rules.NOTIFY_POLICE in self.actions and self.final == self.Final.SHARE

    def _one(self, name):
        try:
            return getattr(self, name)
        except (SignOff.DoesNotExist, PoliceNotification.DoesNotExist):
            return None

    @property
    def sign_off_or_none(self) -> "SignOff | None":
        return self._one("sign_off")

    @property
    def police_notification_or_none(self) -> "PoliceNotification | None":
        return self._one("police_notification")

    def principle_notes(self) -> list[tuple[str, str]]:
        return [
            (label, self.principles.get(key, "")) for key, label in recording.PRINCIPLES.items()
        ]


class Advice(models.Model):
    """Advice from the local authority when the seriousness of harm is unclear. The contact is
    recorded without the person's details being given to them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(SharingRequest, on_delete=models.PROTECT, related_name="advice")
    organisation = models.CharField("Local authority", max_length=200)
    contact_role = models.CharField("Team or role of the adviser", max_length=200)
    asked_on = models.DateField("Date of the advice")
    advice = models.TextField("The advice given")
    no_personal_details_given = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    # The form's key (SubmitOnceForm): the same form sent twice is one record. Empty for
    # advice recorded before keys were kept.
    submission_key = models.UUIDField(unique=True, editable=False, null=True)

    class Meta:
        ordering = ["recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(no_personal_details_given=True), name="advice_is_anonymous"
            )
        ]

    def __str__(self) -> str:
        return f"Advice from {self.organisation}, {self.asked_on:%d %b %Y}"


class Addendum(models.Model):
    """A correction or addition to a decision: the decision itself is never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField("Correction or addition")
    reason = models.TextField("Why it is needed")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    submission_key = models.UUIDField(unique=True, editable=False)

    class Meta:
        ordering = ["recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") & ~Q(reason=""), name="addendum_has_text_and_reason"
            )
        ]

    def __str__(self) -> str:
        return f"Addendum, {self.recorded_at:%d %b %Y}"


class SignOff(models.Model):
    """A registered manager's review of a decision that departs from the recommendation or
    shares safeguarding information without consent."""

    class Outcome(models.TextChoices):
        AGREED = "agreed", "Agreed"
        NOT_AGREED = "not_agreed", "Not agreed: follow-up needed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="sign_off")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    note = models.TextField("Comments")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="agreed") | ~Q(note=""), name="sign_off_disagreement_explained"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}, {self.signed_at:%d %b %Y}"


class PoliceNotification(models.Model):
    """The police follow-up a safeguarding share about a possible crime requires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="police_notification"
    )
    notified_at = models.DateTimeField("When the police were told")
    police_force = models.CharField(max_length=200)
    reference = models.CharField("Crime or incident reference", max_length=100)
    officer = models.CharField("Officer or team", max_length=200, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"Police told {self.notified_at:%d %b %Y}, reference {self.reference}"


class SharingAgreement(models.Model):
    """A local information-sharing agreement with a partner organisation. Sharing follows it."""

    class Partner(models.TextChoices):
        POLICE = "police", "Police"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        ICB = "icb", "Integrated care board (ICB)"
        NHS_TRUST = "nhs_trust", "NHS trust"
        OTHER = "other", "Other organisation"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="agreements")
    title = models.CharField(max_length=200)
    partner_type = models.CharField("Partner", max_length=32, choices=Partner.choices)
    parties = models.TextField("Organisations party to it")
    covers = models.JSONField("Information it covers", default=list)
    purposes = models.TextField("Purposes it covers")
    reference = models.CharField("Reference document", max_length=300)
    review_date = models.DateField("Review by")
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The adding form's key (SubmitOnceForm): the same form sent twice adds one agreement.
    submission_key = models.UUIDField(unique=True, editable=False, null=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:agreement_edit", args=[self.pk])

    def is_overdue(self, day=None) -> bool:
        return self.review_date < (day or timezone.localdate())
