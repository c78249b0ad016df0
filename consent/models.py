"""Consent, capacity, best-interests and representative records.

Every record here is append-only: once written it is never changed or deleted (the database
refuses). What happens later — a consent withdrawn, a representative verified or revoked — is
a new row that points at the record, with who, when and why. A record is about one person,
one kind of information and one recipient: it never answers for another.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from carehub.models import Person
from carehub.vocabulary import InformationCategory, RecipientClass

from . import rules


class PersonRecord(models.Model):
    """What every record about a person carries: who wrote it, when, and a submission key
    that makes a second press of the same form's button find the first record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    submission_key = models.UUIDField(unique=True, editable=False)

    detail_url_name = ""

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return reverse(f"consent:{self.detail_url_name}", args=[self.person_id, self.pk])


class ConsentRecord(PersonRecord):
    """The person's answer about one kind of information going to one recipient."""

    detail_url_name = "consent_detail"

    class Status(models.TextChoices):
        GIVEN = "given", "Consent given"
        REFUSED = "refused", "Consent refused"

    class HowObtained(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "By phone"
        WRITTEN = "written", "In writing"
        VIA_REPRESENTATIVE = "via_representative", "Through their attorney or deputy"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    information_category = models.CharField(
        "Information", max_length=32, choices=InformationCategory.choices
    )
    information_detail = models.CharField("Which information", max_length=500, blank=True)
    recipient_class = models.CharField("Recipient", max_length=32, choices=RecipientClass.choices)
    recipient_name = models.CharField("Recipient's name", max_length=200, blank=True)
    purpose = models.TextField("Purpose")
    status = models.CharField("Answer", max_length=16, choices=Status.choices)
    how_obtained = models.CharField(
        "How the answer was given", max_length=32, choices=HowObtained.choices
    )
    review_date = models.DateField("Review by")
    notes = models.TextField(blank=True)
    # Photographs and video only (the policy's section 2): what, why, and where it may be used.
    image_subject = models.TextField("What may be taken", blank=True)
    image_benefit = models.TextField("The benefit to the person", blank=True)
    use_in_care_record = models.BooleanField("In their care record", default=False)
    use_on_internal_display = models.BooleanField("On display inside the service", default=False)
    use_externally = models.BooleanField(
        "Outside the service, including websites and social media", default=False
    )

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["given", "refused"]), name="consent_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(information_category="other") | ~Q(information_detail=""),
                name="consent_other_information_described",
            ),
            models.CheckConstraint(
                condition=~Q(information_category="images_video")
                | (~Q(image_subject="") & ~Q(image_benefit="")),
                name="consent_images_say_what_and_why",
            ),
            models.CheckConstraint(
                condition=Q(information_category="images_video")
                | Q(
                    image_subject="",
                    image_benefit="",
                    use_in_care_record=False,
                    use_on_internal_display=False,
                    use_externally=False,
                ),
                name="consent_image_uses_only_for_images",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.information} to {self.recipient}"

    @property
    def is_image_consent(self) -> bool:
        return self.information_category == InformationCategory.IMAGES_VIDEO

    @property
    def information(self) -> str:
        label = self.get_information_category_display()
        if self.information_category == InformationCategory.OTHER:
            return self.information_detail
        return f"{label} ({self.information_detail})" if self.information_detail else label

    @property
    def recipient(self) -> str:
        label = self.get_recipient_class_display()
        return f"{self.recipient_name} ({label})" if self.recipient_name else f"Any {label.lower()}"

    @property
    def withdrawal_or_none(self) -> "ConsentWithdrawal | None":
        try:
            return self.withdrawal
        except ConsentWithdrawal.DoesNotExist:
            return None

    def state_on(self, day) -> str:
        withdrawal = self.withdrawal_or_none
        return rules.consent_state(
            status=self.status,
            recorded_on=timezone.localdate(self.recorded_at),
            review_date=self.review_date,
            withdrawn_on=timezone.localdate(withdrawal.withdrawn_at) if withdrawal else None,
            day=day,
        )


