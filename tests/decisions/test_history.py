"""The decision history auditors read: scoped, filtered, sorted, and a fixed number of queries
per page whatever the page holds."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carehub.models import Role
from decisions.models import SignOff
from tests.factories import DecisionFactory, PersonFactory, UserFactory

URL = reverse("decisions:history")


@pytest.fixture
def auditor_a(make_user, service_a):
    return make_user(Role.AUDITOR, service_a, username="auditor.a")


def listed(response):
    return [decision.pk for decision in response.context["page"]]


def test_auditors_see_their_services_decisions_only(client, auditor_a, person_a, person_b):
    mine = DecisionFactory(request__person=person_a)
    DecisionFactory(request__person=person_b)
    client.force_login(auditor_a)
    assert listed(client.get(URL)) == [mine.pk]


def test_care_staff_cannot_open_the_history(client, carer_a):
    client.force_login(carer_a)
    assert client.get(URL).status_code == 403


def test_filters(client, auditor_a, person_a, service_a):
    maker = UserFactory()
    shared = DecisionFactory(request__person=person_a, decided_by=maker)
    departed = DecisionFactory(
        request__person=person_a,
        request__route="family_carer_friend",
        recommendation="withhold",
        final="share",
        departure_justification="Urgent",
    )
    signed = DecisionFactory(request__person=person_a, needs_sign_off=True)
    SignOff.objects.create(decision=signed, outcome="agreed", note="", signed_by=auditor_a)
    other_person = PersonFactory(service=service_a, given_name="Walter", family_name="Fenn")
    fenn = DecisionFactory(request__person=other_person, needs_sign_off=False)
    client.force_login(auditor_a)

    assert listed(client.get(URL, {"departed": "yes"})) == [departed.pk]
    assert set(listed(client.get(URL, {"departed": "no"}))) == {shared.pk, signed.pk, fenn.pk}
    assert listed(client.get(URL, {"route": "family_carer_friend"})) == [departed.pk]
    assert listed(client.search(URL, {"person": "fenn"})) == [fenn.pk]
    assert listed(client.get(URL, {"sign_off": "signed"})) == [signed.pk]
    assert listed(client.get(URL, {"sign_off": "none"})) == [fenn.pk]
    assert set(listed(client.get(URL, {"sign_off": "pending"}))) == {shared.pk, departed.pk}
    assert listed(client.get(URL, {"decided_by": maker.pk})) == []  # not a member of a service
    today = timezone.localdate()
    assert len(listed(client.get(URL, {"decided_from": today.isoformat()}))) == 4
    assert listed(client.get(URL, {"decided_to": (today - timedelta(days=1)).isoformat()})) == []
    by_person = listed(client.get(URL, {"sort": "person"}))
    assert by_person[-1] == fenn.pk or by_person[0] == fenn.pk


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"decided_from": "2026-03-10", "decided_to": "2026-03-01"},
            "decided_to",
            "same as or after",
        ),
        ({"decided_from": "31/02/2026"}, "decided_from", "real date"),
        ({"final": "delete"}, "final", "Select an option"),
        ({"route": "'; DROP TABLE decisions_decision; --"}, "route", "Select an option"),
        ({"person": "x" * 101}, "person", "101"),
    ],
)
def test_bad_filters_are_explained(client, auditor_a, person_a, params, field, message):
    DecisionFactory(request__person=person_a)
    client.force_login(auditor_a)
    response = client.search(URL, params)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert listed(response) == []


def queries_for_page(client, *, on_page):
    # A first request brings the session's idle clock up to date, which is a write of its own
    # every few seconds (carehub.middleware.LAST_SEEN_GRANULARITY), not a cost of the page.
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert len(listed(response)) == on_page
    return len(queries)


def test_a_page_costs_the_same_number_of_queries_whatever_it_holds(client, auditor_a, person_a):
    client.force_login(auditor_a)
    for _ in range(2):
        DecisionFactory(request__person=person_a)
    few = queries_for_page(client, on_page=2)
    for _ in range(60):
        DecisionFactory(request__person=person_a, needs_sign_off=bool(_ % 2))
    full = queries_for_page(client, on_page=50)  # a full page, with and without sign-offs
    assert full == few


def test_dates_are_iso_only_never_guessed(client, auditor_a, person_a):
    DecisionFactory(request__person=person_a)
    client.force_login(auditor_a)
    response = client.get(URL, {"decided_from": "10/03/2026"})
    assert "real date" in " ".join(response.context["form"].errors["decided_from"])


def test_a_long_history_is_counted_only_up_to_the_cap(client, auditor_a, person_a, monkeypatch):
    from decisions import views

    monkeypatch.setattr(views, "HISTORY_COUNT_CAP", 3)
    for _ in range(5):
        DecisionFactory(request__person=person_a)
    client.force_login(auditor_a)
    response = client.get(URL)
    assert response.context["more_than"] == 3
    assert "More than 3 decisions" in response.content.decode()
    assert len(listed(response)) == 3
    monkeypatch.setattr(views, "HISTORY_COUNT_CAP", 5)
    response = client.get(URL)
    assert response.context["more_than"] is None
    assert len(listed(response)) == 5


def test_each_row_says_who_decided_what_and_where_sign_off_stands(
    client, auditor_a, person_a, make_user, service_a
):
    named = UserFactory(username="j.smith", first_name="Jo", last_name="Smith")
    awaiting = DecisionFactory(  # departs from the recommendation: sign-off awaited
        request__person=person_a,
        request__route="family_carer_friend",
        recommendation="withhold",
        final="share",
        departure_justification="Her daughter holds the key safe code",
        needs_sign_off=True,
        decided_by=named,
    )
    signed = DecisionFactory(
        request__person=person_a,
        needs_sign_off=True,
        decided_by=UserFactory(username="no.name", first_name="", last_name=""),
    )
    SignOff.objects.create(
        decision=signed,
        outcome=SignOff.Outcome.NOT_AGREED,
        note="Police should have been told",
        signed_by=make_user(Role.REGISTERED_MANAGER, service_a),
    )
    plain = DecisionFactory(
        request__person=person_a, recommendation="share", final="share", needs_sign_off=False
    )
    client.force_login(auditor_a)
    rows = {row.pk: row for row in client.get(URL).context["page"]}

    row = rows[awaiting.pk]
    assert (row.route, row.recommendation, row.final, row.departed) == (
        "A family member, carer or friend asks",
        "Do not share",
        "share",
        True,
    )
    assert (row.decided_by, row.person_name, row.service) == (
        "Jo Smith",
        "Margaret Clarke",
        "Rose House",
    )
    assert (row.needs_sign_off, row.sign_off) == (True, "")
    assert rows[signed.pk].sign_off == "Not agreed: follow-up needed"
    assert rows[signed.pk].decided_by == "no.name"  # no name given: the username
    assert (rows[plain.pk].departed, rows[plain.pk].needs_sign_off) == (False, False)

    page = client.get(URL).content.decode()
    assert page.count('govuk-tag--orange">Departed') == 1
    assert page.count("Awaiting</strong>") == 1
    assert "Not agreed: follow-up needed" in page and "Not needed" in page
    assert reverse("decisions:decision_detail", args=[awaiting.pk]) in page


@pytest.mark.parametrize(
    ("recommendation", "final", "departs"),
    [
        ("share", "share", False),
        ("share", "withhold", True),
        ("withhold", "share", True),
        ("seek_advice", "share", False),
        ("need_information", "withhold", False),
    ],
)
def test_departing_from_a_recommendation(recommendation, final, departs):
    from decisions import rules

    assert rules.departs(recommendation, final) is departs


def test_long_histories_link_to_nearby_pages_and_keep_the_filters(
    client, auditor_a, person_a, monkeypatch
):
    import re

    from decisions import views

    monkeypatch.setattr(views, "HISTORY_PAGE_SIZE", 1)
    for _ in range(20):
        DecisionFactory(request__person=person_a)
    client.force_login(auditor_a)
    page = client.get(URL, {"final": "share", "page": 10}).content.decode()
    linked = [int(n) for n in re.findall(r'aria-label="Page (\d+)"', page)]
    assert linked == [1, 2, 8, 9, 10, 11, 12, 19, 20]
    assert page.count("govuk-pagination__item--ellipses") == 2
    assert 'href="?final=share&amp;page=10" aria-label="Page 10" aria-current="page"' in page
    assert 'href="?final=share&amp;page=11" rel="next"' in page
    assert 'href="?final=share&amp;page=9" rel="prev"' in page
