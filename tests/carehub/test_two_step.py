"""Two-step sign-in: who must use it, setting it up, codes and backup codes, no way round it,
asking again before downloads, and an administrator's reset."""

import base64
import re
import time

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from carehub import mfa
from carehub.models import AuditEvent, Role
from tests.factories import PASSWORD, DecisionFactory


def code_for(device: TOTPDevice, *, steps_ahead=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def sign_in(client, user, next_url=None):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def set_up(client):
    """Set up an app through the pages; returns the backup codes shown."""
    page = client.get(reverse("two_step_setup"))
    key = re.search(r'data-testid="totp-key">([A-Z2-7 ]+)<', page.content.decode()).group(1)
    code = f"{TOTP(base64.b32decode(key.replace(' ', ''))).token():06d}"
    response = client.post(reverse("two_step_setup"), {"code": code})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())


SET_UP = "two_step_setup"  # where someone who must use the second step, with none yet, goes


@pytest.mark.parametrize("role", [Role.REGISTERED_MANAGER, Role.AUDITOR, Role.ADMIN])
def test_managers_auditors_and_admins_always_need_it(make_user, service_a, role):
    service_a.care_staff_use_two_step = False
    service_a.save()
    assert mfa.next_step(make_user(role, service_a)) == SET_UP


def test_care_staff_need_it_where_their_service_says_so(make_user, service_a, service_b):
    service_b.care_staff_use_two_step = False
    service_b.save()
    assert mfa.next_step(make_user(Role.CARE_STAFF, service_a)) == SET_UP
    assert mfa.next_step(make_user(Role.CARE_STAFF, service_b)) is None
    assert mfa.next_step(make_user(Role.CARE_STAFF, service_a, service_b)) == SET_UP


def test_setting_it_up_then_signing_in_with_a_code(make_user, service_a):
    manager = make_user(Role.REGISTERED_MANAGER, service_a)
    client = Client()
    response = sign_in(client, manager)
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_step_setup"))

    assert client.get(reverse("two_step_qr")).status_code == 404  # nothing started yet
    assert "Set up two-step sign-in" in client.get(reverse("two_step_setup")).content.decode()
    qr = client.get(reverse("two_step_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    wrong = client.post(reverse("two_step_setup"), {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=manager, confirmed=True).exists()
    # Right at once after a wrong one: refused too, until the wait is over.
    device = TOTPDevice.objects.get(user=manager)
    hurried = client.post(reverse("two_step_setup"), {"code": code_for(device)})
    assert mfa.WAIT_MESSAGE in hurried.content.decode()
    device.throttle_reset()  # as if the wait were over

    backup_codes = set_up(client)
    assert len(set(backup_codes)) == 10
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="carehub.two_step.set_up", actor=manager).exists()

    # Next time: the password, then a code.
    client.post(reverse("logout"))
    response = sign_in(client, manager, next_url=reverse("person_list"))
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("two_step_verify"))
    page = client.post(reverse("two_step_verify") + "?next=/people/", {"code": "123456"})
    assert "That code is not right" in page.content.decode()
    device = TOTPDevice.objects.get(user=manager, confirmed=True)
    device.throttle_reset()  # as if a minute had passed
    # (The code used to set up cannot be used again: the next 30-second step's can.)
    response = client.post(
        reverse("two_step_verify"),
        {"code": code_for(device, steps_ahead=1), "next": reverse("person_list")},
    )
    assert response["Location"] == reverse("person_list")
    assert client.get(reverse("person_list")).status_code == 200


def test_a_backup_code_works_once(make_user, service_a):
    manager = make_user(Role.REGISTERED_MANAGER, service_a)
    client = Client()
    sign_in(client, manager)
    first, *_ = set_up(client)
    client.post(reverse("logout"))

    sign_in(client, manager)
    assert client.post(reverse("two_step_verify"), {"code": first})["Location"] == "/"
    event = AuditEvent.objects.get(action="carehub.two_step.backup_code_used")
    assert event.data == {"left": 9}
    client.post(reverse("logout"))

    sign_in(client, manager)
    again = client.post(reverse("two_step_verify"), {"code": first})
    assert again.status_code == 200 and "That code is not right" in again.content.decode()


