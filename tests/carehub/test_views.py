"""The register, the person page, signing in and the error pages."""

from datetime import date

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from carehub.forms import SEARCH_MAX_LENGTH
from carehub.models import AuditEvent, Person, Role
from tests.factories import PASSWORD, PersonFactory


@pytest.fixture
def register(service_a, service_b):
    PersonFactory(
        service=service_a, given_name="Edith", family_name="Walsh", nhs_number="9434765919"
    )
    PersonFactory(service=service_a, given_name="Albert", family_name="Walsh")
    PersonFactory(
        service=service_a,
        given_name="Mabel",
        family_name="Green",
        is_active=False,
        left_on=date(2024, 5, 1),
    )
    PersonFactory(service=service_b, given_name="Irene", family_name="Walsh")


def names(response):
    return [p.full_name for p in response.context["page"]]


def test_register_lists_current_people_in_the_users_services(client, carer_a, register):
    client.force_login(carer_a)
    response = client.get(reverse("person_list"))
    assert response.status_code == 200
    assert sorted(names(response)) == ["Albert Walsh", "Edith Walsh"]
    assert "Irene" not in response.content.decode()


def test_register_search_by_name(client, carer_a, register):
    client.force_login(carer_a)
    response = client.search(reverse("person_list"), {"q": "edith walsh"})
    assert names(response) == ["Edith Walsh"]


def test_register_search_by_nhs_number_with_spaces(client, carer_a, register):
    client.force_login(carer_a)
    response = client.search(reverse("person_list"), {"q": "943 476 5919"})
    assert names(response) == ["Edith Walsh"]


def test_register_status_filter_shows_people_who_have_left(client, carer_a, register):
    client.force_login(carer_a)
    assert names(client.get(reverse("person_list"), {"status": "left"})) == ["Mabel Green"]
    assert len(names(client.get(reverse("person_list"), {"status": "all"}))) == 3


def test_register_service_filter(client, make_user, service_a, service_b, register):
    manager = make_user(Role.REGISTERED_MANAGER, service_a, service_b)
    client.force_login(manager)
    response = client.get(reverse("person_list"), {"service": service_b.pk})
    assert names(response) == ["Irene Walsh"]
    assert len(names(client.search(reverse("person_list"), {"q": "walsh"}))) == 3


def test_register_refuses_another_services_filter_with_a_message(
    client, carer_a, service_b, register
):
    client.force_login(carer_a)
    response = client.get(reverse("person_list"), {"service": service_b.pk})
    assert response.status_code == 200
    assert names(response) == []
    assert "Choose one of your services" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()


def test_register_oversized_search_gets_a_clear_message(client, carer_a, register):
    client.force_login(carer_a)
    response = client.search(reverse("person_list"), {"q": "x" * 10_000})
    assert response.status_code == 200
    content = response.content.decode()
    assert f"Search for at most {SEARCH_MAX_LENGTH} characters" in content
    assert "Error: People" in content


@pytest.mark.parametrize("query", ["\x00", "a\x07b", "<script>alert(1)</script>", "'; DROP TABLE"])
def test_register_hostile_search_is_harmless(client, carer_a, register, query):
    client.force_login(carer_a)
    response = client.search(reverse("person_list"), {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert Person.objects.count() == 4


def test_register_is_paginated(client, carer_a, service_a):
    PersonFactory.create_batch(30, service=service_a)
    client.force_login(carer_a)
    first = client.get(reverse("person_list"))
    assert len(names(first)) == 25
    assert first.context["page"].paginator.num_pages == 2
    second = client.get(reverse("person_list"), {"page": 2})
    assert len(names(second)) == 5
    assert set(names(first)).isdisjoint(names(second))
    # a nonsense page number shows a page rather than an error
    assert client.get(reverse("person_list"), {"page": "abc"}).status_code == 200


def test_person_page_shows_details(client, carer_a, service_a):
    person = PersonFactory(
        service=service_a, given_name="Edith", family_name="Walsh", nhs_number="9434765919"
    )
    client.force_login(carer_a)
    content = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Edith Walsh" in content and "943 476 5919" in content and "Rose House" in content


def test_person_from_another_service_typed_into_the_url_is_not_found(client, carer_a, person_b):
    client.force_login(carer_a)
    response = client.get(f"/people/{person_b.pk}/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Stanley" not in response.content.decode()


def test_malformed_person_id_is_not_found(client, carer_a):
    client.force_login(carer_a)
    assert client.get("/people/12/").status_code == 404
    assert client.get("/no-such-page/").status_code == 404


def test_sign_in_and_out(client, carer_a, service_a):
    service_a.care_staff_use_two_step = False  # a password alone, where the service says so
    service_a.save()
    response = client.post(
        reverse("login"), {"username": "carer.a", "password": PASSWORD}, follow=True
    )
    assert response.request["PATH_INFO"] == reverse("home")
    assert response.context["user"] == carer_a
    response = client.post(reverse("logout"), follow=True)
    assert response.request["PATH_INFO"] == reverse("login")
    assert not response.context["user"].is_authenticated


def test_wrong_password_gets_a_clear_message(client, carer_a):
    response = client.post(reverse("login"), {"username": "carer.a", "password": "wrong"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter a correct username and password" in content
    assert "govuk-error-summary" in content
    assert "_auth_user_id" not in client.session


def test_empty_sign_in_names_each_missing_field(client, db):
    content = client.post(reverse("login"), {}).content.decode()
    assert "Enter your username" in content and "Enter your password" in content


def test_repeated_failures_lock_the_account(client, carer_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "carer.a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "carer.a", "password": PASSWORD})
    assert response.status_code == 429
    assert "This account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username="carer.a").exists()


def test_sign_in_redirects_only_to_this_site(client, carer_a):
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {"username": "carer.a", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_home_page_has_a_section_per_role(client, make_user, service_a, service_b):
    user = make_user(Role.CARE_STAFF, service_a)
    from tests.factories import MembershipFactory

    MembershipFactory(user=user, service=service_b, role=Role.AUDITOR)
    client.force_login(user)
    content = client.get(reverse("home")).content.decode()
    assert 'data-role-section="care_staff"' in content
    assert 'data-role-section="auditor"' in content
    assert 'data-role-section="registered_manager"' not in content
    assert "Care staff, Rose House" in content and "Auditor, Oak Lodge" in content


def test_admin_home_has_no_route_to_care_records(client, make_user, service_a):
    admin = make_user(Role.ADMIN, service_a)
    client.force_login(admin)
    content = client.get(reverse("home")).content.decode()
    assert 'data-role-section="admin"' in content
    assert reverse("person_list") not in content


def test_stale_form_gets_the_expired_page_and_changes_nothing(carer_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "carer.a", "password": PASSWORD})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_reading_the_register_does_not_write_access_events(client, carer_a, register):
    client.force_login(carer_a)
    client.get(reverse("person_list"))
    assert AuditEvent.objects.count() == 0
