"""Reading sharing requests: the answers so far, what the consent records offer for a
question, and the agreements that apply to a recipient."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from . import questions, rules
from .models import Route, SharingAgreement, SharingRequest, SignOff

DEADLINE_WARNING = timedelta(days=7)

# Which partners' agreements apply to which recipients.
PARTNERS_FOR_RECIPIENT = {
    "police": ["police"],
    "local_authority": ["local_authority"],
    "gp": ["icb", "nhs_trust"],
    "health_professional": ["icb", "nhs_trust"],
    "other_organisation": ["other"],
}


def answer_rows(sharing_request: SharingRequest) -> list[dict]:
    """The questions on the current path with their answers (None when not yet answered)."""
    facts = {**sharing_request.answers, "requester": sharing_request.route}
    rows = []
    for fact in questions.path(facts):
        question = questions.QUESTIONS[fact]
        answered = fact in sharing_request.answers
        rows.append(
            {
                "fact": fact,
                "question": question.text,
                "answer": question.label_for(sharing_request.answers[fact]) if answered else None,
            }
        )
    return rows


def initial_answer(sharing_request: SharingRequest, fact: str, offered) -> dict:
    """The answer to show selected: the one already given, else what the records establish
    (``offered``: the consent records' fact for this question, or None)."""
    if fact in sharing_request.answers:
        return {"answer": str(sharing_request.answers[fact])}
    if offered is not None and offered.known:
        return {"answer": str(offered.value)}
    return {}


def agreements_for(sharing_request: SharingRequest):
    partners = PARTNERS_FOR_RECIPIENT.get(sharing_request.recipient_class, [])
    return SharingAgreement.objects.filter(
        service=sharing_request.person.service_id, partner_type__in=partners
    ).order_by("title")


@dataclass(frozen=True)
class HistoryRow:
    """One line of the decision history page."""

    pk: str
    decided_at: datetime
    person_name: str
    service: str
    route: str
    recommendation: str
    final: str
    departed: bool
    decided_by: str
    needs_sign_off: bool
    sign_off: str  # the outcome's label; empty while awaited


# The columns a history row is made from: plain values, not model instances (a page of 50
# decisions with five related records each cost more to build as objects than to render).
HISTORY_VALUES = (
    "id",
    "decided_at",
    "recommendation",
    "final",
    "needs_sign_off",
    "person__given_name",
    "person__family_name",
    "person__service__name",
    "request__route",
    "decided_by__username",
    "decided_by__first_name",
    "decided_by__last_name",
    "sign_off__outcome",
)
ROUTES = dict(Route.choices)
OUTCOMES = dict(SignOff.Outcome.choices)


def history_rows(values) -> list[HistoryRow]:
    """``HistoryRow``s from dictionaries of ``HISTORY_VALUES``."""
    rows = []
    for v in values:
        recommendation, final = v["recommendation"], v["final"]
        decided_by = f"{v['decided_by__first_name']} {v['decided_by__last_name']}".strip()
        rows.append(
            HistoryRow(
                pk=v["id"],
                decided_at=v["decided_at"],
                person_name=f"{v['person__given_name']} {v['person__family_name']}",
                service=v["person__service__name"],
                route=ROUTES.get(v["request__route"], v["request__route"]),
                recommendation=rules.LABELS.get(recommendation, recommendation),
                final=final,
                departed=rules.departs(recommendation, final),
                decided_by=decided_by or v["decided_by__username"],
                needs_sign_off=v["needs_sign_off"],
                sign_off=OUTCOMES.get(v["sign_off__outcome"], ""),
            )
        )
    return rows