def test_there_is_no_way_round_the_second_step(make_user, service_a, person_a):
    carer = make_user(Role.CARE_STAFF, service_a)
    TOTPDevice.objects.create(user=carer, name="App", confirmed=True)
    client = Client()
    sign_in(client, carer)
    for url in (
        reverse("home"),
        reverse("person_detail", args=[person_a.pk]),
        reverse("decisions:request_new", args=[person_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_step_verify")), url
    # Set up already: the set-up page is no way to start again.
    response = client.get(reverse("two_step_setup"), follow=True)
    assert response.request["PATH_INFO"] == reverse("two_step_verify")
    before = LogEntry.objects.count()
    response = client.post(reverse("decisions:request_new", args=[person_a.pk]), {})
    assert response["Location"].startswith(reverse("two_step_verify"))
    assert LogEntry.objects.count() == before
    assert not AuditEvent.objects.filter(action="carehub.person.viewed").exists()


def test_a_user_with_no_second_step_signs_in_with_a_password(make_user, service_a):
    service_a.care_staff_use_two_step = False
    service_a.save()
    client = Client()
    sign_in(client, make_user(Role.CARE_STAFF, service_a))
    assert client.get(reverse("home")).status_code == 200


def test_downloads_ask_again_after_a_while(client, make_user, service_a, person_a, settings):
    settings.REAUTHENTICATE_AFTER_SECONDS = 600
    auditor = make_user(Role.AUDITOR, service_a)
    DecisionFactory(request__person=person_a)
    client.force_login(auditor)
    export = reverse("decisions:history_export", args=["csv"]) + "?final=share"
    assert client.get(export).status_code == 200  # just signed in

    session = client.session
    session[mfa.AUTHENTICATED_AT] = int(time.time()) - 601
    session.save()
    for url in (
        export,
        reverse("audit_trail_export", args=["jsonl"]),
        reverse("breaches:register_csv"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("confirm_identity")), url
    assert (
        not AuditEvent.objects.filter(action__endswith=".exported").exclude(data__rows=1).exists()
    )

    confirm = reverse("confirm_identity")
    device = TOTPDevice.objects.get(user=auditor)
    bad = client.post(confirm, {"password": "wrong", "code": code_for(device), "next": export})
    assert "That password is not right" in bad.content.decode()
    bad = client.post(confirm, {"password": PASSWORD, "code": "000000", "next": export})
    assert "That code is not right" in bad.content.decode()
    device.throttle_reset()  # as if a minute had passed
    ok = client.post(
        confirm, {"password": PASSWORD, "code": code_for(device, steps_ahead=1), "next": export}
    )
    assert ok["Location"] == export
    assert client.get(export).status_code == 200
    assert AuditEvent.objects.filter(action="carehub.identity.confirmed", actor=auditor).exists()


def test_confirming_never_sends_anyone_to_another_site(client, carer_a):
    client.force_login(carer_a)
    device = TOTPDevice.objects.get(user=carer_a)
    response = client.post(
        reverse("confirm_identity"),
        {"password": PASSWORD, "code": code_for(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_care_staff_are_refused_a_download_before_being_asked_who_they_are(client, carer_a):
    client.force_login(carer_a)
    session = client.session
    del session[mfa.AUTHENTICATED_AT]
    session.save()
    assert client.get(reverse("decisions:history_export", args=["csv"])).status_code == 403


def test_an_administrators_reset_is_audited_and_the_user_sets_up_again(
    client, make_user, service_a
):
    admin = make_user(Role.ADMIN, service_a)
    carer = make_user(Role.CARE_STAFF, service_a)
    carer_client = Client()
    sign_in(carer_client, carer)
    set_up(carer_client)
    assert carer_client.get(reverse("home")).status_code == 200

    client.force_login(admin)
    response = client.post(
        reverse("admin:carehub_user_changelist"),
        {"action": "reset_two_step", "_selected_action": [carer.pk]},
        follow=True,
    )
    assert "Two-step sign-in reset for 1 account" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=carer).exists()
    assert not StaticDevice.objects.filter(user=carer).exists()
    event = AuditEvent.objects.get(action="carehub.two_step.reset")
    assert (event.actor, event.data) == (admin, {"user": carer.username})
    # The carer's open session is no longer past the second step.
    assert carer_client.get(reverse("home"))["Location"].startswith(reverse("two_step_setup"))


def test_secrets_and_backup_codes_never_reach_the_change_log(make_user, service_a):
    manager = make_user(Role.REGISTERED_MANAGER, service_a)
    client = Client()
    sign_in(client, manager)
    codes = set_up(client)
    device = TOTPDevice.objects.get(user=manager)
    logged = " ".join(str(entry.changes) for entry in LogEntry.objects.all())
    assert device.key not in logged
    assert not any(code in logged for code in codes)


def test_a_code_typed_beside_a_wrong_password_is_never_stored(client, carer_a):
    from axes.models import AccessAttempt

    client.force_login(carer_a)
    device = TOTPDevice.objects.get(user=carer_a)
    backup = mfa.new_backup_codes(carer_a)[0]
    client.post(reverse("confirm_identity"), {"password": "wrong", "code": backup})
    client.post(reverse("confirm_identity"), {"password": "wrong", "code": code_for(device)})
    stored = " ".join(attempt.post_data for attempt in AccessAttempt.objects.all())
    assert AccessAttempt.objects.exists()
    assert backup not in stored and code_for(device) not in stored and "wrong" not in stored


def test_a_deadlock_is_an_error_not_a_lost_database(rf, db):
    import psycopg
    from django.db import OperationalError

    from carehub.middleware import DatabaseUnavailableMiddleware

    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    for cause in (psycopg.errors.DeadlockDetected(), psycopg.errors.QueryCanceled()):
        error = OperationalError("deadlock or timeout")
        error.__cause__ = cause
        assert middleware.process_exception(rf.get("/"), error) is None
    lost = OperationalError("terminating connection")
    lost.__cause__ = psycopg.errors.AdminShutdown()
    assert middleware.process_exception(rf.get("/"), lost).status_code == 503


@pytest.mark.django_db(transaction=True)
def test_one_backup_code_sent_twice_at_once_is_accepted_once(make_user, service_a):
    """Two requests race with the same backup code: the first holds the device until it
    commits, the second waits and then finds the code used."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    from tests.concurrency import race

    manager = make_user(Role.REGISTERED_MANAGER, service_a)
    code = mfa.new_backup_codes(manager)[0]

    def verify():
        request = RequestFactory().post("/sign-in/code/")
        request.user, request.session = manager, SessionStore()
        return mfa.verify(request, code)

    result = race(verify, verify)
    assert result.second_waited, "the second request never waited for the first"
    assert (result.first, result.second) == (True, False)


def test_changes_to_the_sign_in_are_emailed_to_the_user(
    make_user, service_a, mailoutbox, django_capture_on_commit_callbacks
):
    """Someone who set up the second step with a stolen password, or used a backup code, is
    noticed by the account's owner. Nothing is sent before the change is saved."""
    manager = make_user(Role.REGISTERED_MANAGER, service_a, email="rose@example.org")
    admin = make_user(Role.ADMIN, service_a)
    client = Client()
    sign_in(client, manager)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        codes = set_up(client)
    assert mailoutbox == []  # not before the set-up is committed
    for callback in pending:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("logout"))
        sign_in(client, manager)
        client.post(reverse("two_step_verify"), {"code": codes[0]})
        mfa.reset(manager, by=admin)

    assert [message.to for message in mailoutbox] == [["rose@example.org"]] * 3
    bodies = [message.body for message in mailoutbox]
    assert "Two-step sign-in was set up" in bodies[0]
    assert "A backup code was used to sign in" in bodies[1]
    assert "reset by an administrator" in bodies[2]
    assert all("If this was not you" in body for body in bodies)
    assert not any(code in body for body in bodies for code in codes)


def test_no_address_no_email_and_a_mail_server_down_is_no_error(
    make_user, service_a, mailoutbox, django_capture_on_commit_callbacks, settings
):
    nobody = make_user(Role.REGISTERED_MANAGER, service_a, email="")
    with django_capture_on_commit_callbacks(execute=True):
        mfa.alert(nobody, "Something")
    assert mailoutbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    someone = make_user(Role.REGISTERED_MANAGER, service_a, email="x@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        mfa.alert(someone, "Something")  # logged, not raised


def test_whether_a_second_step_is_due_costs_one_query(
    make_user, service_a, django_assert_num_queries
):
    """It is asked on every request of someone who signs in with a password only."""
    service_a.care_staff_use_two_step = False
    service_a.save()
    carer = make_user(Role.CARE_STAFF, service_a)
    with django_assert_num_queries(1):
        assert mfa.next_step(carer) is None
    manager = make_user(Role.REGISTERED_MANAGER, service_a)
    with django_assert_num_queries(1):
        assert mfa.next_step(manager) == "two_step_setup"
