"""What a decision record must hold: the subject-access clock and when sign-off is needed."""

from datetime import date

import pytest

from decisions.recording import PRINCIPLES, needs_sign_off, one_calendar_month_after


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 3, 10), date(2026, 4, 10)),
        (date(2026, 1, 31), date(2026, 2, 28)),  # no 31 February: the month's last day
        (date(2028, 1, 31), date(2028, 2, 29)),  # leap year
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 12, 15), date(2027, 1, 15)),  # over the year end
        (date(2026, 8, 31), date(2026, 9, 30)),
        (date(2026, 2, 28), date(2026, 3, 28)),
    ],
)
def test_one_calendar_month(received, due):
    assert one_calendar_month_after(received) == due


@pytest.mark.parametrize(
    ("route", "recommendation", "final", "facts", "expected"),
    [
        ("family_carer_friend", "withhold", "withhold", {}, False),
        ("family_carer_friend", "share", "share", {"consent": "given"}, False),
        ("family_carer_friend", "withhold", "share", {}, True),  # departs
        ("family_carer_friend", "share", "withhold", {"consent": "given"}, True),  # departs
        ("safeguarding", "seek_advice", "withhold", {"consent": "refused"}, False),
        ("safeguarding", "seek_advice", "share", {"consent": "refused"}, True),
        ("safeguarding", "share", "share", {"consent": "given"}, False),
        ("safeguarding", "share", "share", {"consent": "refused", "harm": "serious"}, True),
        ("safeguarding", "share", "share", {"best_interests": True}, True),
        ("safeguarding", "share", "share", {"enquiry_or_investigation": True}, True),
        ("court", "share", "share", {}, False),
    ],
)
def test_who_needs_sign_off(route, recommendation, final, facts, expected):
    assert (
        needs_sign_off(route=route, recommendation=recommendation, final=final, facts=facts)
        is expected
    )


def test_the_six_principles_of_the_policy():
    assert list(PRINCIPLES.values()) == [
        "Necessary and proportionate",
        "Relevant",
        "Adequate",
        "Accurate",
        "Timely",
        "Secure",
    ]
