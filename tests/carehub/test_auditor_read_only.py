"""Auditors read; they never change anything. Every URL in the project is sent every writing
method by an auditor: each is refused (403, 404 or 405), nothing in the database changes, and
each attempt is in the audit trail."""

import pytest
from auditlog.models import LogEntry
from django.apps import apps

from carehub.middleware import DENIED
from carehub.models import AuditEvent
from tests.carehub.test_access_matrix import EXPECTATIONS, url_for, world  # noqa: F401

WRITING_METHODS = ("post", "put", "patch", "delete")
# The exceptions, and why: signing in and out, the second step, confirming who they are,
# their own passkeys, hiding the screen and staying signed in are the auditor's own session;
# reporting a breach is open to every member of staff (policy: anyone who finds one must report
# it), and a report is a new record of the auditor's own, never a change to another. An empty
# POST to those pages is re-shown with its errors and saves nothing, which the sweep checks too.
OWN_ACTIONS = {
    "login",
    "logout",
    "hide_screen",
    "keep_alive",
    "two_step_verify",
    "two_step_setup",
    "confirm_identity",
    "sign_in_security",
    "passkey_registration_begin",
    "passkey_registration_complete",
    "passkey_authentication_begin",
    "passkey_authentication_complete",
    "breaches:report_start",
    "breaches:report_people",
    "breaches:report_check",
}
REFUSED = {403, 404, 405}
# The filter pages an auditor reads take their search as a POST, so that a name typed into it
# stays out of the address (carehub.searches): the POST is answered with a 303 to the page,
# kept in the auditor's own session, and changes nothing else. PUT, PATCH and DELETE are still
# refused and recorded there.
SEARCH_PAGES = {"person_list", "decisions:history", "audit_trail"}
SEARCH = {"q": "Margaret Clarke", "person": "Margaret Clarke"}


def _snapshot():
    """Row counts of every table the project writes, and of the change log (which records
    every update, so an edit in place shows up here even though counts elsewhere do not)."""
    models = [
        model
        for app in ("carehub", "consent", "decisions", "breaches")
        for model in apps.get_app_config(app).get_models()
        if model is not AuditEvent
    ]
    return {model._meta.label: model.objects.count() for model in [*models, LogEntry]}


@pytest.mark.parametrize("name", list(EXPECTATIONS))
def test_an_auditor_changes_nothing_anywhere(client, world, name):  # noqa: F811
    users, args = world
    auditor = users["auditor_a"]
    arg_key, _ = EXPECTATIONS[name]
    url = url_for(name, args[arg_key] if arg_key else None)
    client.force_login(auditor)
    before = _snapshot()

    for method in WRITING_METHODS:
        if name in SEARCH_PAGES and method == "post":
            response = client.post(url, SEARCH)
            assert response.status_code == 303, f"POST {url}"
            assert "Clarke" not in response["Location"]
            assert not AuditEvent.objects.filter(action=DENIED, data__path=url).exists()
            continue
        response = getattr(client, method)(url, {})
        if name in OWN_ACTIONS:
            assert response.status_code < 500, f"{method.upper()} {url}"
            client.force_login(auditor)  # after signing out
            continue
        assert response.status_code in REFUSED, f"{method.upper()} {url}"
        assert AuditEvent.objects.filter(
            action=DENIED,
            actor=auditor,
            data__method=method.upper(),
            data__path=url,
            data__status=response.status_code,
        ).exists(), f"{method.upper()} {url} refused but not recorded"

    assert _snapshot() == before
