"""The grading table cell by cell, and the 72-hour clock across the clock changes."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from breaches import grading

LONDON = ZoneInfo("Europe/London")

# Reportable when likelihood >= 3 and severity >= 2 (shared/domain/breach-grading.md).
REPORTABLE = {
    # likelihood: {severity: reportable}
    1: {1: False, 2: False, 3: False, 4: False, 5: False},
    2: {1: False, 2: False, 3: False, 4: False, 5: False},
    3: {1: False, 2: True, 3: True, 4: True, 5: True},
    4: {1: False, 2: True, 3: True, 4: True, 5: True},
    5: {1: False, 2: True, 3: True, 4: True, 5: True},
}
# Telling the people affected is suggested when severity >= 4 and likelihood >= 3.
TELL = {
    1: {1: False, 2: False, 3: False, 4: False, 5: False},
    2: {1: False, 2: False, 3: False, 4: False, 5: False},
    3: {1: False, 2: False, 3: False, 4: True, 5: True},
    4: {1: False, 2: False, 3: False, 4: True, 5: True},
    5: {1: False, 2: False, 3: False, 4: True, 5: True},
}
CELLS = [(likelihood, severity) for likelihood in range(1, 6) for severity in range(1, 6)]


@pytest.mark.parametrize(("likelihood", "severity"), CELLS)
def test_every_cell_when_no_supported_person_is_involved(likelihood, severity):
    result = grading.suggest(
        likelihood=likelihood, severity=severity, involves_people_supported=False
    )
    assert result.reportable is REPORTABLE[likelihood][severity]
    assert result.tell_people is TELL[likelihood][severity]
    assert len(result.reasons) == 2
    assert ("reportable to the ICO" in result.reasons[0]) and (
        ("not reportable" in result.reasons[0]) is not result.reportable
    )


@pytest.mark.parametrize(("likelihood", "severity"), CELLS)
def test_every_cell_when_people_the_service_supports_are_involved(likelihood, severity):
    if likelihood < 2 or severity < 2:
        with pytest.raises(grading.GradingError, match="vulnerable group"):
            grading.suggest(
                likelihood=likelihood, severity=severity, involves_people_supported=True
            )
    else:
        result = grading.suggest(
            likelihood=likelihood, severity=severity, involves_people_supported=True
        )
        assert result.reportable is REPORTABLE[likelihood][severity]
        assert result.tell_people is TELL[likelihood][severity]


@pytest.mark.parametrize(("likelihood", "severity"), [(0, 3), (6, 3), (3, 0), (3, 6)])
def test_scores_off_the_scales_are_refused(likelihood, severity):
    with pytest.raises(grading.GradingError, match="1 to 5"):
        grading.suggest(likelihood=likelihood, severity=severity, involves_people_supported=False)


@pytest.mark.parametrize(
    ("aware_local", "deadline_local", "wall_clock_hours"),
    [
        # British Summer Time starts at 01:00 UTC on 29 March 2026: the clocks go forward.
        (datetime(2026, 3, 28, 9, 0), datetime(2026, 3, 31, 10, 0), 73),
        # ... and ends at 01:00 UTC on 25 October 2026: the clocks go back.
        (datetime(2026, 10, 24, 9, 0), datetime(2026, 10, 27, 8, 0), 71),
        # No change: 72 hours on the wall clock too.
        (datetime(2026, 6, 1, 9, 0), datetime(2026, 6, 4, 9, 0), 72),
        (datetime(2026, 12, 30, 23, 30), datetime(2027, 1, 2, 23, 30), 72),
        # Became aware in the repeated hour after the clocks went back (the second 01:30).
        (datetime(2026, 10, 25, 1, 30, fold=1), datetime(2026, 10, 28, 1, 30), 72),
    ],
)
def test_the_deadline_is_72_elapsed_hours_across_clock_changes(
    aware_local, deadline_local, wall_clock_hours
):
    aware = aware_local.replace(tzinfo=LONDON)
    deadline = grading.ico_deadline(aware)
    assert deadline - aware == timedelta(hours=72)
    assert deadline.astimezone(UTC) - aware.astimezone(UTC) == timedelta(hours=72)
    assert deadline.astimezone(LONDON).replace(tzinfo=None) == deadline_local
    naive_difference = deadline_local - aware_local.replace(fold=0)
    assert naive_difference == timedelta(hours=wall_clock_hours)


def test_the_deadline_needs_an_aware_time():
    with pytest.raises(ValueError, match="timezone-aware"):
        grading.ico_deadline(datetime(2026, 3, 28, 9, 0))


def test_countdown_before_and_after_the_deadline_across_a_clock_change():
    aware = datetime(2026, 3, 28, 9, 0, tzinfo=LONDON)
    # 31 March 08:30 in London is 70h30m after 28 March 09:00, because the clocks went forward.
    before = grading.countdown(aware, datetime(2026, 3, 31, 8, 30, tzinfo=LONDON))
    assert not before.overdue and before.text == "1 hour 30 minutes left"
    after = grading.countdown(aware, datetime(2026, 3, 31, 12, 1, tzinfo=LONDON))
    assert after.overdue and after.text == "Overdue by 2 hours 1 minute"
