"""Passkeys and security keys: who may add one and when, using one as the second step, removing
one, and the administrator's reset. (The whole WebAuthn ceremony, with real signatures, runs in
Chromium's virtual authenticator: tests/browser/test_passkey_journeys.py.)"""

import json
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from carehub import mfa, passkeys
from carehub.models import AuditEvent, Role
from tests.factories import PASSWORD


def passkey_for(user, credential_id=b"key-1"):
    return WebAuthnCredential.objects.create(
        user=user, credential_id=credential_id, public_key=b"not a real key", sign_count=0
    )


def post_json(client, name, data=None):
    return client.post(reverse(name), json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def manager(make_user, service_a):
    return make_user(Role.REGISTERED_MANAGER, service_a)


def test_adding_a_passkey_starts_a_ceremony_for_this_site(client, manager):
    client.force_login(manager)
    response = post_json(client, "passkey_registration_begin")
    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"name": "CareHub", "id": "localhost"}
    assert options["user"]["name"] == manager.username
    assert options["challenge"]
    assert "otp_webauthn_register_state" in client.session


def test_adding_a_passkey_needs_the_identity_proved_recently(client, manager):
    client.force_login(manager)
    session = client.session
    session[mfa.AUTHENTICATED_AT] = int(time.time()) - 3600
    session.save()
    response = post_json(client, "passkey_registration_begin")
    assert response.status_code == 403
    assert response.json()["code"] == "confirm_again"
    assert "otp_webauthn_register_state" not in client.session
    # and the page itself asks first
    page = client.get(reverse("sign_in_security"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("confirm_identity"))


def test_a_passkey_comes_after_the_app(make_user, service_a):
    """Someone who signs in with a password only (their service does not ask for a second
    step) sets up the app first: the app's backup codes are what a lost key falls back on."""
    service_a.care_staff_use_two_step = False
    service_a.save()
    carer = make_user(Role.CARE_STAFF, service_a)
    client = Client()
    client.post(reverse("login"), {"username": carer.username, "password": PASSWORD})
    session = client.session
    session[mfa.AUTHENTICATED_AT] = int(time.time())
    session.save()
    response = post_json(client, "passkey_registration_begin")
    assert response.status_code == 403
    assert response.json()["code"] == "app_first"
    page = client.get(reverse("sign_in_security"))
    assert "set up an authenticator app" in page.content.decode()
    assert "passkey-register-button" not in page.content.decode()


def test_nobody_signed_out_can_start_either_ceremony(db):
    client = Client()
    for name in ("passkey_registration_begin", "passkey_authentication_begin"):
        response = post_json(client, name)
        assert response.status_code == 403, name
    assert not client.session.keys() & {
        "otp_webauthn_register_state",
        "otp_webauthn_authentication_state",
    }


def test_before_the_second_step_a_passkey_can_be_used_but_not_added(manager):
    mfa.start_app_setup(manager)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=manager).update(confirmed=True)
    passkey_for(manager)
    client = Client()
    client.post(reverse("login"), {"username": manager.username, "password": PASSWORD})

    page = client.get(reverse("two_step_verify"))
    content = page.content.decode()
    assert 'id="otp_webauthn_config"' in content
    assert "passkey-verification-button" in content
    assert reverse("passkey_translations") in content

    begin = post_json(client, "passkey_authentication_begin")
    assert begin.status_code == 200
    allowed = begin.json()["allowCredentials"]
    assert [entry["id"] for entry in allowed] == ["a2V5LTE"]  # base64url of b"key-1"

    refused = post_json(client, "passkey_registration_begin")
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("two_step_verify"))


def test_a_refused_passkey_says_so_plainly_and_is_recorded(client, manager):
    client.force_login(manager)
    passkey_for(manager)
    assert post_json(client, "passkey_authentication_begin").status_code == 200
    response = post_json(
        client,
        "passkey_authentication_complete",
        {"id": "a2V5LTE", "rawId": "a2V5LTE", "type": "public-key", "response": {}},
    )
    assert response.status_code >= 400
    assert response.json()["detail"] == passkeys.REFUSED
    failed = AuditEvent.objects.get(action="carehub.two_step.failed")
    assert failed.actor == manager
    assert failed.data == {"method": "passkey"}
    assert not AuditEvent.objects.filter(action="carehub.two_step.passkey_used").exists()
    # the challenge was used up: it cannot be tried again
    assert "otp_webauthn_authentication_state" not in client.session


def test_a_passkey_without_a_ceremony_started_is_refused(client, manager):
    client.force_login(manager)
    response = post_json(client, "passkey_authentication_complete", {"id": "x"})
    assert response.status_code >= 400
    assert response.json()["detail"] == passkeys.REFUSED


def test_users_remove_their_own_passkeys_only(client, manager, make_user, service_a):
    other = make_user(Role.REGISTERED_MANAGER, service_a)
    mine = passkey_for(manager)
    theirs = passkey_for(other, b"key-2")
    client.force_login(manager)

    page = client.get(reverse("sign_in_security"))
    assert page.content.decode().count('data-testid="passkey"') == 1

    response = client.post(reverse("sign_in_security"), {"remove": theirs.pk}, follow=True)
    assert "already been removed" in response.content.decode()
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()

    response = client.post(reverse("sign_in_security"), {"remove": mine.pk}, follow=True)
    assert "The passkey has been removed." in response.content.decode()
    assert not WebAuthnCredential.objects.filter(pk=mine.pk).exists()
    removed = AuditEvent.objects.get(action="carehub.two_step.passkey_removed")
    assert removed.actor == manager


