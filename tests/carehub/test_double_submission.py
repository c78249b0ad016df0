"""The same form sent twice (a double click, a resend after a slow connection, the back button
and submit again) saves one record, and the second send ends where the first did."""

import uuid

import pytest
from django.urls import reverse

from breaches.models import BreachReport
from carehub.models import Role
from consent.models import (
    BestInterestsDecision,
    CapacityAssessment,
    ConsentRecord,
    ConsentWithdrawal,
    Representative,
)
from decisions.models import SharingRequest
from tests.breaches.test_reporting import page1
from tests.consent.test_views import (
    best_interests_data,
    capacity_data,
    consent_data,
    representative_data,
)
from tests.decisions.test_wizard import date_fields, today
from tests.factories import CapacityAssessmentFactory, ConsentRecordFactory


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
    data = {
        "submission_key": str(uuid.uuid4()),
        "route": "family_carer_friend",
        "requester_name": "Susan Clarke",
        "requester_role": "Daughter",
        "requester_contact": "07700 900456",
        "information_category": "test_results",
        "information_detail": "Her blood test results from last week",
        "recipient_class": "family",
        **date_fields("received_on", today()),
        "received_how": "phone",
    }
    return reverse("decisions:request_new", args=[person.pk]), data, SharingRequest


@pytest.fixture
def manager_a(make_user, service_a):
    return make_user(Role.REGISTERED_MANAGER, service_a)


FORMS = [consent, withdrawal, capacity, best_interests, representative, sharing_request]


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
