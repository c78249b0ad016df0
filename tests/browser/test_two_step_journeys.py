"""Setting up two-step sign-in in the browser, and confirming who one is before a download."""

import base64
import re

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from carehub.models import User


def test_a_manager_sets_up_an_authenticator_app(page, live_server, demo_logins, axe_violations):
    manager = User.objects.get(username="rose.manager")
    TOTPDevice.objects.filter(user=manager).delete()  # as after an administrator's reset

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("rose.manager")
    page.get_by_label("Password").fill(demo_logins["rose.manager"]["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    qr = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr).to_be_visible()
    page.wait_for_load_state("load")  # images included
    assert qr.evaluate("img => img.naturalWidth") > 0  # the SVG loaded under the CSP
    assert axe_violations() == []

    page.goto(f"{live_server.url}/people/")  # no way round it
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()

    key = page.get_by_test_id("totp-key").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(f"{TOTP(base64.b32decode(key)).token():06d}")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", name="Two-step sign-in is on")).to_be_visible()
    expect(page.get_by_test_id("backup-codes").locator("li")).to_have_count(10)
    assert axe_violations() == []
    page.get_by_role("link", name=re.compile("I have kept my backup codes")).click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()


def test_an_auditor_confirms_who_they_are_before_a_download(
    sign_in, live_server, demo_logins, settings, axe_violations
):
    settings.REAUTHENTICATE_AFTER_SECONDS = 0  # every download asks
    page = sign_in("rose.auditor")
    page.goto(f"{live_server.url}/decisions/")
    page.get_by_role("link", name="CSV (spreadsheet)").click()
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert axe_violations() == []

    page.get_by_label("Password").fill("not the password")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("That password is not right")

    settings.REAUTHENTICATE_AFTER_SECONDS = 600
    secret = demo_logins["rose.auditor"]["totp_secret"]
    totp = TOTP(base64.b32decode(secret))
    totp.time = (totp.t() + 1) * totp.step + 1  # the sign-in used this step's code
    page.get_by_label("Password").fill(demo_logins["rose.auditor"]["password"])
    page.get_by_label("Code").fill(f"{totp.token():06d}")
    with page.expect_download() as download:
        page.get_by_role("button", name="Continue").click()
    assert download.value.suggested_filename.endswith(".csv")
