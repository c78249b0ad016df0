"""Every URL in the project, requested by every role, against an explicit expectation.

The table must name every URL pattern: a new URL without an entry fails
``test_every_url_has_an_expectation``. Objects in URLs belong to service A; "carer_b" is care
staff in service B only. Statuses: 200 shown, 302 redirected (to sign in, for anonymous),
403 refused, 404 hidden (another service's record looks like no record), 405 wrong method.
"""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from breaches.models import (
    Action,
    Assessment,
    BreachReport,
    Closure,
    IcoSubmission,
    PeopleTold,
    StatusEvent,
)
from carehub.models import Membership, Role
from consent.models import (
    BestInterestsDecision,
    CapacityAssessment,
    ConsentRecord,
    ConsentWithdrawal,
    Representative,
    RepresentativeRevocation,
    RepresentativeVerification,
)
from decisions.models import (
    Addendum,
    Advice,
    Decision,
    PoliceNotification,
    SharingAgreement,
    SharingRequest,
    SignOff,
)
from tests.factories import (
    BestInterestsDecisionFactory,
    BreachReportFactory,
    ConsentRecordFactory,
    DecisionFactory,
    RepresentativeFactory,
    SharingAgreementFactory,
    SharingRequestFactory,
)

ROLES = ["anonymous", "carer_a", "carer_b", "manager_a", "auditor_a", "admin_a"]


def _all(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status, anonymous=302, **overrides):
    return {**_all(status), "anonymous": anonymous, **overrides}


RECORD_READERS = {"carer_a": 200, "carer_b": 404, "manager_a": 200, "auditor_a": 200}
ADMIN_ONLY = signed_in(403, admin_a=200)
# Another service's person, or a role that cannot see care records at all, is 404; a reader
# without the right to write is 403.
READ_RECORD = signed_in(404, **RECORD_READERS)
STAFF_WRITE = signed_in(404, carer_a=200, manager_a=200, auditor_a=403)
MANAGER_WRITE = signed_in(404, carer_a=403, manager_a=200, auditor_a=403)
# Agreements belong to a service, not a person: only managers write them, nobody else sees why.
AGREEMENT_WRITE = signed_in(403, manager_a=200)
BREACH_READERS = signed_in(403, manager_a=200, auditor_a=200)
# Members of the service without the role are told no (403); other services see nothing (404).
BREACH_REVIEW = signed_in(403, carer_b=404, manager_a=200)

