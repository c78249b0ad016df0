"""Passkeys and security keys in a real browser: Chromium's virtual authenticator (through
its debugging protocol) stands in for the key, and signs real WebAuthn challenges."""

import re

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from carehub.models import AuditEvent, User


@pytest.fixture
def authenticator(page, live_server, settings):
    """A platform authenticator (like a laptop's fingerprint reader) that says yes at once;
    the live server's address is where passkeys are accepted from."""
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    added = session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    yield session, added["authenticatorId"]
    session.send("WebAuthn.disable")


def test_a_manager_adds_a_passkey_then_signs_in_with_it(
    sign_in, authenticator, live_server, demo_logins, axe_violations
):
    page = sign_in("rose.manager")
    page.get_by_role("link", name="Sign-in security").click()
    expect(page.get_by_role("heading", name="Sign-in security")).to_be_visible()
    expect(page.get_by_text("You have not added one.")).to_be_visible()
    assert axe_violations() == []

    page.get_by_role("button", name="Add a passkey or security key").click()
    expect(page.get_by_test_id("passkey")).to_have_count(1)  # the page reloaded with it
    manager = User.objects.get(username="rose.manager")
    assert WebAuthnCredential.objects.filter(user=manager).count() == 1
    assert AuditEvent.objects.filter(action="carehub.two_step.passkey_added").count() == 1
    assert axe_violations() == []

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/sign-in/"))
    page.goto(f"{live_server.url}/people/")
    page.get_by_label("Username").fill("rose.manager")
    page.get_by_label("Password").fill(demo_logins["rose.manager"]["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert axe_violations() == []
    page.get_by_role("button", name="Use a passkey or security key").click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()  # where they were going
    used = AuditEvent.objects.filter(action="carehub.two_step.passkey_used")
    assert [event.actor.username for event in used] == ["rose.manager"]

    # And removes it again: the next sign-in asks for the app's code only.
    page.get_by_role("link", name="Sign-in security").click()
    page.get_by_role("button", name=re.compile("Remove")).click()
    expect(page.get_by_text("The passkey has been removed.")).to_be_visible()
    assert not WebAuthnCredential.objects.filter(user=manager).exists()


def test_a_copied_passkey_is_refused_and_the_code_still_works(
    sign_in, authenticator, live_server, demo_logins
):
    page = sign_in("rose.manager")
    page.get_by_role("link", name="Sign-in security").click()
    page.get_by_role("button", name="Add a passkey or security key").click()
    expect(page.get_by_test_id("passkey")).to_have_count(1)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/sign-in/"))

    # CareHub has seen this key count further than the key in hand now says: a copy of the
    # key has been used elsewhere (WebAuthn's signature counter).
    WebAuthnCredential.objects.filter(user__username="rose.manager").update(sign_count=1000)
    page.get_by_label("Username").fill("rose.manager")
    page.get_by_label("Password").fill(demo_logins["rose.manager"]["password"])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Use a passkey or security key").click()
    expect(page.locator("#passkey-verification-status-message")).to_contain_text(
        "That passkey or security key could not be used"
    )
    expect(page).to_have_url(re.compile(r"/sign-in/code/"))
    manager = User.objects.get(username="rose.manager")
    assert AuditEvent.objects.filter(
        action="carehub.two_step.failed", actor=manager, data__method="passkey"
    ).exists()
    assert not AuditEvent.objects.filter(action="carehub.two_step.passkey_used").exists()

    page.goto(f"{live_server.url}/people/")  # still not signed in fully
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()


def test_a_passkey_confirms_who_one_is_before_a_download(
    sign_in, authenticator, live_server, settings, axe_violations
):
    page = sign_in("rose.auditor")
    page.get_by_role("link", name="Sign-in security").click()
    page.get_by_role("button", name="Add a passkey or security key").click()
    expect(page.get_by_test_id("passkey")).to_have_count(1)

    settings.REAUTHENTICATE_AFTER_SECONDS = 0  # the download asks at once
    page.goto(f"{live_server.url}/decisions/")
    page.get_by_role("link", name="CSV (spreadsheet)").click()
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert axe_violations() == []
    settings.REAUTHENTICATE_AFTER_SECONDS = 600
    with page.expect_download() as download:
        page.get_by_role("button", name="Use a passkey or security key").click()
    assert download.value.suggested_filename.startswith("decisions-")
    confirmed = AuditEvent.objects.get(action="carehub.identity.confirmed")
    assert (confirmed.actor.username, confirmed.data) == ("rose.auditor", {"method": "passkey"})


def test_a_key_that_cannot_check_its_owner_does_not_confirm_who_one_is(
    sign_in, authenticator, live_server, settings
):
    session, authenticator_id = authenticator
    page = sign_in("rose.auditor")
    page.get_by_role("link", name="Sign-in security").click()
    page.get_by_role("button", name="Add a passkey or security key").click()
    expect(page.get_by_test_id("passkey")).to_have_count(1)

    # Now the key is only present: nobody gives its PIN, fingerprint or face.
    session.send(
        "WebAuthn.setUserVerified", {"authenticatorId": authenticator_id, "isUserVerified": False}
    )
    settings.REAUTHENTICATE_AFTER_SECONDS = 0
    page.goto(f"{live_server.url}/decisions/")
    page.get_by_role("link", name="CSV (spreadsheet)").click()
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    page.get_by_role("button", name="Use a passkey or security key").click()
    expect(page.locator("#passkey-verification-status-message")).not_to_be_empty()
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert not AuditEvent.objects.filter(action="carehub.identity.confirmed").exists()
