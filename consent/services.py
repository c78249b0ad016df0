"""Writing consent records. Each write is one transaction that locks the person's row, so two
people saving at once cannot both create a duplicate, and a resubmitted form finds the record
its first submission made instead of making another."""

from django.db import transaction
from django.utils import timezone

from carehub.models import Person
from carehub.once import Saved, create_once

from .models import (
    BestInterestsDecision,
    CapacityAssessment,
    ConsentRecord,
    ConsentWithdrawal,
    PersonRecord,
    Representative,
    RepresentativeRevocation,
    RepresentativeVerification,
)


class AlreadyRecordedError(Exception):
    """The thing was already done (by this submission or another); nothing was changed."""

    def __init__(self, message: str, existing=None):
        super().__init__(message)
        self.existing = existing


class DuplicateError(Exception):
    """A standing record for the same information and recipient already exists."""

    def __init__(self, existing: ConsentRecord):
        super().__init__("A standing record already exists")
        self.existing = existing


def _lock(person: Person) -> None:
    Person.objects.select_for_update().filter(pk=person.pk).exists()


def _create(model, *, person: Person, user, submission_key, instance: PersonRecord) -> Saved:
    return create_once(instance, submission_key, person=person, recorded_by=user)


@transaction.atomic
def record_consent(*, person: Person, user, submission_key, consent: ConsentRecord) -> Saved:
    """Save a new consent or refusal. Refuses a second standing record for the same
    information and recipient: the first must be withdrawn (with a reason) before a new one."""
    _lock(person)
    if existing := ConsentRecord.objects.filter(submission_key=submission_key).first():
        return Saved(existing, created=False)
    duplicate = (
        ConsentRecord.objects.filter(
            person=person,
            information_category=consent.information_category,
            recipient_class=consent.recipient_class,
            recipient_name__iexact=consent.recipient_name.strip(),
            withdrawal__isnull=True,
            review_date__gte=timezone.localdate(),
        )
        .order_by("-recorded_at")
        .first()
    )
    if duplicate is not None:
        raise DuplicateError(duplicate)
    consent.recipient_name = consent.recipient_name.strip()
    return _create(
        ConsentRecord, person=person, user=user, submission_key=submission_key, instance=consent
    )


@transaction.atomic
def withdraw_consent(*, consent: ConsentRecord, user, reason: str) -> ConsentWithdrawal:
    _lock(consent.person)
    if ConsentWithdrawal.objects.filter(consent=consent).exists():
        raise AlreadyRecordedError("This consent has already been withdrawn", consent)
    return ConsentWithdrawal.objects.create(consent=consent, withdrawn_by=user, reason=reason)


@transaction.atomic
def record_capacity_assessment(
    *, person: Person, user, submission_key, assessment: CapacityAssessment
) -> Saved:
    _lock(person)
    return _create(
        CapacityAssessment,
        person=person,
        user=user,
        submission_key=submission_key,
        instance=assessment,
    )


@transaction.atomic
def record_best_interests_decision(
    *, person: Person, user, submission_key, decision: BestInterestsDecision
) -> Saved:
    _lock(person)
    assessment = decision.capacity_assessment
    if assessment.person_id != person.pk or not assessment.lacks_capacity:
        raise ValueError("A best-interests decision rests on this person's lack of capacity")
    return _create(
        BestInterestsDecision,
        person=person,
        user=user,
        submission_key=submission_key,
        instance=decision,
    )


@transaction.atomic
def record_representative(
    *, person: Person, user, submission_key, representative: Representative
) -> Saved:
    _lock(person)
    return _create(
        Representative,
        person=person,
        user=user,
        submission_key=submission_key,
        instance=representative,
    )


@transaction.atomic
def verify_representative(
    *, representative: Representative, user, verification: RepresentativeVerification
) -> RepresentativeVerification:
    _lock(representative.person)
    if RepresentativeVerification.objects.filter(representative=representative).exists():
        raise AlreadyRecordedError("This representative has already been verified", representative)
    if RepresentativeRevocation.objects.filter(representative=representative).exists():
        raise AlreadyRecordedError(
            "This power or order has ended: it cannot be verified", representative
        )
    verification.representative = representative
    verification.verified_by = user
    verification.save()
    return verification


@transaction.atomic
def end_representative(
    *, representative: Representative, user, revocation: RepresentativeRevocation
) -> RepresentativeRevocation:
    _lock(representative.person)
    if RepresentativeRevocation.objects.filter(representative=representative).exists():
        raise AlreadyRecordedError(
            "This power or order is already recorded as ended", representative
        )
    if revocation.revoked_on < representative.valid_from:
        raise ValueError("A power cannot end before it starts")
    revocation.representative = representative
    revocation.recorded_by = user
    revocation.save()
    return revocation
