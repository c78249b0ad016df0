"""Reporting and reviewing breaches through the pages."""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from breaches.models import Assessment, BreachReport, Closure, IcoSubmission, StatusEvent
from carehub.models import Role
from tests.factories import PersonFactory

NOW = timezone.localtime()


def when(prefix, moment):
    moment = timezone.localtime(moment)
    return {
        f"{prefix}_on_0": moment.day,
        f"{prefix}_on_1": moment.month,
        f"{prefix}_on_2": moment.year,
        f"{prefix}_time": moment.strftime("%H:%M"),
    }


@pytest.fixture
def manager_a(make_user, service_a):
    return make_user(
        Role.REGISTERED_MANAGER, service_a, username="manager.a", email="manager.a@example.org"
    )


@pytest.fixture
def admin_a(make_user, service_a):
    return make_user(Role.ADMIN, service_a, username="admin.a")


def page1(service, **overrides):
    return {
        "service": service.pk,
        "what_happened": "I left my work phone on the bus; it has the rota and the notes app",
        "category": "device",
        "near_miss": "False",
        **when("occurred", NOW - timedelta(hours=5)),
        **when("discovered", NOW - timedelta(hours=2)),
        **overrides,
    }


def report(client, service, people=(), confidential=False, **overrides):
    response = client.post(reverse("breaches:report_start"), page1(service, **overrides))
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(
        reverse("breaches:report_people"),
        {
            "people": [str(p.pk) for p in people],
            "other_people_count": 0,
            "information": ["health", "contact_details"],
            "containment": "Phone locked remotely",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    key = str(uuid.uuid4())
    response = client.post(
        reverse("breaches:report_check"), {"confidential": str(confidential), "submission_key": key}
    )
    assert response.status_code == 302
    return BreachReport.objects.get(submission_key=key), response


def test_a_care_worker_reports_a_lost_phone(
    client, carer_a, person_a, manager_a, service_a, django_capture_on_commit_callbacks
):
    client.force_login(carer_a)
    with django_capture_on_commit_callbacks(execute=True):  # the email goes once it is saved
        breach, response = report(client, service_a, people=[person_a])
    assert response["Location"] == reverse("breaches:submitted", args=[breach.pk])
    page = client.get(response["Location"]).content.decode()
    assert breach.reference in page
    assert (breach.reporter, breach.category, list(breach.people.all())) == (
        carer_a,
        "device",
        [person_a],
    )
    assert breach.status == "reported"
    assert breach.ico_deadline == breach.discovered_at + timedelta(hours=72)
    [email] = mail.outbox
    assert email.to == ["manager.a@example.org"]
    assert breach.reference in email.subject
    assert reverse("breaches:detail", args=[breach.pk]) in email.body
    for secret in (person_a.family_name, "phone", "bus", carer_a.last_name):
        assert secret not in email.body


def test_the_report_is_saved_once_however_often_it_is_sent(client, carer_a, service_a):
    client.force_login(carer_a)
    client.post(reverse("breaches:report_start"), page1(service_a))
    client.post(
        reverse("breaches:report_people"), {"other_people_count": 2, "information": ["health"]}
    )
    data = {"confidential": "False", "submission_key": str(uuid.uuid4())}
    client.post(reverse("breaches:report_check"), data)
    client.post(reverse("breaches:report_check"), data)
    assert BreachReport.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (when("discovered", NOW - timedelta(hours=6)), "discovered_on", "before it happened"),
        (when("occurred", NOW + timedelta(hours=3)), "occurred_on", "cannot be in the future"),
        ({"what_happened": "   "}, "what_happened", "Describe what happened"),
        ({"category": "other"}, "category_other", "Describe the kind of breach"),
        ({"occurred_time": "7pm"}, "occurred_time", "for example 14:30"),
        ({"category": "not-a-kind"}, "category", "Select"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    client, carer_a, service_a, overrides, field, message
):
    client.force_login(carer_a)
    response = client.post(reverse("breaches:report_start"), page1(service_a, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert not BreachReport.objects.exists()


def test_a_service_the_reporter_does_not_belong_to_is_refused(client, carer_a, service_b):
    client.force_login(carer_a)
    response = client.post(reverse("breaches:report_start"), page1(service_b))
    assert "Select" in response.context["form"].errors["service"][0]


def test_people_of_another_service_cannot_be_attached(client, carer_a, service_a, person_b):
    client.force_login(carer_a)
    client.post(reverse("breaches:report_start"), page1(service_a))
    response = client.post(
        reverse("breaches:report_people"),
        {"people": [str(person_b.pk)], "other_people_count": 0, "information": ["health"]},
    )
    assert "people" in response.context["form"].errors


def test_whistleblowing_hides_the_reporter_from_managers_but_not_the_nominated_officer(
    client, carer_a, manager_a, admin_a, service_a
):
    client.force_login(carer_a)
    breach, _ = report(client, service_a, confidential=True)
    client.force_login(manager_a)
    page = client.get(breach.get_absolute_url()).content.decode()
    assert "Confidential (whistleblowing)" in page
    assert carer_a.get_full_name() not in page
    client.force_login(admin_a)
    assert client.get(breach.get_absolute_url()).status_code == 403  # no care records
    page = client.get(reverse("breaches:confidential_reporters")).content.decode()
    assert carer_a.get_full_name() in page and breach.reference in page
    assert "bus" not in page


def assessment_data(**overrides):
    """A complete grading: likely and serious enough to report to the ICO."""
    return {
        "submission_key": str(uuid.uuid4()),
        "likelihood": 3,
        "severity": 3,
        "notify_ico": "True",
        "reasons": "Health data on an unlocked phone",
        "tell_people": "False",
        "tell_people_reasons": "Phone wiped within the hour",
        **overrides,
    }


def assess(client, breach, **overrides):
    data = assessment_data(**overrides)
    return client.post(reverse("breaches:assess", args=[breach.pk]), data)


def test_the_manager_grades_reports_to_the_ico_and_closes(
    client, carer_a, manager_a, person_a, service_a
):
    client.force_login(carer_a)
    breach, _ = report(client, service_a, people=[person_a])
    client.force_login(manager_a)
    home = client.get(reverse("home")).content.decode()
    assert breach.reference in home and "left" in home  # the countdown on the manager's home
    assert assess(client, breach).status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.suggested_reportable, assessment.notify_ico) == (True, True)
    assert breach.status == "under_review"

    close_url = reverse("breaches:close", args=[breach.pk])
    closing = {
        "lessons_learned": "Phones lock after 1 minute",
        "outcome_for_reporter": "Thank you for reporting quickly",
    }
    response = client.post(close_url, closing, follow=True)
    assert "Record the ICO submission" in response.content.decode()
    assert not Closure.objects.exists()

    client.post(
        reverse("breaches:ico", args=[breach.pk]),
        {**when("submitted", NOW), "ico_reference": "IC-12345-A1B2"},
    )
    assert IcoSubmission.objects.get().ico_reference == "IC-12345-A1B2"
    client.post(close_url, closing)
    assert breach.status == "closed"
    assert [e.status for e in StatusEvent.objects.order_by("recorded_at")] == [
        "reported",
        "under_review",
        "closed",
    ]

    client.force_login(carer_a)
    mine = client.get(reverse("breaches:mine")).content.decode()
    assert "Thank you for reporting quickly" in mine
    assert client.get(reverse("breaches:assess", args=[breach.pk])).status_code == 403


def test_departing_from_the_grading_needs_a_justification(
    client, carer_a, manager_a, person_a, service_a
):
    client.force_login(carer_a)
    breach, _ = report(client, service_a, people=[person_a])
    client.force_login(manager_a)
    response = assess(client, breach, notify_ico="False")
    assert (
        "explain why your decision differs"
        in response.context["form"].errors["departure_justification"][0]
    )
    response = assess(client, breach, likelihood=1)
    assert "vulnerable group" in response.context["form"].errors["likelihood"][0]
    assert not Assessment.objects.exists()
    assess(
        client,
        breach,
        notify_ico="False",
        departure_justification="Encrypted and wiped within minutes",
    )
    assert Assessment.objects.get().notify_ico is False


def test_a_late_ico_submission_needs_the_reason_for_delay(client, carer_a, manager_a, service_a):
    client.force_login(carer_a)
    breach, _ = report(
        client,
        service_a,
        **when("occurred", NOW - timedelta(days=5)),
        **when("discovered", NOW - timedelta(days=4)),
    )
    client.force_login(manager_a)
    assess(client, breach)
    url = reverse("breaches:ico", args=[breach.pk])
    response = client.post(url, {**when("submitted", NOW), "ico_reference": "IC-1"})
    assert "reason for the delay" in response.context["form"].errors["delay_reason"][0]
    assert not IcoSubmission.objects.exists()
    assert "Overdue by" in client.get(breach.get_absolute_url()).content.decode()
    client.post(
        url,
        {
            **when("submitted", NOW),
            "ico_reference": "IC-1",
            "delay_reason": "Manager on leave; deputy not trained",
        },
    )
    assert IcoSubmission.objects.get().delay_reason


def test_the_register_filters_counts_and_exports(
    client, carer_a, manager_a, service_a, make_user, service_b
):
    client.force_login(carer_a)
    lost, _ = report(client, service_a)
    posted, _ = report(client, service_a, category="social_media")
    other = make_user(Role.CARE_STAFF, service_b)
    client.force_login(other)
    elsewhere, _ = report(client, service_b)
    client.force_login(manager_a)
    assess(client, lost)

    response = client.get(reverse("breaches:register"))
    assert {b.pk for b in [row[0] for row in response.context["rows"]]} == {lost.pk, posted.pk}
    response = client.get(reverse("breaches:register"), {"notifiable": "yes"})
    assert [b.pk for b in [row[0] for row in response.context["rows"]]] == [lost.pk]
    response = client.get(reverse("breaches:register"), {"status": "reported"})
    assert [b.pk for b in [row[0] for row in response.context["rows"]]] == [posted.pk]
    response = client.get(reverse("breaches:register"), {"category": "social_media"})
    assert [b.pk for b in [row[0] for row in response.context["rows"]]] == [posted.pk]
    assert dict(client.get(reverse("breaches:register")).context["by_category"]) == {
        "Theft or loss of a phone, tablet or computer": 1,
        "Image or video posted on social media": 1,
    }

    export = client.get(reverse("breaches:register_csv"), {"category": "device"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert export["X-Row-Count"] == "1"
    assert [row["reference"] for row in rows] == [lost.reference]
    (row,) = rows
    assert (row["notifiable"], row["category"], row["near_miss"]) == (
        "yes",
        "Theft or loss of a phone, tablet or computer",
        "no",
    )
    assert row["status"] == "Under review"
    assert row["ico_deadline"] == f"{lost.ico_deadline:%Y-%m-%dT%H:%M:%SZ}"
    assert row["discovered_at"] == f"{lost.discovered_at:%Y-%m-%dT%H:%M:%SZ}"
    assert int(row["people_affected"]) == lost.people.count() + lost.other_people_count
    assert row["information"] == ";".join(lost.information)
    assert (row["ico_submitted_at"], row["ico_reference"], row["closed_at"]) == ("", "", "")
    assert (
        "bus"
        not in b"".join(client.get(reverse("breaches:register_csv")).streaming_content).decode()
    )


def test_reports_and_reviews_cannot_be_changed_even_with_raw_sql(
    client, carer_a, manager_a, service_a
):
    client.force_login(carer_a)
    breach, _ = report(client, service_a)
    client.force_login(manager_a)
    assess(client, breach)
    for sql, params in [
        ("UPDATE breaches_breachreport SET what_happened = 'nothing' WHERE id = %s", [breach.pk]),
        ("DELETE FROM breaches_breachreport WHERE id = %s", [breach.pk]),
        ("UPDATE breaches_assessment SET notify_ico = false WHERE breach_id = %s", [breach.pk]),
        ("DELETE FROM breaches_statusevent WHERE breach_id = %s", [breach.pk]),
    ]:
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
    assert BreachReport.objects.get().what_happened.startswith("I left my work phone")


def test_a_breach_can_start_from_a_sharing_decision(client, carer_a, person_a, service_a):
    from tests.factories import DecisionFactory

    decision = DecisionFactory(request__person=person_a)
    client.force_login(carer_a)
    page = client.get(reverse("breaches:report_start"), {"decision": decision.pk})
    assert page.context["form"].initial["category"] == "shared_without_consent"
    client.post(
        reverse("breaches:report_start"), page1(service_a, category="shared_without_consent")
    )
    client.post(
        reverse("breaches:report_people"), {"other_people_count": 0, "information": ["health"]}
    )
    client.post(
        reverse("breaches:report_check"),
        {"confidential": "False", "submission_key": str(uuid.uuid4())},
    )
    assert BreachReport.objects.get().decision == decision


def test_reading_a_breach_is_recorded_for_each_person_affected(
    client, carer_a, manager_a, person_a, service_a
):
    from carehub.models import AuditEvent

    client.force_login(carer_a)
    breach, _ = report(client, service_a, people=[person_a, PersonFactory(service=service_a)])
    client.force_login(manager_a)
    client.get(breach.get_absolute_url())
    assert AuditEvent.objects.filter(action="carehub.person.viewed", actor=manager_a).count() == 2


def test_going_back_to_change_page_one_shows_the_answers(client, carer_a, service_a):
    client.force_login(carer_a)
    client.post(reverse("breaches:report_start"), page1(service_a))
    form = client.get(reverse("breaches:report_start")).context["form"]
    discovered = timezone.localtime(NOW - timedelta(hours=2))
    assert form.initial["discovered_on"] == discovered.date()
    assert form.initial["discovered_time"] == discovered.strftime("%H:%M")
    assert form.initial["category"] == "device"


def test_near_misses_are_counted_separately(client, carer_a, manager_a, service_a):
    client.force_login(carer_a)
    report(client, service_a)
    report(client, service_a, near_miss="True")
    client.force_login(manager_a)
    assert client.get(reverse("breaches:register")).context["totals"] == {
        "breaches": 1,
        "near_misses": 1,
    }


def test_the_clock_stops_once_the_ico_is_told_or_the_breach_is_not_reportable(
    client, carer_a, manager_a, service_a
):
    client.force_login(carer_a)
    late, _ = report(
        client,
        service_a,
        **when("occurred", NOW - timedelta(days=5)),
        **when("discovered", NOW - timedelta(days=4)),
    )
    not_reportable, _ = report(client, service_a)
    client.force_login(manager_a)
    assert late.clock()["kind"] == "countdown" and late.clock()["overdue"]
    assess(client, late)
    client.post(
        reverse("breaches:ico", args=[late.pk]),
        {**when("submitted", NOW), "ico_reference": "IC-9", "delay_reason": "Found in an audit"},
    )
    assert late.clock() | {"deadline": None} == {
        "kind": "reported",
        "deadline": None,
        "late": True,
        "text": "Reported to the ICO late",
    }
    assess(client, not_reportable, likelihood=2, severity=2, notify_ico="False")
    assert not_reportable.clock()["kind"] == "not_reportable"
    home = client.get(reverse("home")).content.decode()
    assert "Overdue" not in home


def test_a_closed_breach_has_no_review_forms(client, carer_a, manager_a, service_a):
    client.force_login(carer_a)
    breach, _ = report(client, service_a)
    client.force_login(manager_a)
    assess(client, breach, likelihood=2, severity=2, notify_ico="False")
    client.post(
        reverse("breaches:close", args=[breach.pk]),
        {"lessons_learned": "x", "outcome_for_reporter": "Thank you"},
    )
    response = client.get(reverse("breaches:assess", args=[breach.pk]), follow=True)
    assert response.redirect_chain[-1][0] == breach.get_absolute_url()
    assert "This breach is closed" in response.content.decode()
