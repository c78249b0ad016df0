"""The sharing wizard through the pages: one question at a time, check answers, decide.

Four journeys end in stored decisions; bad input, stale pages and double submits lose
nothing and duplicate nothing."""

import uuid
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from carehub.models import Role
from decisions.models import Addendum, Advice, Decision, PoliceNotification, SharingRequest, SignOff
from tests.factories import (
    CapacityAssessmentFactory,
    ConsentRecordFactory,
    RepresentativeVerificationFactory,
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


@pytest.fixture
def manager_a(make_user, service_a):
    return make_user(Role.REGISTERED_MANAGER, service_a, username="manager.a")


def request_data(**overrides):
    """A complete "new sharing request" form: a daughter asks for test results by phone."""
    return {
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
        **overrides,
    }


def open_request(client, person, **overrides):
    data = request_data(**overrides)
    response = client.post(reverse("decisions:request_new", args=[person.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    return SharingRequest.objects.latest("created_at"), response


def answer(client, sharing_request, fact, value):
    sharing_request.refresh_from_db()
    url = reverse("decisions:question", args=[sharing_request.pk, fact])
    response = client.post(url, {"answer": str(value), "version": sharing_request.version})
    assert response.status_code == 302, (
        getattr(response, "context", {}) and response.context["form"].errors
    )
    return response


WITHHOLD = {
    "final": "withhold",
    "rationale": "Margaret said clearly she does not want Susan told",
    "requester_told": "True",
    "requester_told_note": "Told Susan by phone that Margaret has asked us not to share it",
    "person_told": "True",
    "person_told_note": "Told Margaret this afternoon",
}


def share(**overrides):
    data = {
        "final": "share",
        "rationale": "Required to protect her from serious harm",
        "article6_basis": "vital_interests",
        "article9_condition": "safeguarding",
        "what_shared": "The bruising seen on 24 November and what she said",
        **date_fields("shared_on", today()),
        "shared_time": "14:30",
        "method": "secure_portal",
        "recipient_name": "Duty social worker",
        "recipient_role": "Adult safeguarding",
        "recipient_organisation": "Westshire County Council",
        "person_told": "False",
        "person_told_note": "Telling her now could put her at greater risk",
    }
    for key in (
        "necessary_and_proportionate",
        "relevant",
        "adequate",
        "accurate",
        "timely",
        "secure",
    ):
        data[f"{key}_confirmed"] = "on"
        data[f"{key}_note"] = f"Checked: {key}"
    data.update(overrides)
    return data


def decide(client, sharing_request, data):
    sharing_request.refresh_from_db()
    return client.post(
        reverse("decisions:decide", args=[sharing_request.pk]),
        {**data, "version": sharing_request.version},
    )


def test_family_asks_and_the_person_refuses(client, carer_a, person_a):
    client.force_login(carer_a)
    sharing_request, response = open_request(client, person_a)
    assert response["Location"] == reverse(
        "decisions:question", args=[sharing_request.pk, "legitimate_purpose"]
    )
    answer(client, sharing_request, "legitimate_purpose", True)
    answer(client, sharing_request, "person_has_capacity", True)
    response = answer(client, sharing_request, "consent", "refused")
    assert response["Location"] == reverse("decisions:check", args=[sharing_request.pk])

    page = client.get(response["Location"]).content.decode()
    assert "Recommendation: do not share" in page
    assert "Rule 5" in page

    response = decide(client, sharing_request, WITHHOLD)
    decision = Decision.objects.get()
    assert response["Location"] == decision.get_absolute_url()
    assert (decision.recommendation, decision.final, decision.needs_sign_off) == (
        "withhold",
        "withhold",
        False,
    )
    assert decision.facts == {
        "requester": "family_carer_friend",
        "legitimate_purpose": True,
        "person_has_capacity": True,
        "consent": "refused",
    }
    assert [step["fact"] for step in decision.answer_path] == [
        "legitimate_purpose",
        "person_has_capacity",
        "consent",
    ]
    assert decision.answer_path[2]["label"] == "No, they refuse"  # as the worker saw it
    assert decision.ruleset and decision.recommendation_reasons
    person_page = client.get(reverse("person_detail", args=[person_a.pk])).content.decode()
    assert "Withheld" in person_page


def test_safeguarding_serious_harm_that_is_a_crime_shares_and_needs_the_police(
    client, carer_a, manager_a, person_a
):
    client.force_login(carer_a)
    sharing_request, _ = open_request(
        client,
        person_a,
        route="safeguarding",
        recipient_class="local_authority",
        requester_name="Adult safeguarding team",
        requester_role="Local authority",
    )
    for fact, value in [
        ("enquiry_or_investigation", False),
        ("person_has_capacity", True),
        ("consent", "refused"),
        ("harm", "serious"),
        ("criminal", True),
    ]:
        answer(client, sharing_request, fact, value)
    decide(client, sharing_request, share())
    decision = Decision.objects.get()
    assert (decision.final, decision.actions) == ("share", ["notify_police"])
    assert decision.needs_sign_off and decision.needs_police_follow_up

    police_url = reverse("decisions:police", args=[decision.pk])
    client.post(
        police_url,
        {
            **date_fields("notified_on", today()),
            "police_force": "Westshire Police",
            "reference": "CR/123/26",
        },
    )
    assert PoliceNotification.objects.get().reference == "CR/123/26"

    sign_off_url = reverse("decisions:sign_off", args=[decision.pk])
    assert client.post(sign_off_url, {"outcome": "agreed"}).status_code == 403  # care staff
    client.force_login(manager_a)
    client.post(sign_off_url, {"outcome": "agreed", "note": ""})
    assert SignOff.objects.get().signed_by == manager_a


def test_attorney_with_verified_authority_while_the_person_lacks_capacity(
    client, carer_a, person_a
):
    attorney = RepresentativeVerificationFactory(representative__person=person_a).representative
    CapacityAssessmentFactory(person=person_a, information_category="test_results")
    client.force_login(carer_a)
    sharing_request, response = open_request(
        client,
        person_a,
        route="attorney_or_deputy",
        representative=str(attorney.pk),
        requester_name=attorney.name,
    )
    question_url = reverse("decisions:question", args=[sharing_request.pk, "person_has_capacity"])
    page = client.get(question_url)
    assert page.context["form"].initial["answer"] == "False"  # from the capacity assessment
    assert "From the records" in page.content.decode()

    answer(client, sharing_request, "person_has_capacity", False)
    page = client.get(
        reverse(
            "decisions:question", args=[sharing_request.pk, "attorney_authority_covers_information"]
        )
    )
    assert page.context["form"].initial["answer"] == "True"  # verified, covers test results
    answer(client, sharing_request, "attorney_authority_covers_information", True)
    answer(client, sharing_request, "attorney_deems_best_interests", True)
    decide(
        client,
        sharing_request,
        share(article6_basis="legal_obligation", article9_condition="health_or_social_care"),
    )
    decision = Decision.objects.get()
    assert (decision.recommendation, decision.final, decision.needs_sign_off) == (
        "share",
        "share",
        False,
    )


def test_unclear_harm_seeks_advice_then_decides(client, carer_a, person_a):
    client.force_login(carer_a)
    sharing_request, _ = open_request(
        client, person_a, route="safeguarding", recipient_class="local_authority"
    )
    for fact, value in [
        ("enquiry_or_investigation", False),
        ("person_has_capacity", True),
        ("consent", "not_obtained"),
        ("harm", "unclear"),
    ]:
        answer(client, sharing_request, fact, value)
    assert decide(client, sharing_request, WITHHOLD)["Location"] == reverse(
        "decisions:check", args=[sharing_request.pk]
    )
    assert not Decision.objects.exists()  # not before the advice

    advice_url = reverse("decisions:advice", args=[sharing_request.pk])
    response = client.post(
        advice_url,
        {
            "organisation": "Westshire",
            "contact_role": "Duty team",
            **date_fields("asked_on", today()),
            "advice": "Monitor and record",
        },
    )
    assert "without giving personal details" in " ".join(
        response.context["form"].errors["no_personal_details_given"]
    )
    client.post(
        advice_url,
        {
            "organisation": "Westshire",
            "contact_role": "Duty team",
            **date_fields("asked_on", today()),
            "advice": "Monitor and record",
            "no_personal_details_given": "on",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert Advice.objects.count() == 1

    decide(client, sharing_request, WITHHOLD)
    decision = Decision.objects.get()
    assert (decision.recommendation, decision.final, decision.needs_sign_off) == (
        "seek_advice",
        "withhold",
        False,
    )


def test_prefilled_consent_shows_its_record_and_is_only_a_suggestion(client, carer_a, person_a):
    consent = ConsentRecordFactory(
        person=person_a, information_category="test_results", status="given"
    )
    client.force_login(carer_a)
    sharing_request, _ = open_request(client, person_a)
    answer(client, sharing_request, "legitimate_purpose", True)
    answer(client, sharing_request, "person_has_capacity", True)
    page = client.get(reverse("decisions:question", args=[sharing_request.pk, "consent"]))
    assert page.context["form"].initial["answer"] == "given"
    assert consent.get_absolute_url() in page.content.decode()
    answer(client, sharing_request, "consent", "refused")  # the person says no today
    assert SharingRequest.objects.get().answers["consent"] == "refused"


def test_a_question_off_the_path_redirects_to_the_next_one(client, carer_a, person_a):
    client.force_login(carer_a)
    sharing_request, _ = open_request(client, person_a)
    response = client.get(reverse("decisions:question", args=[sharing_request.pk, "harm"]))
    assert response["Location"] == reverse(
        "decisions:question", args=[sharing_request.pk, "legitimate_purpose"]
    )
    response = client.get(reverse("decisions:question", args=[sharing_request.pk, "no-such-fact"]))
    assert response.status_code == 302


def test_changing_an_earlier_answer_drops_answers_no_longer_needed(client, carer_a, person_a):
    client.force_login(carer_a)
    sharing_request, _ = open_request(client, person_a)
    answer(client, sharing_request, "legitimate_purpose", True)
    answer(client, sharing_request, "person_has_capacity", True)
    answer(client, sharing_request, "legitimate_purpose", False)
    response = client.get(reverse("decisions:check", args=[sharing_request.pk]))
    assert [row["fact"] for row in response.context["answers"]] == ["legitimate_purpose"]
    decide(client, sharing_request, WITHHOLD)
    assert Decision.objects.get().facts == {
        "requester": "family_carer_friend",
        "legitimate_purpose": False,
    }


def test_a_stale_answer_is_refused_and_loses_nothing(client, carer_a, person_a):
    client.force_login(carer_a)
    sharing_request, _ = open_request(client, person_a)
    stale_version = SharingRequest.objects.get().version
    answer(client, sharing_request, "legitimate_purpose", True)  # someone else, meanwhile
    url = reverse("decisions:question", args=[sharing_request.pk, "legitimate_purpose"])
    response = client.post(url, {"answer": "False", "version": stale_version}, follow=True)
    assert "Someone else changed" in response.content.decode()
    assert SharingRequest.objects.get().answers == {"legitimate_purpose": True}


def test_a_double_submitted_decision_is_saved_once(client, carer_a, person_a):
    client.force_login(carer_a)
    sharing_request, _ = open_request(client, person_a)
    answer(client, sharing_request, "legitimate_purpose", False)
    sharing_request.refresh_from_db()
    data = {**WITHHOLD, "version": sharing_request.version}
    url = reverse("decisions:decide", args=[sharing_request.pk])
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    assert Decision.objects.count() == 1
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "already been recorded" in second.content.decode()


def test_deciding_on_stale_answers_is_refused(client, carer_a, person_a):
    client.force_login(carer_a)
    sharing_request, _ = open_request(client, person_a)
    answer(client, sharing_request, "legitimate_purpose", False)
    sharing_request.refresh_from_db()
    old = sharing_request.version
    answer(client, sharing_request, "legitimate_purpose", True)
    answer(client, sharing_request, "person_has_capacity", True)
    answer(client, sharing_request, "consent", "given")
    response = client.post(
        reverse("decisions:decide", args=[sharing_request.pk]),
        {**WITHHOLD, "version": old},
        follow=True,
    )
    assert "Someone else changed" in response.content.decode()
    assert not Decision.objects.exists()


def test_departing_from_the_recommendation_needs_a_justification_and_sign_off(
    client, carer_a, person_a
):
    client.force_login(carer_a)
    sharing_request, _ = open_request(client, person_a)
    answer(client, sharing_request, "legitimate_purpose", False)  # recommendation: withhold
    response = decide(client, sharing_request, share())
    assert (
        "differs from the recommendation"
        in response.context["form"].errors["departure_justification"][0]
    )
    assert not Decision.objects.exists()
    decide(client, sharing_request, share(departure_justification="Her GP asked urgently"))
    decision = Decision.objects.get()
    assert decision.departs_from_recommendation and decision.needs_sign_off


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"relevant_confirmed": ""}, "relevant_confirmed", "Confirm the information is relevant"),
        ({"accurate_note": " "}, "accurate_note", "Enter how it is accurate"),
        ({"method": "encrypted_email"}, "recipient_email", "Enter the email address used"),
        (
            {"method": "encrypted_email", "recipient_email": "not-an-email"},
            "recipient_email",
            "valid email",
        ),
        (
            {"method": "encrypted_email", "recipient_email": "duty@westshire.gov.uk"},
            "recipient_contact_verified",
            "belongs to the intended recipient",
        ),
        (
            {
                "method": "encrypted_email",
                "recipient_email": "duty@westshire.gov.uk",
                "recipient_contact_verified": "on",
                "team_mailbox": "True",
            },
            "team_mailbox_safeguards_confirmed",
            "kept confidential",
        ),
        (
            {"article9_condition": "not_applicable"},
            "article9_condition",
            "health or care information",
        ),
        ({"shared_time": "25:99"}, "shared_time", "Enter the time shared"),
        (fields_from_today("shared_on", 1), "shared_on", "today or in the past"),
        ({"rationale": ""}, "rationale", "Enter the reasons"),
        ({"final": ""}, "final", "Select your decision"),
    ],
)
def test_an_incomplete_share_is_explained_and_saves_nothing(
    client, carer_a, person_a, overrides, field, message
):
    client.force_login(carer_a)
    sharing_request, _ = open_request(client, person_a)
    answer(client, sharing_request, "legitimate_purpose", True)
    answer(client, sharing_request, "person_has_capacity", True)
    answer(client, sharing_request, "consent", "given")
    if callable(overrides):
        overrides = overrides()
    response = decide(client, sharing_request, share(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert not Decision.objects.exists()


def test_a_withhold_must_say_whether_the_requester_was_told(client, carer_a, person_a):
    client.force_login(carer_a)
    sharing_request, _ = open_request(client, person_a)
    answer(client, sharing_request, "legitimate_purpose", False)
    response = decide(
        client, sharing_request, {**WITHHOLD, "requester_told": "", "requester_told_note": ""}
    )
    assert set(response.context["form"].errors) >= {"requester_told", "requester_told_note"}
    assert not Decision.objects.exists()


def test_the_persons_own_request_is_due_in_one_calendar_month(client, carer_a, person_a):
    client.force_login(carer_a)
    sharing_request, response = open_request(
        client,
        person_a,
        route="person",
        **date_fields("received_on", today().replace(day=1) - timedelta(days=1)),
    )
    sharing_request.refresh_from_db()
    assert sharing_request.due_on is not None
    assert response["Location"] == reverse("decisions:check", args=[sharing_request.pk])


def test_a_decision_cannot_be_changed_even_with_raw_sql(client, carer_a, person_a):
    client.force_login(carer_a)
    sharing_request, _ = open_request(client, person_a)
    answer(client, sharing_request, "legitimate_purpose", False)
    decide(client, sharing_request, WITHHOLD)
    decision = Decision.objects.get()
    for sql, params in [
        ("UPDATE decisions_decision SET final = 'share' WHERE id = %s", [decision.pk]),
        ("DELETE FROM decisions_decision WHERE id = %s", [decision.pk]),
        ("UPDATE decisions_sharingrequest SET answers = '{}' WHERE id = %s", [sharing_request.pk]),
    ]:
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
    assert Decision.objects.get().final == "withhold"


def test_corrections_are_addenda_with_who_when_why(client, carer_a, person_a):
    client.force_login(carer_a)
    sharing_request, _ = open_request(client, person_a)
    answer(client, sharing_request, "legitimate_purpose", False)
    decide(client, sharing_request, WITHHOLD)
    decision = Decision.objects.get()
    url = reverse("decisions:addendum_new", args=[decision.pk])
    data = {
        "submission_key": str(uuid.uuid4()),
        "text": "Susan was told on the 26th, not the 25th",
        "reason": "Date recorded wrongly",
    }
    client.post(url, data)
    client.post(url, data)
    addendum = Addendum.objects.get()
    assert (addendum.recorded_by, addendum.reason) == (carer_a, "Date recorded wrongly")
    assert "Susan was told on the 26th" in client.get(decision.get_absolute_url()).content.decode()


def test_the_persons_own_request_is_shared_as_subject_access(client, carer_a, person_a):
    client.force_login(carer_a)
    sharing_request, _ = open_request(
        client,
        person_a,
        route="person",
        requester_name="Margaret Clarke",
        recipient_class="other_organisation",
    )
    response = decide(
        client,
        sharing_request,
        share(
            article6_basis="legal_obligation",
            article9_condition="subject_access",
            rationale="Her right of access",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    decision = Decision.objects.get()
    assert (decision.recommendation, decision.final, decision.facts) == (
        "share",
        "share",
        {"requester": "person"},
    )


def test_subject_access_is_not_a_condition_for_sharing_with_others(client, carer_a, person_a):
    client.force_login(carer_a)
    sharing_request, _ = open_request(client, person_a)
    answer(client, sharing_request, "legitimate_purpose", True)
    answer(client, sharing_request, "person_has_capacity", True)
    answer(client, sharing_request, "consent", "given")
    response = decide(client, sharing_request, share(article9_condition="subject_access"))
    assert "only when the person asks" in response.context["form"].errors["article9_condition"][0]
    assert not Decision.objects.exists()


def test_an_attorneys_request_needs_an_attorney_on_record(client, carer_a, person_a):
    client.force_login(carer_a)
    data = {
        "submission_key": str(uuid.uuid4()),
        "route": "attorney_or_deputy",
        "requester_name": "David Clarke",
        "requester_role": "Son",
        "requester_contact": "07700 900123",
        "information_category": "health",
        "information_detail": "Her care plan",
        "recipient_class": "family",
        **date_fields("received_on", today()),
        "received_how": "phone",
    }
    response = client.post(reverse("decisions:request_new", args=[person_a.pk]), data)
    assert "No attorney or deputy is recorded" in response.context["form"].errors["route"][0]
    assert not SharingRequest.objects.exists()
