"""Reading the consent records: what they establish for a sharing decision, and lists.

``facts_for_sharing`` answers, for one person, one kind of information, one recipient and one
day, the decision engine's facts that the records can establish, each with the record it came
from. A fact the records cannot establish — nothing recorded, recorded for another decision,
withdrawn, past its review date — is unknown, with the reason, so that the question is asked.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, Model, OuterRef, QuerySet
from django.utils import timezone

from carehub import access
from carehub.models import Person

from . import rules
from .models import (
    BestInterestsDecision,
    CapacityAssessment,
    ConsentRecord,
    Representative,
)

PERSON_HAS_CAPACITY = "person_has_capacity"
CONSENT = "consent"
BEST_INTERESTS = "best_interests"
ATTORNEY_AUTHORITY = "attorney_authority_covers_information"


@dataclass(frozen=True)
class Fact:
    """One engine fact: its value (None when unknown), the record it came from, and why."""

    name: str
    value: bool | str | None
    source: Model | None
    explanation: str

    @property
    def known(self) -> bool:
        return self.value is not None


def known_values(facts: dict[str, Fact]) -> dict[str, bool | str]:
    """The known facts as the engine takes them (unknown facts are left out)."""
    return {name: fact.value for name, fact in facts.items() if fact.known}


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def consent_fact(
    *, person: Person, information_category: str, recipient_class: str, recipient_name: str, day
) -> Fact:
    """Consent for this information to this recipient on ``day``.

    A record for the whole class of recipient ("any family member") answers for a named one; a
    record for a named recipient answers only for them. If any current record refuses, the
    answer is refused: a refusal is never outweighed by a broader consent.
    """
    records = [
        record
        for record in ConsentRecord.objects.filter(
            person=person,
            information_category=information_category,
            recipient_class=recipient_class,
        ).select_related("withdrawal")
        if not record.recipient_name or _same_name(record.recipient_name, recipient_name)
    ]
    current = {rules.GIVEN: [], rules.REFUSED: []}
    for record in records:
        state = record.state_on(day)
        if state in current:
            current[state].append(record)
    for status in (rules.REFUSED, rules.GIVEN):
        if current[status]:
            record = current[status][0]
            recorded_on = timezone.localdate(record.recorded_at)
            return Fact(
                CONSENT,
                status,
                record,
                f"{record.get_status_display()} on {recorded_on:%-d %B %Y}"
                f" for {record.information.lower()} to {record.recipient.lower()}. "
                "Check the person still wants it shared this time.",
            )
    lapsed = [r for r in records if r.state_on(day) in (rules.WITHDRAWN, rules.REVIEW_OVERDUE)]
    if lapsed:
        record = lapsed[0]
        if record.state_on(day) == rules.WITHDRAWN:
            why = f"withdrawn on {timezone.localdate(record.withdrawal.withdrawn_at):%-d %B %Y}"
        else:
            why = f"past its review date ({record.review_date:%-d %B %Y})"
        return Fact(CONSENT, None, record, f"The consent record is {why}: ask the person.")
    return Fact(
        CONSENT,
        None,
        None,
        "No consent is recorded for this information and this recipient. Consent to other "
        "information or another recipient does not count: ask the person.",
    )


def capacity_fact(*, person: Person, information_category: str, recipient_class: str, day) -> Fact:
    """Capacity for this decision on ``day``: only an assessment of this decision counts."""
    assessments = CapacityAssessment.objects.filter(person=person, assessed_on__lte=day)
    same_decision = assessments.filter(
        information_category=information_category, recipient_class=recipient_class
    )
    for assessment in same_decision:  # newest first
        made_on, review_date = assessment.assessed_on, assessment.review_date
        if rules.is_current(made_on=made_on, review_date=review_date, day=day):
            return Fact(
                PERSON_HAS_CAPACITY,
                not assessment.lacks_capacity,
                assessment,
                f"{assessment.get_outcome_display()}, assessed on "
                f"{assessment.assessed_on:%-d %B %Y}.",
            )
    if latest := same_decision.first():
        return Fact(
            PERSON_HAS_CAPACITY,
            None,
            latest,
            f"The assessment of {latest.assessed_on:%-d %B %Y} is past its review date: "
            "capacity is time-specific, so assess it again.",
        )
    if other := assessments.first():
        return Fact(
            PERSON_HAS_CAPACITY,
            None,
            other,
            "Capacity was assessed for a different decision, which does not answer this one. "
            "Assume the person has capacity unless an assessment of this decision shows "
            "otherwise.",
        )
    return Fact(
        PERSON_HAS_CAPACITY,
        None,
        None,
        "No capacity assessment is recorded for this decision. Assume the person has capacity "
        "unless it is established that they lack it.",
    )


def best_interests_fact(
    *, person: Person, information_category: str, recipient_class: str, day
) -> Fact:
    decisions = BestInterestsDecision.objects.filter(
        person=person,
        information_category=information_category,
        recipient_class=recipient_class,
        decided_on__lte=day,
    )
    for decision in decisions:  # newest first
        if rules.is_current(made_on=decision.decided_on, review_date=decision.review_date, day=day):
            return Fact(
                BEST_INTERESTS,
                decision.sharing_in_best_interests,
                decision,
                f"Best-interests decision of {decision.decided_on:%-d %B %Y}: "
                f"{'sharing is' if decision.sharing_in_best_interests else 'sharing is not'} "
                "in the person's best interests.",
            )
    if latest := decisions.first():
        return Fact(
            BEST_INTERESTS,
            None,
            latest,
            f"The best-interests decision of {latest.decided_on:%-d %B %Y} is past its review "
            "date.",
        )
    return Fact(
        BEST_INTERESTS, None, None, "No best-interests decision is recorded for this sharing."
    )


def authority_fact(*, representative: Representative, information_category: str, day) -> Fact:
    """Does this attorney's or deputy's verified authority cover this information on ``day``?"""
    standing = representative.standing_on(day)
    if not standing and standing.flag.startswith("Not verified"):
        return Fact(ATTORNEY_AUTHORITY, None, representative, standing.flag)
    if not standing:
        return Fact(ATTORNEY_AUTHORITY, False, representative, standing.flag)
    if information_category not in representative.covers:
        return Fact(
            ATTORNEY_AUTHORITY,
            False,
            representative,
            f"Out of scope: their {representative.get_kind_display().split(': ')[-1]} does not "
            "cover this information.",
        )
    verification = representative.verification
    return Fact(
        ATTORNEY_AUTHORITY,
        True,
        representative,
        f"Verified on {verification.verified_on:%-d %B %Y} ({verification.get_method_display()});"
        " their authority covers this information.",
    )


def facts_for_sharing(
    *,
    person: Person,
    information_category: str,
    recipient_class: str,
    recipient_name: str = "",
    day: date | None = None,
    representative: Representative | None = None,
) -> dict[str, Fact]:
    """What the records establish for sharing this information with this recipient on ``day``."""
    day = day or timezone.localdate()
    about = {
        "person": person,
        "information_category": information_category,
        "recipient_class": recipient_class,
        "day": day,
    }
    facts = [
        capacity_fact(**about),
        consent_fact(**about, recipient_name=recipient_name),
        best_interests_fact(**about),
    ]
    if representative is not None:
        if representative.person_id != person.pk:
            raise ValueError("The representative acts for a different person")
        facts.append(
            authority_fact(
                representative=representative, information_category=information_category, day=day
            )
        )
    return {fact.name: fact for fact in facts}


REVIEW_WINDOW = timedelta(days=30)


def consents_due_for_review(user, *, day: date | None = None) -> QuerySet[ConsentRecord]:
    """Standing consents and refusals in the manager's services whose review date has passed
    or falls within the next 30 days, soonest first."""
    day = day or timezone.localdate()
    services = access.services_for(user, "consent.review")
    superseded = ConsentRecord.objects.filter(
        person=OuterRef("person"),
        information_category=OuterRef("information_category"),
        recipient_class=OuterRef("recipient_class"),
        recipient_name__iexact=OuterRef("recipient_name"),
        recorded_at__gt=OuterRef("recorded_at"),
    )
    return (
        ConsentRecord.objects.filter(
            person__service__in=services,
            withdrawal__isnull=True,
            review_date__lte=day + REVIEW_WINDOW,
        )
        .exclude(Exists(superseded))
        .select_related("person", "person__service")
        .order_by("review_date", "person__family_name")
    )


def unverified_representatives(user) -> QuerySet[Representative]:
    services = access.services_for(user, "consent.review")
    return (
        Representative.objects.filter(
            person__service__in=services, verification__isnull=True, revocation__isnull=True
        )
        .select_related("person", "person__service")
        .order_by("recorded_at")
    )
