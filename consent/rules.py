"""The rules the consent records follow, as plain functions of dates and answers (no database).

Where the policy is silent this module chooses what is safer for the person, and says why.
"""

from dataclasses import dataclass
from datetime import date

from django.db import models

HAS_CAPACITY = "has_capacity"
LACKS_CAPACITY = "lacks_capacity"

# Consent states on a given day.
GIVEN = "given"
REFUSED = "refused"
WITHDRAWN = "withdrawn"
REVIEW_OVERDUE = "review_overdue"
NOT_YET_RECORDED = "not_yet_recorded"


def capacity_outcome(
    *, impairment: bool, understand: bool, retain: bool, use_or_weigh: bool, communicate: bool
) -> str:
    """MCA 2005 ss2-3: a person lacks capacity only if, because of an impairment of or
    disturbance in the mind or brain, they cannot understand, retain, use or weigh the
    information, or communicate their decision. Otherwise capacity is assumed (s1(2))."""
    if impairment and not (understand and retain and use_or_weigh and communicate):
        return LACKS_CAPACITY
    return HAS_CAPACITY


def consent_state(
    *, status: str, recorded_on: date, review_date: date, withdrawn_on: date | None, day: date
) -> str:
    """What a consent record says on ``day``.

    A record says nothing about a day before it was made. A withdrawal ends it from the day it
    was recorded. Past its review date a record is overdue and establishes nothing: the person
    must be asked again (the safer reading of "always check they still want it shared").
    """
    if day < recorded_on:
        return NOT_YET_RECORDED
    if withdrawn_on is not None and withdrawn_on <= day:
        return WITHDRAWN
    if review_date < day:
        return REVIEW_OVERDUE
    return status


def is_current(*, made_on: date, review_date: date, day: date) -> bool:
    """A capacity assessment or best-interests decision speaks for ``day`` only if it was made
    on or before it and its review date has not passed."""
    return made_on <= day <= review_date


class RepresentativeKind(models.TextChoices):
    LPA_HEALTH_WELFARE = (
        "lpa_health_welfare",
        "Attorney: Lasting Power of Attorney for health and welfare",
    )
    LPA_PROPERTY_FINANCE = (
        "lpa_property_finance",
        "Attorney: Lasting Power of Attorney for property and financial affairs",
    )
    DEPUTY_PERSONAL_WELFARE = (
        "deputy_personal_welfare",
        "Deputy (Court of Protection): personal welfare",
    )
    DEPUTY_PROPERTY_AFFAIRS = (
        "deputy_property_affairs",
        "Deputy (Court of Protection): property and affairs",
    )


FINANCIAL_KINDS = {
    RepresentativeKind.LPA_PROPERTY_FINANCE,
    RepresentativeKind.DEPUTY_PROPERTY_AFFAIRS,
}
# A property-and-finance power or order gives no authority over health and care information;
# a health-and-welfare one none over finances. Contact details belong to either.
FINANCIAL_INFORMATION = {"finances", "contact_details", "other"}
WELFARE_INFORMATION = {
    "health",
    "care_plan",
    "test_results",
    "images_video",
    "contact_details",
    "other",
}


def categories_a_kind_can_cover(kind: str) -> set[str]:
    return FINANCIAL_INFORMATION if kind in FINANCIAL_KINDS else WELFARE_INFORMATION


@dataclass(frozen=True)
class Standing:
    """Whether a representative may act on a given day, and if not, why (for the flag)."""

    may_act: bool
    flag: str  # "" when the representative may act

    def __bool__(self) -> bool:
        return self.may_act


def representative_standing(
    *,
    verified_on: date | None,
    valid_from: date,
    valid_to: date | None,
    revoked_on: date | None,
    day: date,
) -> Standing:
    if revoked_on is not None and revoked_on <= day:
        return Standing(False, "Ended: the power or order has been revoked or has ended")
    if day < valid_from:
        return Standing(False, "Not yet valid")
    if valid_to is not None and valid_to < day:
        return Standing(False, "Expired")
    if verified_on is None or verified_on > day:
        return Standing(False, "Not verified: do not rely on their authority until it is checked")
    return Standing(True, "")
