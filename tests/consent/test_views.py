"""Recording consent records through the pages: bad input is explained and saves nothing;
resubmitting finds the first record; duplicates are refused; reading is recorded."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from carehub.audit import PERSON_VIEWED
from carehub.models import AuditEvent, Role
from consent.models import (
    BestInterestsDecision,
    CapacityAssessment,
    ConsentRecord,
    ConsentWithdrawal,
    Representative,
    RepresentativeRevocation,
    RepresentativeVerification,
)
from tests.factories import (
    CapacityAssessmentFactory,
    ConsentRecordFactory,
    RepresentativeFactory,
)


def today():
    """Today, asked afresh: a run may cross midnight."""
    return timezone.localdate()


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def fields_from_today(name, days):
    """Date fields ``days`` from today, worked out when the test runs, not when it is
    collected (a run may cross midnight)."""
    return lambda: date_fields(name, today() + timedelta(days=days))


def resolved(overrides):
    return overrides() if callable(overrides) else overrides


@pytest.fixture
def manager_a(make_user, service_a):
    return make_user(Role.REGISTERED_MANAGER, service_a)


def consent_data(**overrides):
    data = {
        "submission_key": str(uuid.uuid4()),
        "information_category": "test_results",
        "recipient_class": "family",
        "recipient_name": "Susan Clarke",
        "purpose": "So her daughter can support her at appointments",
        "status": "given",
        "how_obtained": "in_person",
        **date_fields("review_date", today() + timedelta(days=180)),
    }
    data.update(overrides)
    return data


def errors(response):
    return response.context["form"].errors


def test_care_worker_records_consent(client, carer_a, person_a):
    client.force_login(carer_a)
    response = client.post(reverse("consent:consent_new", args=[person_a.pk]), consent_data())
    record = ConsentRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()
    assert (record.person, record.recorded_by, record.status) == (person_a, carer_a, "given")
    assert record.information_category == "test_results"


def test_the_same_submission_twice_saves_one_record(client, carer_a, person_a):
    client.force_login(carer_a)
    data = consent_data()
    url = reverse("consent:consent_new", args=[person_a.pk])
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    assert ConsentRecord.objects.count() == 1
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "already saved" in second.content.decode()


def test_a_second_standing_record_for_the_same_information_and_recipient_is_refused(
    client, carer_a, person_a
):
    client.force_login(carer_a)
    url = reverse("consent:consent_new", args=[person_a.pk])
    client.post(url, consent_data())
    response = client.post(url, consent_data(status="refused", recipient_name=" susan clarke "))
    assert response.status_code == 200
    assert "already has a standing record" in errors(response)["recipient_class"][0]
    assert ConsentRecord.objects.count() == 1
    # A different recipient is a different consent.
    client.post(url, consent_data(recipient_name="Peter Clarke"))
    assert ConsentRecord.objects.count() == 2


def test_after_withdrawal_a_new_answer_can_be_recorded(client, carer_a, person_a):
    client.force_login(carer_a)
    record = ConsentRecordFactory(
        person=person_a, information_category="test_results", recipient_name="Susan Clarke"
    )
    client.post(
        reverse("consent:consent_withdraw", args=[person_a.pk, record.pk]),
        {"submission_key": str(uuid.uuid4()), "reason": "She no longer wants Susan told"},
    )
    client.post(reverse("consent:consent_new", args=[person_a.pk]), consent_data(status="refused"))
    assert ConsentRecord.objects.filter(status="refused").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            fields_from_today("review_date", -1),
            "review_date",
            "today or in the future",
        ),
        (
            {"review_date_0": "31", "review_date_1": "2", "review_date_2": "2027"},
            "review_date",
            "real date",
        ),
        (
            {"review_date_0": "", "review_date_1": "", "review_date_2": ""},
            "review_date",
            "Enter the review date",
        ),
        ({"review_date_2": "27"}, "review_date", "4 digits"),
        (
            {"information_category": "other", "information_detail": " "},
            "information_detail",
            "Describe",
        ),
        ({"information_category": "images_video"}, "information_category", "from the list"),
        ({"status": "withdrawn"}, "status", "from the list"),
        ({"purpose": ""}, "purpose", "Enter the purpose"),
        ({"submission_key": ""}, "submission_key", "expired"),
    ],
)
def test_bad_consent_input_is_explained_and_saves_nothing(
    client, carer_a, person_a, overrides, field, message
):
    client.force_login(carer_a)
    response = client.post(
        reverse("consent:consent_new", args=[person_a.pk]), consent_data(**resolved(overrides))
    )
    assert response.status_code == 200
    assert message in " ".join(errors(response)[field])
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert ConsentRecord.objects.count() == 0


def test_image_consent_records_where_images_may_be_used(client, carer_a, person_a):
    client.force_login(carer_a)
    data = consent_data(
        image_subject="Photographs at the summer fete",
        image_benefit="She enjoys seeing them in the lounge",
        use_on_internal_display="on",
    )
    response = client.post(reverse("consent:image_consent_new", args=[person_a.pk]), data)
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert record.information_category == "images_video"
    assert (record.use_on_internal_display, record.use_externally) == (True, False)


def test_image_consent_needs_what_why_and_somewhere_to_use_them(client, carer_a, person_a):
    client.force_login(carer_a)
    response = client.post(reverse("consent:image_consent_new", args=[person_a.pk]), consent_data())
    form_errors = errors(response)
    assert {"image_subject", "image_benefit", "use_in_care_record"} <= set(form_errors)
    assert ConsentRecord.objects.count() == 0


def test_withdrawal_needs_a_reason_and_happens_once(client, carer_a, person_a):
    client.force_login(carer_a)
    record = ConsentRecordFactory(person=person_a)
    url = reverse("consent:consent_withdraw", args=[person_a.pk, record.pk])

    response = client.post(url, {"submission_key": str(uuid.uuid4()), "reason": "   "})
    assert "Enter why it is being withdrawn" in errors(response)["reason"]
    assert not ConsentWithdrawal.objects.exists()

    client.post(url, {"submission_key": str(uuid.uuid4()), "reason": "Changed her mind"})
    again = client.post(url, {"submission_key": str(uuid.uuid4()), "reason": "Again"}, follow=True)
    assert ConsentWithdrawal.objects.get().reason == "Changed her mind"
    assert "already been withdrawn" in again.content.decode()
    record.refresh_from_db()
    assert record.status == "given"  # the original answer is kept, not overwritten


def capacity_data(**overrides):
    data = {
        "submission_key": str(uuid.uuid4()),
        "information_category": "health",
        "recipient_class": "family",
        "decision": "Whether to share her test results with her son",
        **date_fields("assessed_on", today()),
        "support_given": "Explained in the morning with her glasses on",
        "impairment": "True",
        "impairment_evidence": "Vascular dementia",
        "can_understand": "False",
        "understand_evidence": "Could not explain the results back",
        "can_retain": "True",
        "retain_evidence": "Remembered after ten minutes",
        "can_use_or_weigh": "False",
        "use_or_weigh_evidence": "Could not weigh the choice",
        "can_communicate": "True",
        "communicate_evidence": "Speaks clearly",
        "outcome": "lacks_capacity",
        **date_fields("review_date", today() + timedelta(days=90)),
    }
    data.update(overrides)
    return data


def test_manager_records_a_capacity_assessment(client, manager_a, person_a):
    client.force_login(manager_a)
    response = client.post(reverse("consent:capacity_new", args=[person_a.pk]), capacity_data())
    assessment = CapacityAssessment.objects.get()
    assert response["Location"] == assessment.get_absolute_url()
    assert (assessment.assessor, assessment.lacks_capacity) == (manager_a, True)


@pytest.mark.parametrize(
    "overrides",
    [
        {"impairment": "False"},  # no impairment: capacity cannot be found lacking
        {"can_understand": "True", "can_use_or_weigh": "True"},  # every stage-2 answer "can"
    ],
)
def test_an_outcome_contradicting_the_answers_is_refused(client, manager_a, person_a, overrides):
    client.force_login(manager_a)
    response = client.post(
        reverse("consent:capacity_new", args=[person_a.pk]), capacity_data(**overrides)
    )
    assert "does not match the answers" in errors(response)["outcome"][0]
    assert not CapacityAssessment.objects.exists()


def test_capacity_dates_are_checked(client, manager_a, person_a):
    client.force_login(manager_a)
    data = capacity_data(
        **date_fields("assessed_on", today() + timedelta(days=1)),
        **date_fields("review_date", today() - timedelta(days=1)),
    )
    response = client.post(reverse("consent:capacity_new", args=[person_a.pk]), data)
    assert "today or in the past" in errors(response)["assessed_on"][0]
    assert "today or in the future" in errors(response)["review_date"][0]
    assert not CapacityAssessment.objects.exists()


def best_interests_data(assessment, **overrides):
    data = {
        "submission_key": str(uuid.uuid4()),
        "capacity_assessment": str(assessment.pk),
        "decision": "Share her results with her son",
        **date_fields("decided_on", today()),
        "consulted": ["family", "imca"],
        "consultation_notes": "Her son and the IMCA agree",
        "wishes_and_feelings": "Always wanted her son told",
        "could_regain_capacity": "no",
        "least_restrictive_option": "Only the results, by phone",
        "sharing_in_best_interests": "True",
        "reasons": "Her long-held wishes",
        **date_fields("review_date", today() + timedelta(days=60)),
    }
    data.update(overrides)
    return data


def test_best_interests_decision_takes_its_subject_from_the_assessment(client, manager_a, person_a):
    client.force_login(manager_a)
    assessment = CapacityAssessmentFactory(
        person=person_a, information_category="test_results", recipient_class="gp"
    )
    response = client.post(
        reverse("consent:best_interests_new", args=[person_a.pk]), best_interests_data(assessment)
    )
    decision = BestInterestsDecision.objects.get()
    assert response["Location"] == decision.get_absolute_url()
    assert (decision.information_category, decision.recipient_class) == ("test_results", "gp")
    assert decision.consulted == ["family", "imca"]


def test_best_interests_needs_a_lack_of_capacity_for_this_person(
    client, manager_a, person_a, person_b
):
    client.force_login(manager_a)
    has_capacity = CapacityAssessmentFactory(
        person=person_a, impairment=False, outcome="has_capacity"
    )
    someone_else = CapacityAssessmentFactory(person=person_b)
    url = reverse("consent:best_interests_new", args=[person_a.pk])
    for assessment in (has_capacity, someone_else):
        response = client.post(url, best_interests_data(assessment))
        assert "from the list" in errors(response)["capacity_assessment"][0]
    response = client.post(url, best_interests_data(someone_else, consulted=[]))
    assert "Select who was consulted" in errors(response)["consulted"]
    assert not BestInterestsDecision.objects.exists()
    assert "Record a capacity assessment" in client.get(url).content.decode()


def test_best_interests_cannot_predate_its_assessment(client, manager_a, person_a):
    client.force_login(manager_a)
    assessment = CapacityAssessmentFactory(person=person_a, assessed_on=today())
    data = best_interests_data(assessment, **date_fields("decided_on", today() - timedelta(days=1)))
    response = client.post(reverse("consent:best_interests_new", args=[person_a.pk]), data)
    assert "before the capacity assessment" in errors(response)["decided_on"][0]


def representative_data(**overrides):
    data = {
        "submission_key": str(uuid.uuid4()),
        "kind": "lpa_health_welfare",
        "name": "David Clarke",
        "relationship": "Son",
        "contact_details": "07700 900123",
        "covers": ["health", "test_results"],
        **date_fields("valid_from", today() - timedelta(days=300)),
    }
    data.update(overrides)
    return data


def test_representative_added_unverified_then_verified_then_ended(client, manager_a, person_a):
    client.force_login(manager_a)
    client.post(reverse("consent:representative_new", args=[person_a.pk]), representative_data())
    representative = Representative.objects.get()
    assert not representative.standing_on(today())
    page = client.get(representative.get_absolute_url()).content.decode()
    assert "Not verified" in page

    verify = reverse("consent:representative_verify", args=[person_a.pk, representative.pk])
    client.post(
        verify,
        {
            "submission_key": str(uuid.uuid4()),
            "method": "opg_use_an_lpa",
            "reference": "V-1",
            **date_fields("verified_on", today()),
        },
    )
    representative = Representative.objects.get()
    assert representative.standing_on(today())

    end = reverse("consent:representative_end", args=[person_a.pk, representative.pk])
    client.post(
        end,
        {
            "submission_key": str(uuid.uuid4()),
            "reason": "Revoked by the donor",
            **date_fields("revoked_on", today()),
        },
    )
    representative = Representative.objects.get()
    assert representative.standing_on(today()).flag.startswith("Ended")
    assert (
        RepresentativeVerification.objects.count() == RepresentativeRevocation.objects.count() == 1
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (fields_from_today("valid_to", -400), "valid_to", "same as or after"),
        ({"kind": "lpa_property_finance"}, "covers", "cannot cover health and medical information"),
        ({"covers": []}, "covers", "Select the information"),
    ],
)
def test_bad_representative_input_is_refused(
    client, manager_a, person_a, overrides, field, message
):
    client.force_login(manager_a)
    response = client.post(
        reverse("consent:representative_new", args=[person_a.pk]),
        representative_data(**resolved(overrides)),
    )
    assert message in " ".join(errors(response)[field])
    assert not Representative.objects.exists()


def test_a_deputy_is_verified_against_the_court_order(client, manager_a, person_a):
    client.force_login(manager_a)
    deputy = RepresentativeFactory(person=person_a, kind="deputy_personal_welfare")
    url = reverse("consent:representative_verify", args=[person_a.pk, deputy.pk])
    response = client.post(
        url,
        {
            "submission_key": str(uuid.uuid4()),
            "method": "opg_register",
            "reference": "X",
            **date_fields("verified_on", today()),
        },
    )
    assert "court order" in errors(response)["method"][0]
    assert not RepresentativeVerification.objects.exists()


def test_a_power_cannot_end_before_it_started(client, manager_a, person_a):
    client.force_login(manager_a)
    attorney = RepresentativeFactory(person=person_a, valid_from=today() - timedelta(days=10))
    url = reverse("consent:representative_end", args=[person_a.pk, attorney.pk])
    response = client.post(
        url,
        {
            "submission_key": str(uuid.uuid4()),
            "reason": "x",
            **date_fields("revoked_on", today() - timedelta(days=11)),
        },
    )
    assert "cannot be before" in errors(response)["revoked_on"][0]


@pytest.mark.parametrize(
    ("factory", "url_name"),
    [
        (lambda p: ConsentRecordFactory(person=p), "consent:consent_detail"),
        (lambda p: CapacityAssessmentFactory(person=p), "consent:capacity_detail"),
        (lambda p: RepresentativeFactory(person=p), "consent:representative_detail"),
    ],
)
def test_reading_a_record_is_recorded(client, carer_a, person_a, factory, url_name):
    record = factory(person_a)
    client.force_login(carer_a)
    client.get(reverse(url_name, args=[person_a.pk, record.pk]))
    event = AuditEvent.objects.get(action=PERSON_VIEWED)
    assert (event.actor, event.person, event.data["page"]) == (
        carer_a,
        person_a,
        url_name.split(":")[1],
    )


def test_a_record_under_another_person_in_the_url_is_not_found(
    client, carer_a, person_a, service_a
):
    other = ConsentRecordFactory(person__service=service_a)
    client.force_login(carer_a)
    response = client.get(reverse("consent:consent_detail", args=[person_a.pk, other.pk]))
    assert response.status_code == 404


def test_review_list_shows_due_consents_and_unverified_representatives(
    client, manager_a, person_a, person_b
):
    due = ConsentRecordFactory(person=person_a, review_date=today() + timedelta(days=10))
    ConsentRecordFactory(
        person=person_a, review_date=today() + timedelta(days=100), recipient_class="gp"
    )
    ConsentRecordFactory(person=person_b, review_date=today() + timedelta(days=1))  # other service
    withdrawn = ConsentRecordFactory(person=person_a, review_date=today(), recipient_class="friend")
    ConsentWithdrawal.objects.create(consent=withdrawn, withdrawn_by=manager_a, reason="x")
    overdue_but_replaced = ConsentRecordFactory(
        person=person_a,
        recipient_class="police",
        review_date=today() - timedelta(days=5),
        recorded_at=timezone.now() - timedelta(days=200),
    )
    ConsentRecordFactory(person=person_a, recipient_class="police")
    unverified = RepresentativeFactory(person=person_a)
    RepresentativeFactory(person=person_b)

    client.force_login(manager_a)
    response = client.get(reverse("consent:review_list"))

    assert list(response.context["consents"]) == [due]
    assert overdue_but_replaced not in response.context["consents"]
    assert list(response.context["representatives"]) == [unverified]
