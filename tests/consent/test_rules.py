"""The consent rules as plain tables: capacity outcome, consent state, representative standing."""

from datetime import date
from itertools import product

import pytest

from consent import rules

D = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("impairment", "understand", "retain", "weigh", "communicate"),
    list(product([True, False], repeat=5)),
)
def test_capacity_outcome_for_every_combination_of_answers(
    impairment, understand, retain, weigh, communicate
):
    outcome = rules.capacity_outcome(
        impairment=impairment,
        understand=understand,
        retain=retain,
        use_or_weigh=weigh,
        communicate=communicate,
    )
    cannot_decide = not all([understand, retain, weigh, communicate])
    expected = rules.LACKS_CAPACITY if impairment and cannot_decide else rules.HAS_CAPACITY
    assert outcome == expected


@pytest.mark.parametrize(
    ("status", "recorded_on", "review_date", "withdrawn_on", "expected"),
    [
        ("given", date(2026, 1, 1), date(2026, 6, 1), None, rules.GIVEN),
        ("refused", date(2026, 1, 1), date(2026, 6, 1), None, rules.REFUSED),
        ("given", date(2026, 1, 1), D, None, rules.GIVEN),  # review date itself still counts
        ("given", date(2026, 1, 1), date(2026, 3, 9), None, rules.REVIEW_OVERDUE),
        ("refused", date(2026, 1, 1), date(2026, 3, 9), None, rules.REVIEW_OVERDUE),
        ("given", date(2026, 1, 1), date(2026, 6, 1), D, rules.WITHDRAWN),
        ("given", date(2026, 1, 1), date(2026, 6, 1), date(2026, 3, 11), rules.GIVEN),
        ("given", date(2026, 1, 1), date(2026, 3, 1), date(2026, 2, 1), rules.WITHDRAWN),
        ("given", date(2026, 3, 11), date(2026, 6, 1), None, rules.NOT_YET_RECORDED),
    ],
)
def test_consent_state_on_a_day(status, recorded_on, review_date, withdrawn_on, expected):
    state = rules.consent_state(
        status=status,
        recorded_on=recorded_on,
        review_date=review_date,
        withdrawn_on=withdrawn_on,
        day=D,
    )
    assert state == expected


@pytest.mark.parametrize(
    ("made_on", "review_date", "expected"),
    [
        (date(2026, 3, 1), date(2026, 4, 1), True),
        (D, D, True),
        (date(2026, 3, 11), date(2026, 4, 1), False),  # made after the day asked about
        (date(2026, 1, 1), date(2026, 3, 9), False),  # past its review date
    ],
)
def test_is_current(made_on, review_date, expected):
    assert rules.is_current(made_on=made_on, review_date=review_date, day=D) is expected


@pytest.mark.parametrize(
    ("verified_on", "valid_from", "valid_to", "revoked_on", "may_act", "flag"),
    [
        (date(2026, 1, 5), date(2025, 1, 1), None, None, True, ""),
        (None, date(2025, 1, 1), None, None, False, "Not verified"),
        (date(2026, 3, 11), date(2025, 1, 1), None, None, False, "Not verified"),
        (date(2026, 1, 5), date(2026, 3, 11), None, None, False, "Not yet valid"),
        (date(2026, 1, 5), date(2025, 1, 1), date(2026, 3, 9), None, False, "Expired"),
        (date(2026, 1, 5), date(2025, 1, 1), D, None, True, ""),
        (date(2026, 1, 5), date(2025, 1, 1), None, D, False, "Ended"),
        (date(2026, 1, 5), date(2025, 1, 1), None, date(2026, 3, 11), True, ""),
        (None, date(2025, 1, 1), None, date(2026, 2, 1), False, "Ended"),
    ],
)
def test_representative_standing(verified_on, valid_from, valid_to, revoked_on, may_act, flag):
    standing = rules.representative_standing(
        verified_on=verified_on,
        valid_from=valid_from,
        valid_to=valid_to,
        revoked_on=revoked_on,
        day=D,
    )
    assert bool(standing) is may_act
    assert standing.flag.startswith(flag) if flag else standing.flag == ""


@pytest.mark.parametrize(
    ("kind", "category", "allowed"),
    [
        ("lpa_property_finance", "finances", True),
        ("lpa_property_finance", "health", False),
        ("deputy_property_affairs", "care_plan", False),
        ("lpa_health_welfare", "health", True),
        ("lpa_health_welfare", "finances", False),
        ("deputy_personal_welfare", "images_video", True),
        ("lpa_health_welfare", "contact_details", True),
        ("lpa_property_finance", "contact_details", True),
    ],
)
def test_what_each_kind_of_power_can_cover(kind, category, allowed):
    assert (category in rules.categories_a_kind_can_cover(kind)) is allowed
