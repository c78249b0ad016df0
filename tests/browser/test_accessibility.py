"""axe-core finds no WCAG 2.2 AA or best-practice violations on the pages built so far."""

import pytest
from playwright.sync_api import expect

from carehub.models import Person


def test_sign_in_page(page, live_server, axe_violations):
    page.goto(f"{live_server.url}/sign-in/")
    assert axe_violations() == []


def test_sign_in_page_with_errors(page, live_server, axe_violations):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    page.locator(".govuk-error-summary").wait_for()
    assert axe_violations() == []


@pytest.mark.parametrize("username", ["rose.carer", "rose.manager", "rose.auditor", "rose.admin"])
def test_home_page(sign_in, axe_violations, username):
    sign_in(username)
    assert axe_violations() == []


def test_register(sign_in, live_server, axe_violations):
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/people/?status=all")
    page.get_by_test_id("register").wait_for()
    assert axe_violations() == []


def test_register_with_errors(sign_in, live_server, axe_violations):
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/people/")
    box = page.get_by_label("Name or NHS number")
    box.evaluate("box => box.removeAttribute('maxlength')")  # as an older browser might send
    box.fill("x" * 101)
    page.get_by_role("button", name="Search").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "x" * 101 not in page.url
    assert axe_violations() == []


def test_person_page(sign_in, live_server, axe_violations):
    person = Person.objects.filter(service__name="Rose House", is_active=False).first()
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/people/{person.pk}/")
    assert axe_violations() == []


@pytest.mark.parametrize(
    ("username", "path"), [("rose.carer", "/nowhere/"), ("rose.admin", "/people/")]
)
def test_error_pages(sign_in, live_server, axe_violations, username, path):
    page = sign_in(username)
    page.goto(f"{live_server.url}{path}")
    assert axe_violations() == []


@pytest.mark.parametrize("params", ["", "?decided_from=2026-03-10&decided_to=2026-03-01"])
def test_decision_history(sign_in, live_server, axe_violations, params):
    from carehub.models import User
    from tests.factories import DecisionFactory

    person = Person.objects.filter(service__name="Rose House").first()
    DecisionFactory(request__person=person, decided_by=User.objects.get(username="rose.carer"))
    page = sign_in("rose.auditor")
    page.get_by_role("link", name="Decision history").click()
    page.goto(f"{live_server.url}/decisions/{params}")
    page.get_by_role("heading", level=1, name="Decision history").wait_for()
    assert axe_violations() == []


def test_chronology(sign_in, live_server, axe_violations):
    from tests.factories import ConsentRecordFactory

    person = Person.objects.filter(service__name="Rose House", is_active=True).first()
    ConsentRecordFactory(person=person)
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.get_by_role("link", name="in time order").click()
    page.get_by_test_id("chronology").wait_for()
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # JavaScript shows it
    assert axe_violations() == []


@pytest.mark.parametrize("params", ["", "?kind=events", "?date_from=2026-03-10&date_to=2026-03-01"])
def test_audit_trail(sign_in, live_server, axe_violations, params):
    person = Person.objects.filter(service__name="Rose House", is_active=True).first()
    person.preferred_name = "Peggy"
    person.save()
    page = sign_in("rose.auditor")
    page.get_by_role("link", name="Audit trail").click()  # from the auditor's home page
    page.goto(f"{live_server.url}/audit/{params}")
    page.get_by_role("heading", level=1, name="Audit trail").wait_for()
    assert axe_violations() == []