# url name -> (how to build its arguments, expected status per role)
EXPECTATIONS = {
    "home": (None, signed_in(200)),
    "login": (None, signed_in(302, anonymous=200)),
    "logout": (None, _all(405)),  # GET is refused: signing out is a POST
    "hide_screen": (None, _all(405)),  # a POST too, and open to anyone: it only signs out
    "keep_alive": (None, signed_in(405)),  # the idle warning's POST
    # The second step of signing in (each signed-in user here has an app already).
    "two_step_verify": (None, signed_in(200)),
    "two_step_setup": (None, signed_in(302)),  # set up already: sent on
    "two_step_qr": (None, signed_in(404)),  # nothing being set up
    "confirm_identity": (None, signed_in(200)),
    # Each user's own passkeys; the WebAuthn ceremony's steps are POSTs (their own tests).
    "sign_in_security": (None, signed_in(200)),
    "passkey_registration_begin": (None, signed_in(405, anonymous=403)),
    "passkey_registration_complete": (None, signed_in(405, anonymous=403)),
    "passkey_authentication_begin": (None, signed_in(405, anonymous=403)),
    "passkey_authentication_complete": (None, signed_in(405, anonymous=403)),
    "passkey_translations": (None, _all(200)),  # the passkey script's messages
    "person_list": (None, signed_in(200, admin_a=403)),
    "person_detail": ("person", READ_RECORD),
    "person_chronology": ("person", READ_RECORD),
    "audit_trail": (None, signed_in(403, auditor_a=200)),
    "audit_trail_export": ("export_format", signed_in(403, auditor_a=200)),
    "consent:consent_new": ("person", STAFF_WRITE),
    "consent:image_consent_new": ("person", STAFF_WRITE),
    "consent:consent_detail": ("consent", READ_RECORD),
    "consent:consent_withdraw": ("consent", STAFF_WRITE),
    "consent:capacity_new": ("person", MANAGER_WRITE),
    "consent:capacity_detail": ("capacity", READ_RECORD),
    "consent:best_interests_new": ("person", MANAGER_WRITE),
    "consent:best_interests_detail": ("best_interests", READ_RECORD),
    "consent:representative_new": ("person", MANAGER_WRITE),
    "consent:representative_detail": ("representative", READ_RECORD),
    "consent:representative_verify": ("representative", MANAGER_WRITE),
    "consent:representative_end": ("representative", MANAGER_WRITE),
    "consent:review_list": (None, signed_in(403, manager_a=200)),
    "decisions:request_new": ("person", STAFF_WRITE),
    "decisions:my_requests": (None, signed_in(200, auditor_a=403, admin_a=403)),
    "decisions:request_detail": ("draft", READ_RECORD),
    "decisions:question": ("draft_question", STAFF_WRITE),
    "decisions:check": ("draft", STAFF_WRITE),
    "decisions:advice": ("advice_draft", STAFF_WRITE),
    "decisions:decide": ("draft", STAFF_WRITE),
    "decisions:queue": (None, signed_in(403, manager_a=200)),
    "decisions:history": (None, BREACH_READERS),
    "decisions:history_export": ("export_format", BREACH_READERS),
    "decisions:decision_detail": ("decision", READ_RECORD),
    "decisions:addendum_new": ("decision", STAFF_WRITE),
    "decisions:sign_off": ("decision", MANAGER_WRITE),
    "decisions:police": ("decision", STAFF_WRITE),
    "decisions:agreement_list": (None, signed_in(200, admin_a=403)),
    "breaches:report_start": (None, signed_in(200)),
    # Without page 1 in the session, the later pages send the reporter back to it.
    "breaches:report_people": (None, signed_in(302)),
    "breaches:report_check": (None, signed_in(302)),
    "breaches:mine": (None, signed_in(200)),
    "breaches:register": (None, BREACH_READERS),
    "breaches:register_csv": (None, BREACH_READERS),
    "breaches:confidential_reporters": (None, signed_in(403, admin_a=200)),
    # carer_a reported the breach: they follow it, but may not review it.
    "breaches:detail": (
        "breach",
        signed_in(403, carer_a=200, carer_b=404, manager_a=200, auditor_a=200),
    ),
    "breaches:submitted": ("breach", signed_in(404, carer_a=200)),
    "breaches:assess": ("breach", BREACH_REVIEW),
    "breaches:ico": ("breach", BREACH_REVIEW),
    "breaches:people_told": ("breach", BREACH_REVIEW),
    "breaches:action_new": ("breach", BREACH_REVIEW),
    "breaches:close": ("breach", BREACH_REVIEW),
    "decisions:agreement_new": (None, AGREEMENT_WRITE),
    "decisions:agreement_edit": ("agreement", AGREEMENT_WRITE),
    "admin:index": (None, ADMIN_ONLY),
    "admin:login": (None, signed_in(403, admin_a=302)),
    "admin:logout": (None, signed_in(403, admin_a=405)),
    "admin:password_change": (None, ADMIN_ONLY),
    "admin:password_change_done": (None, ADMIN_ONLY),
    "admin:autocomplete": (None, ADMIN_ONLY | {"admin_a": 403}),  # needs query parameters
    "admin:jsi18n": (None, ADMIN_ONLY),
    "admin:view_on_site": ("content_object", ADMIN_ONLY | {"admin_a": 404}),
    "admin:app_list": ("app_label", ADMIN_ONLY),
    "admin:carehub_service_changelist": (None, ADMIN_ONLY),
    "admin:carehub_service_add": (None, signed_in(403)),  # superusers only
    "admin:carehub_service_history": ("service", ADMIN_ONLY),
    "admin:carehub_service_delete": ("service", signed_in(403)),
    "admin:carehub_service_change": ("service", ADMIN_ONLY),
    "admin:carehub_membership_changelist": (None, ADMIN_ONLY),
    "admin:carehub_membership_add": (None, ADMIN_ONLY),
    "admin:carehub_membership_history": ("membership", ADMIN_ONLY),
    "admin:carehub_membership_delete": ("membership", ADMIN_ONLY),
    "admin:carehub_membership_change": ("membership", ADMIN_ONLY),
    "admin:carehub_user_changelist": (None, ADMIN_ONLY),
    "admin:carehub_user_add": (None, ADMIN_ONLY),
    "admin:carehub_user_history": ("user", ADMIN_ONLY),
    "admin:carehub_user_delete": ("user", signed_in(403)),
    "admin:carehub_user_change": ("user", ADMIN_ONLY),
    # ModelAdmin's unnamed redirect from <id>/ to <id>/change/
    "admin/carehub/service/<path:object_id>/": ("service", ADMIN_ONLY | {"admin_a": 302}),
    "admin/carehub/membership/<path:object_id>/": ("membership", ADMIN_ONLY | {"admin_a": 302}),
    "admin/carehub/user/<path:object_id>/": ("user", ADMIN_ONLY | {"admin_a": 302}),
    # AdminSite's catch-all: unknown admin pages are 404 for admins, refused for others
    "admin/(?P<url>.*)$": (None, ADMIN_ONLY | {"admin_a": 404}),
    "admin:auth_user_password_change": ("user", ADMIN_ONLY),
}


