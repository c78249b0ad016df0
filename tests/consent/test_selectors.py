"""The facts selector: what the records establish for one sharing decision, and from where."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from consent import selectors
from consent.models import ConsentWithdrawal, RepresentativeRevocation
from tests.factories import (
    BestInterestsDecisionFactory,
    CapacityAssessmentFactory,
    ConsentRecordFactory,
    RepresentativeFactory,
    RepresentativeVerificationFactory,
)


def today():
    """Today, asked afresh: a run may cross midnight."""
    return timezone.localdate()


def at(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))


def facts(person, category="health", recipient="family", name="", day=None, **kwargs):
    return selectors.facts_for_sharing(
        person=person,
        information_category=category,
        recipient_class=recipient,
        recipient_name=name,
        day=today() if day is None else day,
        **kwargs,
    )


def withdraw(consent, on=None):
    return ConsentWithdrawal.objects.create(
        consent=consent,
        withdrawn_by=consent.recorded_by,
        reason="She changed her mind",
        withdrawn_at=at(today() if on is None else on),
    )


# --- consent ---------------------------------------------------------------------------------


def test_nothing_recorded_means_every_fact_is_unknown(person_a):
    result = facts(person_a)
    assert set(result) == {"person_has_capacity", "consent", "best_interests"}
    assert all(not fact.known and fact.source is None for fact in result.values())
    assert selectors.known_values(result) == {}


@pytest.mark.parametrize("status", ["given", "refused"])
def test_a_current_consent_record_establishes_its_answer(person_a, status):
    record = ConsentRecordFactory(person=person_a, status=status)
    fact = facts(person_a)["consent"]
    assert (fact.value, fact.source) == (status, record)
    assert "Check the person still wants it shared" in fact.explanation


def test_withdrawn_consent_is_unknown_from_the_day_of_withdrawal(person_a):
    record = ConsentRecordFactory(person=person_a, recorded_at=at(today() - timedelta(days=10)))
    withdraw(record, on=today() - timedelta(days=2))

    assert facts(person_a, day=today() - timedelta(days=3))["consent"].value == "given"
    fact = facts(person_a)["consent"]
    assert (fact.value, fact.source) == (None, record)
    assert "withdrawn" in fact.explanation


def test_consent_past_its_review_date_is_unknown(person_a):
    record = ConsentRecordFactory(
        person=person_a,
        recorded_at=at(today() - timedelta(days=400)),
        review_date=today() - timedelta(days=1),
    )
    fact = facts(person_a)["consent"]
    assert (fact.value, fact.source) == (None, record)
    assert "review date" in fact.explanation
    assert facts(person_a, day=today() - timedelta(days=1))["consent"].value == "given"


def test_consent_says_nothing_about_a_day_before_it_was_recorded(person_a):
    ConsentRecordFactory(person=person_a)
    assert facts(person_a, day=today() - timedelta(days=1))["consent"].value is None


@pytest.mark.parametrize(
    ("category", "recipient"),
    [("finances", "family"), ("health", "gp"), ("test_results", "family")],
)
def test_consent_never_answers_for_other_information_or_another_recipient(
    person_a, category, recipient
):
    ConsentRecordFactory(person=person_a, information_category="health", recipient_class="family")
    fact = facts(person_a, category=category, recipient=recipient)["consent"]
    assert (fact.value, fact.source) == (None, None)
    assert "does not count" in fact.explanation


def test_consent_of_another_person_does_not_count(person_a, service_a):
    ConsentRecordFactory(person__service=service_a)
    assert facts(person_a)["consent"].value is None


def test_named_consent_covers_only_that_person(person_a):
    ConsentRecordFactory(person=person_a, recipient_name="Susan Clarke")
    assert facts(person_a, name="susan  clarke")["consent"].value == "given"
    assert facts(person_a, name="Peter Clarke")["consent"].value is None
    assert facts(person_a, name="")["consent"].value is None


def test_consent_for_a_whole_class_covers_a_named_member(person_a):
    ConsentRecordFactory(person=person_a, recipient_name="")
    assert facts(person_a, name="Susan Clarke")["consent"].value == "given"


def test_a_refusal_outweighs_a_broader_consent(person_a):
    ConsentRecordFactory(person=person_a, recipient_name="", status="given")
    refusal = ConsentRecordFactory(person=person_a, recipient_name="Peter Clarke", status="refused")
    fact = facts(person_a, name="Peter Clarke")["consent"]
    assert (fact.value, fact.source) == ("refused", refusal)
    assert facts(person_a, name="Susan Clarke")["consent"].value == "given"


def test_a_new_consent_after_a_withdrawal_counts(person_a):
    old = ConsentRecordFactory(
        person=person_a, status="refused", recorded_at=at(today() - timedelta(days=30))
    )
    withdraw(old, on=today() - timedelta(days=5))
    new = ConsentRecordFactory(person=person_a, status="given")
    fact = facts(person_a)["consent"]
    assert (fact.value, fact.source) == ("given", new)


# --- capacity --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome_overrides", "value"),
    [({}, False), ({"impairment": False, "outcome": "has_capacity"}, True)],
)
def test_a_current_assessment_of_this_decision_establishes_capacity(
    person_a, outcome_overrides, value
):
    assessment = CapacityAssessmentFactory(person=person_a, **outcome_overrides)
    fact = facts(person_a)["person_has_capacity"]
    assert (fact.value, fact.source) == (value, assessment)


def test_an_assessment_for_another_decision_does_not_answer_this_one(person_a):
    other = CapacityAssessmentFactory(person=person_a, information_category="finances")
    fact = facts(person_a)["person_has_capacity"]
    assert (fact.value, fact.source) == (None, other)
    assert "different decision" in fact.explanation
    assert facts(person_a, recipient="gp")["person_has_capacity"].value is None


def test_an_assessment_past_its_review_date_is_unknown(person_a):
    stale = CapacityAssessmentFactory(
        person=person_a,
        assessed_on=today() - timedelta(days=100),
        review_date=today() - timedelta(days=1),
    )
    fact = facts(person_a)["person_has_capacity"]
    assert (fact.value, fact.source) == (None, stale)
    assert "past its review date" in fact.explanation


def test_an_assessment_made_after_the_day_does_not_answer_for_it(person_a):
    CapacityAssessmentFactory(person=person_a, assessed_on=today())
    assert facts(person_a, day=today() - timedelta(days=1))["person_has_capacity"].value is None


def test_the_newest_current_assessment_wins(person_a):
    CapacityAssessmentFactory(person=person_a, assessed_on=today() - timedelta(days=20))
    newer = CapacityAssessmentFactory(
        person=person_a,
        assessed_on=today() - timedelta(days=2),
        impairment=False,
        outcome="has_capacity",
    )
    fact = facts(person_a)["person_has_capacity"]
    assert (fact.value, fact.source) == (True, newer)


# --- best interests --------------------------------------------------------------------------


@pytest.mark.parametrize("in_best_interests", [True, False])
def test_a_current_best_interests_decision_is_established(person_a, in_best_interests):
    decision = BestInterestsDecisionFactory(
        capacity_assessment__person=person_a, sharing_in_best_interests=in_best_interests
    )
    fact = facts(person_a)["best_interests"]
    assert (fact.value, fact.source) == (in_best_interests, decision)


def test_best_interests_for_another_recipient_or_information_is_unknown(person_a):
    BestInterestsDecisionFactory(capacity_assessment__person=person_a)
    assert facts(person_a, recipient="gp")["best_interests"].value is None
    assert facts(person_a, category="finances")["best_interests"].value is None


def test_best_interests_past_review_is_unknown(person_a):
    stale = BestInterestsDecisionFactory(
        capacity_assessment__person=person_a,
        capacity_assessment__assessed_on=today() - timedelta(days=60),
        decided_on=today() - timedelta(days=60),
        review_date=today() - timedelta(days=1),
    )
    fact = facts(person_a)["best_interests"]
    assert (fact.value, fact.source) == (None, stale)


# --- representatives -------------------------------------------------------------------------


def verified(person, **kwargs):
    return RepresentativeVerificationFactory(representative__person=person, **kwargs).representative


def test_a_verified_current_attorney_whose_power_covers_the_information(person_a):
    attorney = verified(person_a)
    fact = facts(person_a, representative=attorney)["attorney_authority_covers_information"]
    assert (fact.value, fact.source) == (True, attorney)


def test_an_out_of_scope_attorney_has_no_authority(person_a):
    attorney = verified(person_a, representative__covers=["care_plan"])
    fact = facts(person_a, representative=attorney)["attorney_authority_covers_information"]
    assert (fact.value, fact.source) == (False, attorney)
    assert fact.explanation.startswith("Out of scope")


def test_a_property_and_finance_attorney_does_not_cover_health(person_a):
    attorney = verified(
        person_a, representative__kind="lpa_property_finance", representative__covers=["finances"]
    )
    assert (
        facts(person_a, representative=attorney)["attorney_authority_covers_information"].value
        is False
    )
    assert (
        facts(person_a, category="finances", representative=attorney)[
            "attorney_authority_covers_information"
        ].value
        is True
    )


def test_an_unverified_attorney_is_unknown(person_a):
    attorney = RepresentativeFactory(person=person_a)
    fact = facts(person_a, representative=attorney)["attorney_authority_covers_information"]
    assert (fact.value, fact.source) == (None, attorney)
    assert fact.explanation.startswith("Not verified")


def test_an_expired_or_ended_power_gives_no_authority(person_a):
    expired = verified(person_a, representative__valid_to=today() - timedelta(days=1))
    assert (
        facts(person_a, representative=expired)["attorney_authority_covers_information"].value
        is False
    )
    ended = verified(person_a)
    RepresentativeRevocation.objects.create(
        representative=ended,
        revoked_on=today(),
        reason="Revoked by the donor",
        recorded_by=ended.recorded_by,
    )
    fact = facts(person_a, representative=ended)["attorney_authority_covers_information"]
    assert fact.value is False and fact.explanation.startswith("Ended")


def test_a_representative_of_someone_else_is_refused(person_a, person_b):
    with pytest.raises(ValueError, match="different person"):
        facts(person_a, representative=RepresentativeFactory(person=person_b))


def test_known_values_are_ready_for_the_engine(person_a):
    CapacityAssessmentFactory(person=person_a)
    BestInterestsDecisionFactory(capacity_assessment__person=person_a)
    assert selectors.known_values(facts(person_a)) == {
        "person_has_capacity": False,
        "best_interests": True,
    }
