"""The consent app's entries in a person's chronology."""

from datetime import datetime, time

from django.utils import timezone

from carehub.chronology import Entry

from .models import (
    BestInterestsDecision,
    CapacityAssessment,
    ConsentRecord,
    ConsentWithdrawal,
    Representative,
    RepresentativeRevocation,
    RepresentativeVerification,
)


def _noon(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def entries(person):
    for consent in ConsentRecord.objects.filter(person=person).select_related("recorded_by"):
        yield Entry(
            consent.recorded_at,
            consent.get_status_display(),
            f"{consent.information} to {consent.recipient.lower()}",
            consent.recorded_by,
            consent.get_absolute_url(),
        )
    for withdrawal in ConsentWithdrawal.objects.filter(consent__person=person).select_related(
        "consent", "withdrawn_by"
    ):
        yield Entry(
            withdrawal.withdrawn_at,
            "Consent withdrawn",
            f"{withdrawal.consent.information}: {withdrawal.reason}",
            withdrawal.withdrawn_by,
            withdrawal.consent.get_absolute_url(),
        )
    for assessment in CapacityAssessment.objects.filter(person=person).select_related(
        "recorded_by"
    ):
        yield Entry(
            assessment.recorded_at,
            "Capacity assessed",
            f"{assessment.decision}: {assessment.get_outcome_display().lower()}",
            assessment.recorded_by,
            assessment.get_absolute_url(),
        )
    for decision in BestInterestsDecision.objects.filter(person=person).select_related(
        "recorded_by"
    ):
        yield Entry(
            decision.recorded_at,
            "Best-interests decision",
            str(decision),
            decision.recorded_by,
            decision.get_absolute_url(),
        )
    for representative in Representative.objects.filter(person=person).select_related(
        "recorded_by"
    ):
        yield Entry(
            representative.recorded_at,
            "Attorney or deputy added",
            str(representative),
            representative.recorded_by,
            representative.get_absolute_url(),
        )
    for check in RepresentativeVerification.objects.filter(
        representative__person=person
    ).select_related("representative", "verified_by"):
        yield Entry(
            check.recorded_at,
            "Attorney or deputy verified",
            f"{check.representative}: {check.get_method_display()}",
            check.verified_by,
            check.representative.get_absolute_url(),
        )
    for ending in RepresentativeRevocation.objects.filter(
        representative__person=person
    ).select_related("representative", "recorded_by"):
        yield Entry(
            ending.recorded_at,
            "Power or order ended",
            f"{ending.representative}: {ending.reason}",
            ending.recorded_by,
            ending.representative.get_absolute_url(),
        )