def url_names(resolver=None, namespace="", route=""):
    """Every URL pattern: its name, or for an unnamed pattern its full route."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_names(entry, inner, route + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield namespace + entry.name if entry.name else route + str(entry.pattern)


def url_for(key, args):
    if "/" in key:  # an unnamed pattern, keyed by route
        if "<path:object_id>" in key:
            return "/" + key.replace("<path:object_id>", str(args[0]))
        return "/" + key.replace("(?P<url>.*)$", "no-such-page/")
    return reverse(key, args=args)


def test_every_url_has_an_expectation():
    names = set(url_names())
    assert names - EXPECTATIONS.keys() == set(), "add these URLs to EXPECTATIONS"
    assert EXPECTATIONS.keys() - names == set(), "these URLs no longer exist"


@pytest.fixture
def world(make_user, service_a, service_b, person_a, person_b):
    users = {
        "carer_a": make_user(Role.CARE_STAFF, service_a),
        "carer_b": make_user(Role.CARE_STAFF, service_b),
        "manager_a": make_user(Role.REGISTERED_MANAGER, service_a),
        "auditor_a": make_user(Role.AUDITOR, service_a),
        "admin_a": make_user(Role.ADMIN, service_a),
    }
    target_user = users["carer_a"]
    bi = BestInterestsDecisionFactory(capacity_assessment__person=person_a)
    draft = SharingRequestFactory(person=person_a, answers={"legitimate_purpose": False})
    advice_draft = SharingRequestFactory(
        person=person_a,
        route="safeguarding",
        answers={
            "enquiry_or_investigation": False,
            "person_has_capacity": True,
            "consent": "refused",
            "harm": "unclear",
        },
    )
    args = {
        "draft": [draft.pk],
        "export_format": ["csv"],
        "draft_question": [draft.pk, "legitimate_purpose"],
        "advice_draft": [advice_draft.pk],
        "decision": [DecisionFactory(request__person=person_a).pk],
        "agreement": [SharingAgreementFactory(service=service_a).pk],
        "breach": [BreachReportFactory(service=service_a, reporter=users["carer_a"]).pk],
        "person": [person_a.pk],
        "consent": [person_a.pk, ConsentRecordFactory(person=person_a).pk],
        "capacity": [person_a.pk, bi.capacity_assessment.pk],
        "best_interests": [person_a.pk, bi.pk],
        "representative": [person_a.pk, RepresentativeFactory(person=person_a).pk],
        "service": [service_a.pk],
        "membership": [Membership.objects.get(user=target_user).pk],
        "user": [target_user.pk],
        "app_label": ["carehub"],
        "content_object": [ContentType.objects.get_for_model(person_a).pk, person_a.pk],
    }
    return users, args


CASES = [(name, role) for name in EXPECTATIONS for role in ROLES]


@pytest.mark.parametrize("name, role", CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_url_as_role(client, world, name, role):
    users, args = world
    arg_key, expected = EXPECTATIONS[name]
    url = url_for(name, args[arg_key] if arg_key else None)
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(url)
    assert response.status_code == expected[role], f"{role} GET {url}"
    if role == "anonymous" and expected[role] == 302:
        final = client.get(url, follow=True)
        assert final.request["PATH_INFO"] == reverse("login"), "anonymous must be sent to sign in"


# Every URL that accepts a POST (the list is checked against the views below): a refused role's
# POST changes nothing; a permitted role's empty POST is re-shown with errors (200) and saves
# nothing either.
WRITE_URLS = [
    "consent:consent_new",
    "consent:image_consent_new",
    "consent:consent_withdraw",
    "consent:capacity_new",
    "consent:best_interests_new",
    "consent:representative_new",
    "consent:representative_verify",
    "consent:representative_end",
    "decisions:request_new",
    "decisions:question",
    "decisions:advice",
    "decisions:decide",
    "decisions:addendum_new",
    "decisions:sign_off",
    "decisions:police",
    "decisions:agreement_new",
    "decisions:agreement_edit",
    "breaches:report_start",
    "breaches:report_people",
    "breaches:report_check",
    "breaches:assess",
    "breaches:ico",
    "breaches:people_told",
    "breaches:action_new",
    "breaches:close",
]
# A permitted POST that is not an answer to a form shown to this user: the decision page sent
# without the version it was shown at is treated as stale and sent back to the answers.
POST_OVERRIDES = {"decisions:decide": {"carer_a": 302, "manager_a": 302}}
WRITTEN_MODELS = [
    ConsentRecord,
    ConsentWithdrawal,
    CapacityAssessment,
    BestInterestsDecision,
    Representative,
    RepresentativeVerification,
    RepresentativeRevocation,
    SharingRequest,
    Decision,
    Advice,
    Addendum,
    SignOff,
    PoliceNotification,
    SharingAgreement,
    BreachReport,
    StatusEvent,
    Assessment,
    IcoSubmission,
    PeopleTold,
    Action,
    Closure,
]
POST_CASES = [(name, role) for name in WRITE_URLS for role in ROLES]


@pytest.mark.parametrize("name, role", POST_CASES, ids=[f"{n}-{r}" for n, r in POST_CASES])
def test_post_as_role_changes_nothing_without_the_right(client, world, name, role):
    users, args = world
    arg_key, expected = EXPECTATIONS[name]
    url = url_for(name, args[arg_key] if arg_key else None)
    if role != "anonymous":
        client.force_login(users[role])
    before = [model.objects.count() for model in WRITTEN_MODELS]

    response = client.post(url, {})

    assert response.status_code == {**expected, **POST_OVERRIDES.get(name, {})}[role], (
        f"{role} POST {url}"
    )
    assert [model.objects.count() for model in WRITTEN_MODELS] == before


# The filter pages whose search can hold a name take it as a POST (carehub.searches): a role
# that may read the page is sent on to the page (303) with the name kept out of the address;
# any other is refused as its GET is. Either way nothing is saved.
SEARCH_URLS = ["person_list", "decisions:history", "audit_trail"]
SEARCH = {"q": "Margaret Clarke", "person": "Margaret Clarke"}
SEARCH_CASES = [(name, role) for name in SEARCH_URLS for role in ROLES]


@pytest.mark.parametrize("name, role", SEARCH_CASES, ids=[f"{n}-{r}" for n, r in SEARCH_CASES])
def test_a_search_is_a_post_that_changes_nothing(client, world, name, role):
    users, _ = world
    _, expected = EXPECTATIONS[name]
    url = url_for(name, None)
    if role != "anonymous":
        client.force_login(users[role])
    before = [model.objects.count() for model in [*WRITTEN_MODELS, LogEntry]]

    response = client.post(url, SEARCH)

    assert response.status_code == (303 if expected[role] == 200 else expected[role]), (
        f"{role} POST {url}"
    )
    assert "Clarke" not in response.get("Location", "")
    assert [model.objects.count() for model in [*WRITTEN_MODELS, LogEntry]] == before


def test_every_url_that_accepts_post_is_in_the_post_matrix(client, world):
    users, args = world
    client.force_login(users["manager_a"])
    accepting = set()
    for name, (arg_key, _) in EXPECTATIONS.items():
        if name.startswith(("consent:", "decisions:", "breaches:")) or name in SEARCH_URLS:
            url = url_for(name, args[arg_key] if arg_key else None)
            if client.post(url, {}).status_code != 405:
                accepting.add(name)
    assert accepting == set(WRITE_URLS) | set(SEARCH_URLS)