@pytest.mark.parametrize("value", ["", "abc", "9" * 40, "²", "-1", "1 OR 1=1"])
def test_a_hand_made_passkey_id_removes_nothing(client, manager, value):
    passkey_for(manager)
    client.force_login(manager)
    response = client.post(reverse("sign_in_security"), {"remove": value})
    assert response.status_code == 302
    assert WebAuthnCredential.objects.filter(user=manager).count() == 1


def test_a_passkey_alone_means_a_second_step_is_needed(make_user, service_a):
    carer = make_user(Role.CARE_STAFF, service_a)
    service_a.care_staff_use_two_step = False
    service_a.save()
    assert mfa.next_step(carer) is None
    passkey_for(carer)
    assert mfa.next_step(carer) == "two_step_verify"


def test_an_administrators_reset_removes_passkeys_too(manager, make_user, service_a):
    admin = make_user(Role.ADMIN, service_a)
    passkey_for(manager)
    mfa.start_app_setup(manager)
    mfa.reset(manager, by=admin)
    assert not WebAuthnCredential.objects.filter(user=manager).exists()


def test_wrong_codes_are_recorded_without_the_code(manager):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=manager, name="app", confirmed=True)
    client = Client()
    client.post(reverse("login"), {"username": manager.username, "password": PASSWORD})
    client.post(reverse("two_step_verify"), {"code": "123456"})
    client.post(reverse("two_step_verify"), {"code": "not-a-backup-code"})
    failed = AuditEvent.objects.filter(action="carehub.two_step.failed", actor=manager)
    assert sorted(event.data["method"] for event in failed) == ["app", "backup code"]
    assert "123456" not in json.dumps([event.data for event in failed])


def test_removing_a_passkey_is_emailed_to_the_user(
    client, make_user, service_a, mailoutbox, django_capture_on_commit_callbacks
):
    manager = make_user(Role.REGISTERED_MANAGER, service_a, email="rose@example.org")
    mine = passkey_for(manager)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sign_in_security"), {"remove": mine.pk})
    assert len(mailoutbox) == 1
    assert "A passkey or security key was removed" in mailoutbox[0].body


def test_confirming_with_a_passkey_asks_the_key_to_check_its_owner(client, manager):
    """Before a download a passkey replaces the password and code, so it must be two factors on
    its own: user verification (PIN, fingerprint or face) is required, not just presence."""
    client.force_login(manager)
    passkey_for(manager)
    page = client.get(reverse("confirm_identity"))
    config = page.context["passkey_config"]
    assert config["beginAuthenticationUrl"].endswith("?purpose=confirm")
    assert "passkey-verification-button" in page.content.decode()

    confirming = client.post(
        config["beginAuthenticationUrl"], "{}", content_type="application/json"
    )
    assert confirming.json()["userVerification"] == "required"
    assert client.session["otp_webauthn_authentication_state"]["require_user_verification"]

    second_step = post_json(client, "passkey_authentication_begin")
    assert second_step.json()["userVerification"] == "discouraged"
    assert not client.session["otp_webauthn_authentication_state"]["require_user_verification"]


def test_without_a_passkey_the_confirm_page_asks_for_the_password_and_code(client, manager):
    client.force_login(manager)
    page = client.get(reverse("confirm_identity"))
    assert page.context["passkey_config"] is None
    assert "otp_webauthn_config" not in page.content.decode()


def test_a_key_already_held_is_refused_plainly(client, manager, monkeypatch):
    """A registration whose credential id CareHub already holds (the same key again, or a
    crafted response reusing another's id) is refused with a message, not a server error."""
    from django_otp_webauthn.helpers import WebAuthnHelper

    theirs = passkey_for(manager, b"already-here")

    def register_complete(self, user, state, data):
        # WebAuthn's checks passed (signatures are tested in the browser journeys); the
        # credential then saved is one CareHub already has.
        duplicate = WebAuthnCredential(
            user=user, credential_id=theirs.credential_id, public_key=b"x"
        )
        duplicate.save()
        return duplicate

    monkeypatch.setattr(WebAuthnHelper, "register_complete", register_complete)
    client.force_login(manager)
    assert post_json(client, "passkey_registration_begin").status_code == 200
    response = post_json(client, "passkey_registration_complete", {"id": "x"})
    assert response.status_code == 409
    assert response.json()["detail"] == passkeys.ALREADY_ADDED
    assert WebAuthnCredential.objects.filter(user=manager).count() == 1
    assert not AuditEvent.objects.filter(action="carehub.two_step.passkey_added").exists()


def test_with_a_passkey_but_no_app_the_password_alone_sets_up_nothing(manager):
    passkey_for(manager)
    client = Client()
    client.post(reverse("login"), {"username": manager.username, "password": PASSWORD})
    page = client.get(reverse("two_step_verify"))
    assert page.status_code == 200
    assert "passkey-verification-button" in page.content.decode()
    setup = client.get(reverse("two_step_setup"))
    assert setup.status_code == 302
    assert setup["Location"].startswith(reverse("two_step_verify"))
    assert not mfa.app_device(manager, confirmed=False)
