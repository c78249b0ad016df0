"""Breach grading and the ICO clock, as plain functions (no database).

The scales and rules are ``shared/domain/breach-grading.md`` (the DSPT scales): the grading
suggests, the registered manager decides.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

SEVERITY = {
    1: "No adverse effect",
    2: "Minor",
    3: "Adverse",
    4: "Serious",
    5: "Catastrophic",
}
SEVERITY_HINTS = {
    1: "Absolute certainty that no adverse effect can arise.",
    2: "Potentially some minor adverse effect, or any incident involving vulnerable groups "
    "even if no adverse effect occurred.",
    3: "Potentially some adverse effect, for example embarrassment from confidential "
    "information made public.",
    4: "Potentially pain and suffering, decline in health, or financial loss.",
    5: "Death or a catastrophic event.",
}
LIKELIHOOD = {
    1: "Not occurred",
    2: "Not likely",
    3: "Likely",
    4: "Highly likely",
    5: "Occurred",
}
LIKELIHOOD_HINTS = {
    1: "Absolute certainty there can be no adverse effect, for example from an audit trail.",
    2: "No evidence that an adverse effect occurred, or any incident involving vulnerable groups.",
    3: "An adverse effect is likely to occur.",
    4: "Almost certain that an adverse effect will happen at some point.",
    5: "An adverse effect has been reported.",
}

ICO_DEADLINE = timedelta(hours=72)
VULNERABLE_MINIMUM = 2


class GradingError(ValueError):
    pass


@dataclass(frozen=True)
class Suggestion:
    reportable: bool
    tell_people: bool
    reasons: list[str]


def check_scores(*, likelihood: int, severity: int, involves_people_supported: bool) -> None:
    """Scores are 1 to 5; the people a care service supports are a vulnerable group, so when a
    breach involves them neither score may be below 2."""
    for name, score in (("likelihood", likelihood), ("severity", severity)):
        if score not in range(1, 6):
            raise GradingError(f"The {name} score must be from 1 to 5")
        if involves_people_supported and score < VULNERABLE_MINIMUM:
            raise GradingError(
                f"The breach involves people the service supports, a vulnerable group: the "
                f"{name} cannot be below {VULNERABLE_MINIMUM}"
            )


def suggest(*, likelihood: int, severity: int, involves_people_supported: bool) -> Suggestion:
    check_scores(
        likelihood=likelihood,
        severity=severity,
        involves_people_supported=involves_people_supported,
    )
    reportable = likelihood >= 3 and severity >= 2
    tell_people = likelihood >= 3 and severity >= 4
    grade = (
        f"likelihood {likelihood} ({LIKELIHOOD[likelihood]}), "
        f"severity {severity} ({SEVERITY[severity]})"
    )
    reasons = [
        f"Graded {grade}: "
        + (
            "reportable to the ICO, because an adverse effect is at least likely and at least "
            "minor."
            if reportable
            else "not reportable to the ICO, because "
            + (
                "an adverse effect is not likely."
                if likelihood < 3
                else "the effect is less than minor."
            )
        ),
        "Telling the people affected is suggested: the risk to them is high."
        if tell_people
        else "Telling the people affected is not suggested by the grading: decide and give "
        "reasons.",
    ]
    return Suggestion(reportable, tell_people, reasons)


def ico_deadline(became_aware_at: datetime) -> datetime:
    """72 elapsed hours after the service became aware, whatever the clocks do meanwhile.

    Arithmetic is done in UTC: Python adds a timedelta to a zoned time on the wall clock, which
    across a change to or from British Summer Time would be an hour out."""
    if became_aware_at.tzinfo is None:
        raise ValueError("became_aware_at must be timezone-aware")
    return became_aware_at.astimezone(UTC) + ICO_DEADLINE


@dataclass(frozen=True)
class Countdown:
    deadline: datetime
    remaining: timedelta  # negative when overdue

    @property
    def overdue(self) -> bool:
        return self.remaining < timedelta(0)

    @property
    def text(self) -> str:
        span = abs(self.remaining)
        hours, rest = divmod(int(span.total_seconds()), 3600)
        minutes = rest // 60
        amount = (
            f"{hours} hour{'s' if hours != 1 else ''} {minutes} minute{'s' if minutes != 1 else ''}"
        )
        return f"Overdue by {amount}" if self.overdue else f"{amount} left"


def countdown(became_aware_at: datetime, now: datetime) -> Countdown:
    deadline = ico_deadline(became_aware_at)
    return Countdown(deadline, deadline - now.astimezone(UTC))
