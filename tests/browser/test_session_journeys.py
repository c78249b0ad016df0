"""An unattended screen does not keep people's records on it: "Hide screen" blanks it at once,
and an idle page warns, can be kept, and otherwise hides itself."""

import re

from playwright.sync_api import expect

from carehub.models import Person


def open_a_person(page, live_server):
    person = Person.objects.filter(service__name="Rose House").first()
    page.goto(f"{live_server.url}/people/{person.pk}/")
    expect(page.get_by_role("heading", name=person.full_name)).to_be_visible()
    return person


def test_hide_screen_blanks_the_page_and_needs_a_new_sign_in(sign_in, live_server):
    page = sign_in("rose.carer")
    person = open_a_person(page, live_server)
    page.get_by_role("button", name="Hide screen").click()
    expect(page).to_have_url(re.compile(r"/sign-in/$"))
    expect(page.get_by_text("Screen hidden")).to_be_visible()
    expect(page.get_by_text(person.full_name)).to_have_count(0)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    expect(page.get_by_text(person.full_name)).to_have_count(0)


def test_an_idle_page_warns_can_be_kept_and_otherwise_hides_itself(
    sign_in, live_server, settings, axe_violations
):
    settings.SESSION_IDLE_SECONDS = 6
    settings.SESSION_IDLE_WARNING_SECONDS = 4
    page = sign_in("rose.carer")
    person = open_a_person(page, live_server)
    warning = page.get_by_role("alert").filter(has_text="You are about to be signed out")
    expect(warning).to_be_hidden()

    expect(warning).to_be_visible(timeout=5_000)  # 2 seconds in
    assert axe_violations() == []
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()

    # Left alone: warned again, then hidden and signed out.
    expect(warning).to_be_visible(timeout=5_000)
    expect(page).to_have_url(re.compile(r"/sign-in/$"), timeout=8_000)
    expect(page.get_by_text(person.full_name)).to_have_count(0)
    page.goto(f"{live_server.url}/people/{person.pk}/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next="))


def test_staying_signed_in_after_the_server_has_signed_out_shows_the_sign_in_page(
    sign_in, live_server, settings
):
    settings.SESSION_IDLE_SECONDS = 6
    settings.SESSION_IDLE_WARNING_SECONDS = 4
    page = sign_in("rose.carer")
    person = open_a_person(page, live_server)
    warning = page.get_by_role("alert").filter(has_text="You are about to be signed out")
    expect(warning).to_be_visible(timeout=5_000)
    settings.SESSION_IDLE_SECONDS = 1  # the server's limit has passed (its clock runs apart)
    page.get_by_role("button", name="Stay signed in").click()
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    expect(page.get_by_text(person.full_name)).to_have_count(0)


def test_tabs_share_activity_and_hiding_the_screen(sign_in, live_server, settings):
    """Staying signed in from one tab keeps the others; hiding the screen in one hides all."""
    settings.SESSION_IDLE_SECONDS = 6
    settings.SESSION_IDLE_WARNING_SECONDS = 4
    first = sign_in("rose.carer")
    person = open_a_person(first, live_server)
    second = first.context.new_page()
    open_a_person(second, live_server)

    def warning(page):
        return page.get_by_role("alert").filter(has_text="You are about to be signed out")

    expect(warning(second)).to_be_visible(timeout=5_000)
    first.get_by_role("button", name="Stay signed in").click()
    expect(warning(second)).to_be_hidden(timeout=2_000)  # kept from the other tab
    expect(warning(first)).to_be_hidden()
    expect(second.get_by_role("heading", name=person.full_name)).to_be_visible()

    first.get_by_role("button", name="Hide screen").click()
    expect(second).to_have_url(re.compile(r"/sign-in/"), timeout=5_000)
    expect(second.get_by_text(person.full_name)).to_have_count(0)


def test_signing_out_in_one_tab_hides_the_others(sign_in, live_server):
    first = sign_in("rose.carer")
    person = open_a_person(first, live_server)
    second = first.context.new_page()
    open_a_person(second, live_server)
    first.get_by_role("button", name="Sign out").click()
    expect(second).to_have_url(re.compile(r"/sign-in/"), timeout=5_000)
    expect(second.get_by_text(person.full_name)).to_have_count(0)
