"""Demo consent records for `make run`: enough for a trainer to show each kind. Idempotent:
each record has a fixed submission key, so loading twice finds the first."""

import uuid
from datetime import timedelta

from django.utils import timezone

from carehub.models import Person, User

from .models import (
    BestInterestsDecision,
    CapacityAssessment,
    ConsentRecord,
    Representative,
    RepresentativeVerification,
)

NAMESPACE = uuid.UUID("2f1d0f3e-6a4b-4c59-9d0e-6b1f0c9a7e21")


def key(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


def load(service) -> None:
    people = list(
        Person.objects.filter(service=service, is_active=True).order_by(
            "family_name", "given_name"
        )[:3]
    )
    if len(people) < 3:
        return
    carer = User.objects.get(username=f"{service.name.split()[0].lower()}.carer")
    manager = User.objects.get(username=f"{service.name.split()[0].lower()}.manager")
    today = timezone.localdate()
    first, second, third = people
    ConsentRecord.objects.get_or_create(
        submission_key=key(f"{service.pk}-consent"),
        defaults={
            "person": first,
            "recorded_by": carer,
            "information_category": "test_results",
            "recipient_class": "family",
            "purpose": "So her family can support her at appointments",
            "status": "given",
            "how_obtained": "in_person",
            "review_date": today + timedelta(days=180),
        },
    )
    assessment, _ = CapacityAssessment.objects.get_or_create(
        submission_key=key(f"{service.pk}-capacity"),
        defaults={
            "person": second,
            "recorded_by": manager,
            "decision": "Whether to share health information with family",
            "information_category": "health",
            "recipient_class": "family",
            "assessed_on": today - timedelta(days=7),
            "support_given": "Explained in the morning, in plain words, with a familiar carer",
            "impairment": True,
            "impairment_evidence": "Diagnosed with advanced dementia",
            "can_understand": False,
            "understand_evidence": "Could not say what was being asked",
            "can_retain": False,
            "retain_evidence": "Did not recall the conversation",
            "can_use_or_weigh": False,
            "use_or_weigh_evidence": "Could not weigh the choice",
            "can_communicate": True,
            "communicate_evidence": "Speaks clearly",
            "outcome": "lacks_capacity",
            "review_date": today + timedelta(days=90),
        },
    )
    BestInterestsDecision.objects.get_or_create(
        submission_key=key(f"{service.pk}-best-interests"),
        defaults={
            "person": second,
            "recorded_by": manager,
            "capacity_assessment": assessment,
            "decision": "Share health updates with family",
            "information_category": "health",
            "recipient_class": "family",
            "decided_on": today - timedelta(days=6),
            "consulted": ["family", "carers"],
            "consultation_notes": "Family and key worker agree",
            "wishes_and_feelings": "Always kept the family informed",
            "could_regain_capacity": "no",
            "least_restrictive_option": "Updates by phone only",
            "sharing_in_best_interests": True,
            "reasons": "Matches long-held wishes",
            "review_date": today + timedelta(days=90),
        },
    )
    attorney, _ = Representative.objects.get_or_create(
        submission_key=key(f"{service.pk}-attorney"),
        defaults={
            "person": second,
            "recorded_by": manager,
            "kind": "lpa_health_welfare",
            "name": f"Chris {second.family_name}",
            "relationship": "Son",
            "contact_details": "07700 900000 (demo)",
            "covers": ["health", "care_plan"],
            "valid_from": today - timedelta(days=400),
        },
    )
    if not RepresentativeVerification.objects.filter(representative=attorney).exists():
        RepresentativeVerification.objects.create(
            representative=attorney,
            method="opg_use_an_lpa",
            reference="V-DEMO-0001",
            verified_on=today - timedelta(days=5),
            verified_by=manager,
        )
    Representative.objects.get_or_create(
        submission_key=key(f"{service.pk}-unverified"),
        defaults={
            "person": third,
            "recorded_by": manager,
            "kind": "lpa_property_finance",
            "name": f"Sam {third.family_name}",
            "relationship": "Daughter",
            "contact_details": "07700 900001 (demo)",
            "covers": ["finances"],
            "valid_from": today - timedelta(days=200),
        },
    )
