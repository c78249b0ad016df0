"""Each role signs in through the real form and sees exactly what it should."""

import re

import pytest
from playwright.sync_api import expect

from carehub.audit import PERSON_VIEWED
from carehub.models import AuditEvent, Person, User

HOME_SECTIONS = {"care_staff", "registered_manager", "auditor", "admin"}

ROLES = [
    # username, role section on the home page, role shown in the header, may open the register
    ("rose.carer", "care_staff", "Care staff, Rose House", True),
    ("rose.manager", "registered_manager", "Registered manager, Rose House", True),
    ("rose.auditor", "auditor", "Auditor, Rose House", True),
    ("rose.admin", "admin", "Administrator, Rose House", False),
]


@pytest.mark.parametrize(("username", "section", "header_role", "may_read"), ROLES)
def test_each_role_signs_in_and_sees_its_own_home(
    sign_in, live_server, username, section, header_role, may_read
):
    page = sign_in(username)

    header = page.get_by_test_id("header-user")
    full_name = User.objects.get(username=username).get_full_name()
    expect(header).to_contain_text(f"Signed in as {full_name}")
    expect(header.get_by_role("list", name="Your roles")).to_have_text(header_role)
    expect(page.locator(f'[data-role-section="{section}"]')).to_be_visible()
    for other in HOME_SECTIONS - {section}:
        expect(page.locator(f'[data-role-section="{other}"]')).to_have_count(0)

    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="People")).to_have_count(1 if may_read else 0)
    expect(nav.get_by_role("link", name="Administration")).to_have_count(0 if may_read else 1)

    page.goto(f"{live_server.url}/people/")
    if may_read:
        # Exactly Rose House's current people, and no service column (there is one service).
        rows = page.get_by_test_id("register").locator("tbody tr")
        expected = Person.objects.filter(service__name="Rose House", is_active=True).count()
        expect(rows).to_have_count(expected)
        expect(page.get_by_role("columnheader", name="Service")).to_have_count(0)
    else:
        expect(page.get_by_role("heading", level=1)).to_have_text("You cannot open this page")


def test_admin_reaches_administration_but_not_care_records(sign_in, live_server):
    page = sign_in("rose.admin")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Administration").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("link", name="Users")).to_be_visible()
    # The admin's own pages and scripts work under the Content Security Policy (checked for
    # every journey by the browser fixtures).
    page.get_by_role("link", name="Users").first.click()
    page.get_by_role("link", name="rose.carer").click()
    expect(page.get_by_role("heading", name="Change user")).to_be_visible()
    page.goto(f"{live_server.url}/admin/carehub/membership/add/")
    expect(page.get_by_role("heading", name="Add membership")).to_be_visible()

    rose_person = Person.objects.filter(service__name="Rose House").first()
    response = page.goto(f"{live_server.url}/people/{rose_person.pk}/")
    assert response.status == 404  # an administrator's view of care records is empty
    assert not AuditEvent.objects.filter(action=PERSON_VIEWED).exists()


def test_care_worker_finds_a_person_and_opens_their_page(sign_in, live_server):
    person = Person.objects.filter(service__name="Rose House", is_active=True).order_by("pk")[0]
    page = sign_in("rose.carer")

    page.get_by_role("link", name="Find a person").click()
    page.get_by_label("Name or NHS number").fill(person.family_name)
    page.get_by_role("button", name="Search").click()

    register = page.get_by_test_id("register")
    expect(register).to_contain_text(person.family_name)
    # The search is kept out of the address (and so out of logs, history and Referer headers),
    # while the box still shows it.
    expect(page).to_have_url(re.compile(r"/people/\?(status=active&)?s=[A-Za-z0-9_-]{20,}$"))
    assert person.family_name.lower() not in page.url.lower()
    expect(page.get_by_label("Name or NHS number")).to_have_value(person.family_name)
    page.reload()
    expect(register).to_contain_text(person.family_name)  # the same search, from its token
    assert person.family_name.lower() not in page.url.lower()
    register.get_by_role("link", name=f"{person.family_name}, {person.given_name}").first.click()

    expect(page).to_have_url(re.compile(r"/people/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(f"{person.given_name}.*{person.family_name}")
    )
    expect(page.get_by_test_id("person-details")).to_contain_text("Rose House")

    opened = Person.objects.get(pk=page.url.rstrip("/").rsplit("/", 1)[1])
    event = AuditEvent.objects.get(action=PERSON_VIEWED)
    assert (event.actor.username, event.person_id) == ("rose.carer", opened.pk)


def test_care_worker_cannot_open_another_services_person(sign_in, live_server):
    oak_person = Person.objects.filter(service__name="Oak Lodge").first()
    page = sign_in("rose.carer")

    response = page.goto(f"{live_server.url}/people/{oak_person.pk}/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("body")).not_to_contain_text(oak_person.family_name)
    assert not AuditEvent.objects.filter(action=PERSON_VIEWED).exists()


def test_wrong_password_shows_an_error_summary_and_signs_nobody_in(page, live_server, demo_logins):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("rose.carer")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend's JavaScript moves focus to the summary
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_test_id("header-user")).to_have_count(0)


def test_sign_out_ends_the_session(sign_in, live_server):
    page = sign_in("rose.carer")
    person = Person.objects.filter(service__name="Rose House").first()
    page.goto(f"{live_server.url}/people/{person.pk}/")
    expect(page.get_by_role("heading", name=person.full_name)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/$"))  # signed out before going back

    # Back does not bring the person's page onto the screen again: it was never stored.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    expect(page.get_by_text(person.full_name)).to_have_count(0)

    page.goto(f"{live_server.url}/people/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/people/$"))
