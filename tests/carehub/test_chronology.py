"""A person's chronology holds each kind of event, in time order, and reading it is recorded."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from carehub.audit import PERSON_VIEWED
from carehub.models import AuditEvent, Role
from consent.models import ConsentWithdrawal, RepresentativeRevocation
from decisions.models import Addendum, SignOff
from tests.factories import (
    BestInterestsDecisionFactory,
    BreachReportFactory,
    ConsentRecordFactory,
    DecisionFactory,
    RepresentativeVerificationFactory,
)


def test_the_chronology_holds_each_kind_of_event_in_order(
    client, carer_a, make_user, person_a, person_b, service_a
):
    manager = make_user(Role.REGISTERED_MANAGER, service_a)
    consent = ConsentRecordFactory(person=person_a, recorded_at=timezone.now() - timedelta(days=9))
    ConsentWithdrawal.objects.create(
        consent=consent, withdrawn_by=carer_a, reason="Changed her mind"
    )
    BestInterestsDecisionFactory(capacity_assessment__person=person_a)
    representative = RepresentativeVerificationFactory(
        representative__person=person_a
    ).representative
    RepresentativeRevocation.objects.create(
        representative=representative,
        revoked_on=timezone.localdate(),
        reason="Revoked",
        recorded_by=manager,
    )
    decision = DecisionFactory(request__person=person_a)
    Addendum.objects.create(
        decision=decision,
        text="Date corrected",
        reason="Typo",
        recorded_by=carer_a,
        submission_key="1" * 32,
    )
    SignOff.objects.create(decision=decision, outcome="agreed", note="", signed_by=manager)
    breach = BreachReportFactory(service=service_a, confidential=True, reporter=carer_a)
    breach.people.add(person_a)
    DecisionFactory(request__person=person_b)  # someone else's

    client.force_login(carer_a)
    response = client.get(reverse("person_chronology", args=[person_a.pk]))

    entries = response.context["entries"]
    kinds = {entry.kind for entry in entries}
    assert {
        "Consent given",
        "Consent withdrawn",
        "Capacity assessed",
        "Best-interests decision",
        "Attorney or deputy added",
        "Attorney or deputy verified",
        "Power or order ended",
        "Request for information",
        "Decision: share",
        "Addendum to a decision",
        "Decision signed off",
        "Breach of confidentiality",
        "Records viewed",
    } <= kinds
    assert [entry.at for entry in entries] == sorted(entry.at for entry in entries)
    assert entries[0].kind == "Consent given"  # the oldest
    breach_entry = next(e for e in entries if e.kind == "Breach of confidentiality")
    assert breach_entry.actor is None  # a whistleblower is never named here
    assert all(e.url for e in entries if e.kind != "Records viewed")
    assert "Someone else" not in response.content.decode()
    assert AuditEvent.objects.filter(
        action=PERSON_VIEWED, person=person_a, data__page="chronology"
    ).exists()


def test_another_services_person_has_no_chronology_here(client, carer_a, person_b):
    client.force_login(carer_a)
    assert client.get(reverse("person_chronology", args=[person_b.pk])).status_code == 404
