"""Writing sharing requests and decisions. Every write is one transaction holding a lock on
the request, so two people cannot both answer, decide or sign off the same thing at once."""

from django.db import transaction

from carehub.once import Saved, create_once
from consent import selectors as consent_selectors

from . import questions, recording, rules
from .models import (
    Addendum,
    Advice,
    Decision,
    PoliceNotification,
    SharingAgreement,
    SharingRequest,
    SignOff,
)


class StaleError(Exception):
    """Someone else changed the request after this page was opened; nothing was saved."""


class SettledError(Exception):
    """The request already has a decision: it cannot be answered or decided again."""


class NotReadyError(Exception):
    """The request cannot be decided yet (a question is unanswered, or advice is needed)."""


def facts_of(request: SharingRequest) -> dict:
    """The answers on the current path, with the requester, as the engine takes them."""
    return questions.answered({**request.answers, "requester": request.route})


def outcome_of(request: SharingRequest) -> rules.Outcome:
    return rules.decide(facts_of(request))


def prefill(request: SharingRequest) -> dict:
    """What the consent records establish for this request (the wizard offers these)."""
    return consent_selectors.facts_for_sharing(
        person=request.person,
        information_category=request.information_category,
        recipient_class=request.recipient_class,
        recipient_name=request.requester_name,
        day=request.received_on,
        representative=request.representative,
    )


@transaction.atomic
def open_request(*, person, user, submission_key, request: SharingRequest) -> Saved:
    if request.route == rules.REQUESTERS[0]:  # the person's own request: one calendar month
        request.due_on = recording.one_calendar_month_after(request.received_on)
    return create_once(request, submission_key, person=person, created_by=user)


def _locked(request: SharingRequest) -> SharingRequest:
    locked = SharingRequest.objects.select_for_update().get(pk=request.pk)
    if Decision.objects.filter(request=locked).exists():
        raise SettledError
    return locked


@transaction.atomic
def record_answer(*, request: SharingRequest, fact: str, value, version: int) -> SharingRequest:
    """Save one answer. ``version`` is the request's version when the page was shown: if it has
    moved on, someone else answered in the meantime and nothing is saved."""
    locked = _locked(request)
    if locked.version != version:
        raise StaleError
    rules.validate({"requester": locked.route, fact: value})
    locked.answers = {**locked.answers, fact: value}
    locked.version += 1
    locked.save(update_fields=["answers", "version"])
    return locked


@transaction.atomic
def record_advice(*, request: SharingRequest, user, submission_key, advice: Advice) -> Advice:
    _locked(request)

    return create_once(advice, submission_key, request=request, recorded_by=user).record


@transaction.atomic
def record_decision(*, request: SharingRequest, user, version: int, decision: Decision) -> Decision:
    """Record the final decision on ``request``, as it stands at ``version``."""
    locked = _locked(request)
    if locked.version != version:
        raise StaleError
    facts = facts_of(locked)
    outcome = rules.decide(facts)
    if outcome.decision == rules.NEED_INFORMATION:
        raise NotReadyError("Answer every question before deciding")
    if outcome.decision == rules.SEEK_ADVICE and not locked.advice.exists():
        raise NotReadyError("Record the local authority's advice before deciding")
    decision.request = locked
    decision.person = locked.person
    decision.facts = facts
    decision.answer_path = [
        {
            "fact": fact,
            "question": questions.QUESTIONS[fact].text,
            "answer": facts[fact],
            "label": questions.QUESTIONS[fact].label_for(facts[fact]),
        }
        for fact in questions.path(facts)
    ]
    decision.ruleset = outcome.ruleset
    decision.recommendation = outcome.decision
    decision.recommendation_reasons = outcome.reasons
    decision.actions = outcome.actions
    decision.needs_sign_off = recording.needs_sign_off(
        route=locked.route, recommendation=outcome.decision, final=decision.final, facts=facts
    )
    decision.decided_by = user
    decision.save()
    return decision


@transaction.atomic
def add_addendum(*, decision: Decision, user, submission_key, addendum: Addendum) -> Saved:
    return create_once(addendum, submission_key, decision=decision, recorded_by=user)


class AlreadyDoneError(Exception):
    pass


@transaction.atomic
def sign_off(*, decision: Decision, user, sign_off: SignOff) -> SignOff:
    Decision.objects.select_for_update().filter(pk=decision.pk).exists()
    if not decision.needs_sign_off:
        raise AlreadyDoneError("This decision does not need signing off")
    if SignOff.objects.filter(decision=decision).exists():
        raise AlreadyDoneError("This decision has already been signed off")
    if decision.decided_by_id == user.pk:
        raise AlreadyDoneError("A decision is signed off by a different manager from its maker")
    sign_off.decision = decision
    sign_off.signed_by = user
    sign_off.save()
    return sign_off


@transaction.atomic
def record_police_notification(
    *, decision: Decision, user, notification: PoliceNotification
) -> PoliceNotification:
    Decision.objects.select_for_update().filter(pk=decision.pk).exists()
    if not decision.needs_police_follow_up:
        raise AlreadyDoneError("This decision does not call for the police to be told")
    if PoliceNotification.objects.filter(decision=decision).exists():
        raise AlreadyDoneError("The police notification has already been recorded")
    notification.decision = decision
    notification.recorded_by = user
    notification.save()
    return notification


@transaction.atomic
def save_agreement(form, *, user) -> SharingAgreement:
    """Save an agreement form. An edit based on an older version (someone saved in between)
    raises ``StaleError`` and saves nothing."""
    agreement = form.instance
    if agreement._state.adding:  # its id is made before it is saved: pk is never None
        key = form.cleaned_data["submission_key"]
        return create_once(agreement, key, created_by=user).record
    version = form.cleaned_data.get("version")
    current = SharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    if version != current.version:
        raise StaleError
    agreement.version = current.version + 1
    agreement.save()
    return agreement
