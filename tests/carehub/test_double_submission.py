"""The same form sent twice (a double click, a resend after a slow connection, the back button
and submit again) saves one record, and the second send ends where the first did."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from breaches.models import Action, Assessment, BreachReport, Closure, IcoSubmission, PeopleTold
from carehub.models import Role
from consent.models import (
    BestInterestsDecision,
    CapacityAssessment,
    ConsentRecord,
    ConsentWithdrawal,
    Representative,
    RepresentativeRevocation,
    RepresentativeVerification,
)
from decisions.models import Advice, PoliceNotification, SharingAgreement, SharingRequest
from tests.breaches.test_reporting import assessment_data, page1, when
from tests.consent.test_views import (
    best_interests_data,
    capacity_data,
    consent_data,
    representative_data,
)
from tests.decisions.test_wizard import date_fields, request_data, today
from tests.factories import (
    BreachReportFactory,
    CapacityAssessmentFactory,
    ConsentRecordFactory,
    DecisionFactory,
    RepresentativeFactory,
    SharingRequestFactory,
)


def consent(person):
    return reverse("consent:consent_new", args=[person.pk]), consent_data(), ConsentRecord


def withdrawal(person):
    record = ConsentRecordFactory(person=person)
    url = reverse("consent:consent_withdraw", args=[person.pk, record.pk])
    data = {"submission_key": str(uuid.uuid4()), "reason": "She no longer wants Susan told"}
    return url, data, ConsentWithdrawal


def capacity(person):
    return reverse("consent:capacity_new", args=[person.pk]), capacity_data(), CapacityAssessment


def best_interests(person):
    assessment = CapacityAssessmentFactory(person=person)
    url = reverse("consent:best_interests_new", args=[person.pk])
    return url, best_interests_data(assessment), BestInterestsDecision


def representative(person):
    url = reverse("consent:representative_new", args=[person.pk])
    return url, representative_data(), Representative


def sharing_request(person):
    data = request_data()
    return reverse("decisions:request_new", args=[person.pk]), data, SharingRequest


@pytest.fixture
def manager_a(make_user, service_a):
    return make_user(Role.REGISTERED_MANAGER, service_a)


def verification(person):
    representative = RepresentativeFactory(person=person)
    url = reverse("consent:representative_verify", args=[person.pk, representative.pk])
    data = {
        "submission_key": str(uuid.uuid4()),
        "method": "opg_use_an_lpa",
        "reference": "V-1",
        **date_fields("verified_on", today()),
    }
    return url, data, RepresentativeVerification


def revocation(person):
    representative = RepresentativeFactory(person=person)
    url = reverse("consent:representative_end", args=[person.pk, representative.pk])
    data = {
        "submission_key": str(uuid.uuid4()),
        "reason": "Revoked by the donor",
        **date_fields("revoked_on", today()),
    }
    return url, data, RepresentativeRevocation


def police(person):
    decision = DecisionFactory(request__person=person)
    url = reverse("decisions:police", args=[decision.pk])
    data = {
        **date_fields("notified_on", today()),
        "police_force": "Westshire Police",
        "reference": "CR/123/26",
    }
    return url, data, PoliceNotification


def image_consent(person):
    data = consent_data(
        image_subject="Photographs at the summer fete",
        image_benefit="She enjoys seeing them in the lounge",
        use_on_internal_display="on",
    )
    return reverse("consent:image_consent_new", args=[person.pk]), data, ConsentRecord


def advice(person):
    sharing_request = SharingRequestFactory(
        person=person,
        route="safeguarding",
        answers={
            "enquiry_or_investigation": False,
            "person_has_capacity": True,
            "consent": "refused",
            "harm": "unclear",
        },
    )
    url = reverse("decisions:advice", args=[sharing_request.pk])
    data = {
        "organisation": "Westshire",
        "contact_role": "Duty team",
        **date_fields("asked_on", today()),
        "advice": "Monitor and record",
        "no_personal_details_given": "on",
        "submission_key": str(uuid.uuid4()),
    }
    return url, data, Advice


def agreement(person):
    data = {
        "service": person.service.pk,
        "title": "Westshire safeguarding protocol",
        "partner_type": "local_authority",
        "parties": "Westshire County Council; Rose House",
        "covers": ["health"],
        "purposes": "Safeguarding enquiries",
        "reference": "WSP-2026",
        **date_fields("review_date", today().replace(year=today().year + 1)),
        "submission_key": str(uuid.uuid4()),
    }
    return reverse("decisions:agreement_new"), data, SharingAgreement


FORMS = [
    consent,
    image_consent,
    withdrawal,
    capacity,
    best_interests,
    representative,
    verification,
    revocation,
    sharing_request,
    advice,
    police,
    agreement,
]


@pytest.mark.parametrize("form", FORMS, ids=[f.__name__ for f in FORMS])
def test_a_form_sent_twice_saves_one_record(client, manager_a, person_a, form):
    client.force_login(manager_a)
    url, data, model = form(person_a)
    before = set(model.objects.values_list("pk", flat=True))
    first = client.post(url, data)
    assert first.status_code == 302, (
        getattr(first, "context", None) and first.context["form"].errors
    )
    second = client.post(url, data)
    assert second.status_code == 302
    (saved,) = model.objects.exclude(pk__in=before)  # one record, not two
    # The second send ends where the first did, or on the record the first saved.
    assert second["Location"] == first["Location"] or str(saved.pk) in second["Location"]


def test_a_breach_report_sent_twice_is_one_report(client, carer_a, service_a):
    client.force_login(carer_a)
    client.post(reverse("breaches:report_start"), page1(service_a))
    client.post(
        reverse("breaches:report_people"), {"other_people_count": 1, "information": ["health"]}
    )
    data = {"confidential": "False", "submission_key": str(uuid.uuid4())}
    first = client.post(reverse("breaches:report_check"), data)
    second = client.post(reverse("breaches:report_check"), data)
    assert BreachReport.objects.count() == 1
    assert first.status_code == 302 and second.status_code == 302


def _breach(service, carer):
    return BreachReportFactory(service=service, reporter=carer)


def assessment(breach):
    url = reverse("breaches:assess", args=[breach.pk])
    data = assessment_data()
    return url, data, Assessment


def graded(breach, *, reportable: bool):
    """The breach graded already: reportable (the ICO told next) or not (it can be closed)."""
    Assessment.objects.create(
        breach=breach,
        recorded_by=breach.reporter,
        likelihood=3 if reportable else 1,
        severity=3 if reportable else 1,
        suggested_reportable=reportable,
        notify_ico=reportable,
        reasons="Health data" if reportable else "Sealed envelope, returned unopened",
        suggested_tell_people=False,
        tell_people=False,
        tell_people_reasons="No risk to them",
    )


def ico(breach):
    graded(breach, reportable=True)
    url = reverse("breaches:ico", args=[breach.pk])
    return url, {**when("submitted", timezone.now()), "ico_reference": "IC-1"}, IcoSubmission


def people_told(breach):
    url = reverse("breaches:people_told", args=[breach.pk])
    data = {
        "submission_key": str(uuid.uuid4()),
        "told": "True",
        **date_fields("told_on", today()),
        "how_or_why_not": "By letter",
    }
    return url, data, PeopleTold


def action(breach):
    url = reverse("breaches:action_new", args=[breach.pk])
    data = {
        "submission_key": str(uuid.uuid4()),
        "kind": "prevention",
        "description": "Phones lock after one minute",
        "owner": "Registered manager",
        **date_fields("due_on", today()),
    }
    return url, data, Action


def closure(breach):
    graded(breach, reportable=False)
    url = reverse("breaches:close", args=[breach.pk])
    data = {"lessons_learned": "Check addresses", "outcome_for_reporter": "Thank you"}
    return url, data, Closure


BREACH_FORMS = [assessment, ico, people_told, action, closure]


@pytest.mark.parametrize("form", BREACH_FORMS, ids=[f.__name__ for f in BREACH_FORMS])
def test_a_breach_review_step_sent_twice_saves_one_record(
    client, manager_a, carer_a, service_a, form
):
    client.force_login(manager_a)
    url, data, model = form(_breach(service_a, carer_a))
    first = client.post(url, data)
    assert first.status_code == 302, (
        getattr(first, "context", None) and first.context["form"].errors
    )
    second = client.post(url, data)
    assert second.status_code == 302
    assert model.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_is_one_record(person_a, carer_a):
    """Two requests with the same key at the same moment: the second insert waits for the
    first at the unique index, is refused when it commits, and finds the first record: no
    duplicate and no server error (carehub.once)."""
    from decisions import services
    from tests.concurrency import race

    key = uuid.uuid4()

    def send():
        request = SharingRequestFactory.build(person=person_a, created_by=carer_a)
        return services.open_request(
            person=person_a, user=carer_a, submission_key=key, request=request
        )

    result = race(send, send)
    assert result.second_waited, "the second request never waited for the first"
    assert result.first.created
    assert not isinstance(result.second, Exception), result.second
    assert result.second.created is False
    assert result.second.record.pk == result.first.record.pk
    assert SharingRequest.objects.filter(submission_key=key).count() == 1
