"""Reading sharing requests: the answers so far, what the consent records offer for a
question, and the agreements that apply to a recipient."""

from datetime import timedelta

from . import questions
from .models import SharingAgreement, SharingRequest

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
