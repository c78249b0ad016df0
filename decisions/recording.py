"""What a decision record must hold, as plain functions (no database): the sharing
principles, when a manager must sign a decision off, and the subject-access clock."""

import calendar
from datetime import date

# Policy section 4, "Important information sharing principles": each is confirmed on a share,
# with a note of how.
PRINCIPLES = {
    "necessary_and_proportionate": "Necessary and proportionate",
    "relevant": "Relevant",
    "adequate": "Adequate",
    "accurate": "Accurate",
    "timely": "Timely",
    "secure": "Secure",
}

PRINCIPLE_HINTS = {
    "necessary_and_proportionate": "How much needs sharing, and the impact on the person and "
    "anyone else. Share no more than the need and the level of risk justify.",
    "relevant": "Only what is relevant to the purpose, only with those who need it.",
    "adequate": "Good enough quality to be understood and relied on.",
    "accurate": "Up to date. Fact clearly distinguished from opinion; historical information "
    "explained as historical.",
    "timely": "Shared quickly enough to reduce the risk of harm.",
    "secure": "The most secure method possible, to an address that belongs to the recipient.",
}

# Information whose sharing needs an Article 9 condition as well as an Article 6 basis.
SPECIAL_CATEGORY_INFORMATION = {"health", "care_plan", "test_results"}


def one_calendar_month_after(received: date) -> date:
    """The subject-access deadline: the same date next month, or that month's last day when it
    has no such date (31 January -> 28 or 29 February)."""
    year, month = (
        (received.year + 1, 1) if received.month == 12 else (received.year, received.month + 1)
    )
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(received.day, last_day))


def needs_sign_off(*, route: str, recommendation: str, final: str, facts: dict) -> bool:
    """A registered manager signs off a decision that departs from the engine's recommendation,
    and any safeguarding share made without the person's consent: including one in their best
    interests or for an enquiry, because oversight of sharing without consent is the safer
    reading where the policy does not say."""
    departs = recommendation in ("share", "withhold") and final != recommendation
    safeguarding_without_consent = (
        route == "safeguarding" and final == "share" and facts.get("consent") != "given"
    )
    return departs or safeguarding_without_consent