class ConsentWithdrawal(models.Model):
    """The consent (or refusal) no longer stands: who recorded that, when and why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consent = models.OneToOneField(
        ConsentRecord, on_delete=models.PROTECT, related_name="withdrawal"
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(default=timezone.now, editable=False)
    reason = models.TextField("Why")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="withdrawal_has_a_reason")
        ]

    def __str__(self) -> str:
        return f"Withdrawn {self.withdrawn_at:%d %b %Y}"


class CapacityAssessment(PersonRecord):
    """Mental Capacity Act 2005 assessment for one decision, at one time."""

    detail_url_name = "capacity_detail"

    class Outcome(models.TextChoices):
        HAS_CAPACITY = rules.HAS_CAPACITY, "Has capacity to make this decision"
        LACKS_CAPACITY = rules.LACKS_CAPACITY, "Lacks capacity to make this decision"

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="capacity_assessments"
    )
    decision = models.TextField("The decision")
    information_category = models.CharField(
        "Information", max_length=32, choices=InformationCategory.choices
    )
    recipient_class = models.CharField("Recipient", max_length=32, choices=RecipientClass.choices)
    assessed_on = models.DateField("Date of the assessment")
    support_given = models.TextField("Help given to make the decision")
    impairment = models.BooleanField("Impairment of, or disturbance in, the mind or brain")
    impairment_evidence = models.TextField("Evidence")
    can_understand = models.BooleanField("Can understand the information")
    understand_evidence = models.TextField("Evidence")
    can_retain = models.BooleanField("Can retain the information")
    retain_evidence = models.TextField("Evidence")
    can_use_or_weigh = models.BooleanField("Can use or weigh the information")
    use_or_weigh_evidence = models.TextField("Evidence")
    can_communicate = models.BooleanField("Can communicate the decision")
    communicate_evidence = models.TextField("Evidence")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    review_date = models.DateField("Review by")

    class Meta:
        ordering = ["-assessed_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(outcome=rules.LACKS_CAPACITY, impairment=True)
                    & (
                        Q(can_understand=False)
                        | Q(can_retain=False)
                        | Q(can_use_or_weigh=False)
                        | Q(can_communicate=False)
                    )
                )
                | (
                    Q(outcome=rules.HAS_CAPACITY)
                    & (
                        Q(impairment=False)
                        | Q(
                            can_understand=True,
                            can_retain=True,
                            can_use_or_weigh=True,
                            can_communicate=True,
                        )
                    )
                ),
                name="capacity_outcome_follows_the_test",
            ),
            models.CheckConstraint(
                condition=Q(review_date__gte=models.F("assessed_on")),
                name="capacity_review_after_assessment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.decision}"

    @property
    def assessor(self):
        return self.recorded_by

    @property
    def lacks_capacity(self) -> bool:
        return self.outcome == rules.LACKS_CAPACITY


class BestInterestsDecision(PersonRecord):
    """A decision made for a person who lacks capacity to make it (MCA 2005 s4)."""

    detail_url_name = "best_interests_detail"

    class Consultee(models.TextChoices):
        PERSON = "person", "The person themselves"
        FAMILY = "family", "Family"
        CARERS = "carers", "Carers"
        ATTORNEY = "attorney", "Attorney"
        DEPUTY = "deputy", "Deputy"
        IMCA = "imca", "Independent mental capacity advocate (IMCA)"
        PROFESSIONALS = "professionals", "Health or social care professionals"

    class RegainCapacity(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_KNOWN = "not_known", "Not known"

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="best_interests_decisions"
    )
    capacity_assessment = models.ForeignKey(
        CapacityAssessment, on_delete=models.PROTECT, related_name="best_interests_decisions"
    )
    decision = models.TextField("The decision")
    information_category = models.CharField(
        "Information", max_length=32, choices=InformationCategory.choices
    )
    recipient_class = models.CharField("Recipient", max_length=32, choices=RecipientClass.choices)
    decided_on = models.DateField("Date of the decision")
    consulted = ArrayField(
        models.CharField(max_length=16, choices=Consultee.choices), verbose_name="Who was consulted"
    )
    consultation_notes = models.TextField("What they said")
    wishes_and_feelings = models.TextField("The person's past and present wishes and feelings")
    beliefs_and_values = models.TextField("The person's beliefs and values", blank=True)
    could_regain_capacity = models.CharField(
        "Could the person regain capacity for this decision?",
        max_length=16,
        choices=RegainCapacity.choices,
    )
    regain_capacity_notes = models.TextField("When, and can the decision wait?", blank=True)
    least_restrictive_option = models.TextField("The least restrictive option considered")
    sharing_in_best_interests = models.BooleanField("Is sharing in the person's best interests?")
    reasons = models.TextField("Reasons")
    review_date = models.DateField("Review by")

    class Meta:
        ordering = ["-decided_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(consulted=[]), name="best_interests_someone_consulted"
            ),
            models.CheckConstraint(
                condition=Q(review_date__gte=models.F("decided_on")),
                name="best_interests_review_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{'Share' if self.sharing_in_best_interests else 'Do not share'}: {self.decision}"

    @property
    def decision_maker(self):
        return self.recorded_by

    def consulted_labels(self) -> list[str]:
        return [self.Consultee(value).label for value in self.consulted]


class Representative(PersonRecord):
    """An attorney (Lasting Power of Attorney) or Court of Protection deputy for the person."""

    detail_url_name = "representative_detail"

    Kind = rules.RepresentativeKind

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="representatives")
    kind = models.CharField("Type", max_length=32, choices=rules.RepresentativeKind.choices)
    name = models.CharField("Full name", max_length=200)
    relationship = models.CharField("Relationship to the person", max_length=200, blank=True)
    contact_details = models.TextField("Contact details")
    covers = ArrayField(
        models.CharField(max_length=32, choices=InformationCategory.choices),
        verbose_name="Information their authority covers",
    )
    scope_notes = models.TextField("Limits or conditions in the power or order", blank=True)
    valid_from = models.DateField("Valid from")
    valid_to = models.DateField("Valid until", null=True, blank=True)

    class Meta:
        ordering = ["name", "-recorded_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(covers=[]), name="representative_covers_something"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="representative_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.get_kind_display()}"

    def _one(self, name):
        try:
            return getattr(self, name)
        except (RepresentativeVerification.DoesNotExist, RepresentativeRevocation.DoesNotExist):
            return None

    @property
    def verification_or_none(self) -> "RepresentativeVerification | None":
        return self._one("verification")

    @property
    def revocation_or_none(self) -> "RepresentativeRevocation | None":
        return self._one("revocation")

    def covers_labels(self) -> list[str]:
        return [InformationCategory(value).label for value in self.covers]

    def standing_on(self, day) -> rules.Standing:
        verification, revocation = self.verification_or_none, self.revocation_or_none
        return rules.representative_standing(
            verified_on=verification.verified_on if verification else None,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            revoked_on=revocation.revoked_on if revocation else None,
            day=day,
        )


class RepresentativeVerification(models.Model):
    """Evidence that the power or order is real and registered, seen by a member of staff."""

    class Method(models.TextChoices):
        OPG_USE_AN_LPA = (
            "opg_use_an_lpa",
            "Office of the Public Guardian 'use a lasting power of attorney' service (access code)",
        )
        OPG_REGISTER = "opg_register", "Office of the Public Guardian register search"
        CERTIFIED_COPY = (
            "certified_copy",
            "Original or certified copy of the registered power seen",
        )
        COURT_ORDER = "court_order", "Sealed Court of Protection order (or certified copy) seen"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    representative = models.OneToOneField(
        Representative, on_delete=models.PROTECT, related_name="verification"
    )
    method = models.CharField("How it was checked", max_length=32, choices=Method.choices)
    reference = models.CharField("Reference", max_length=200)
    verified_on = models.DateField("Date checked")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(reference=""), name="verification_has_reference")
        ]

    def __str__(self) -> str:
        return f"Verified {self.verified_on:%d %b %Y}"


class RepresentativeRevocation(models.Model):
    """The power or order has ended (revoked, cancelled by the court, or the person has died)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    representative = models.OneToOneField(
        Representative, on_delete=models.PROTECT, related_name="revocation"
    )
    revoked_on = models.DateField("Date it ended")
    reason = models.TextField("Why")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="revocation_has_a_reason")
        ]

    def __str__(self) -> str:
        return f"Ended {self.revoked_on:%d %b %Y}"
