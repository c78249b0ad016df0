"""Sessions end after a quiet spell, on "Hide screen", and everywhere when the password
changes."""

import time

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from carehub.context_processors import idle_period
from carehub.middleware import IDLE_TIMED_OUT, LAST_SEEN
from carehub.models import AuditEvent, Role
from tests.clients import SignedInClient


def set_last_seen(client, seconds_ago):
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds_ago
    session.save()


def test_a_session_idle_for_longer_than_the_limit_is_signed_out(client, carer_a, settings):
    settings.SESSION_IDLE_SECONDS = 900
    client.force_login(carer_a)
    assert client.get(reverse("person_list")).status_code == 200

    set_last_seen(client, 901)
    response = client.get(reverse("person_list"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('person_list')}"
    assert "15 minutes without activity" in str(list(get_messages(response.wsgi_request))[0])
    event = AuditEvent.objects.get(action=IDLE_TIMED_OUT)
    assert event.actor == carer_a and event.data["idle_seconds"] >= 901
    assert client.get(reverse("person_list")).status_code == 302  # still signed out


def test_a_session_within_the_limit_carries_on(client, carer_a, settings):
    settings.SESSION_IDLE_SECONDS = 900
    client.force_login(carer_a)
    client.get("/")
    set_last_seen(client, 890)
    assert client.get(reverse("person_list")).status_code == 200
    assert int(time.time()) - client.session[LAST_SEEN] <= 1  # the request reset the clock


def test_the_clock_is_not_rewritten_on_every_request(client, carer_a):
    client.force_login(carer_a)
    client.get("/")
    set_last_seen(client, 5)
    before = client.session[LAST_SEEN]
    client.get("/")
    assert client.session[LAST_SEEN] == before


def test_staying_signed_in_resets_the_clock(client, carer_a, settings):
    settings.SESSION_IDLE_SECONDS = 900
    client.force_login(carer_a)
    client.get("/")
    set_last_seen(client, 800)
    assert client.post(reverse("keep_alive")).status_code == 204
    assert int(time.time()) - client.session[LAST_SEEN] <= 1
    assert client.get(reverse("keep_alive")).status_code == 405


def test_staying_signed_in_cannot_revive_an_ended_session(client, carer_a, settings):
    settings.SESSION_IDLE_SECONDS = 900
    client.force_login(carer_a)
    client.get("/")
    set_last_seen(client, 1000)
    response = client.post(reverse("keep_alive"))
    # Signed out: sent to sign in, and not back to the keep-alive afterwards.
    assert (response.status_code, response["Location"]) == (302, reverse("login"))
    assert client.get("/").status_code == 302


def test_hide_screen_signs_out_at_once(client, carer_a):
    client.force_login(carer_a)
    response = client.post(reverse("hide_screen"), follow=True)
    assert response.request["PATH_INFO"] == reverse("login")
    assert "Screen hidden" in response.content.decode()
    assert AuditEvent.objects.filter(action="carehub.screen.hidden", actor=carer_a).exists()
    assert client.get("/").status_code == 302
    assert client.get(reverse("hide_screen")).status_code == 405


def test_hide_screen_needs_the_pages_csrf_token(carer_a):
    client = SignedInClient(enforce_csrf_checks=True)
    client.force_login(carer_a)
    assert client.post(reverse("hide_screen")).status_code == 403
    assert client.get("/").status_code == 200  # nobody can sign another user out


def test_every_page_offers_hide_screen_and_the_idle_warning(client, carer_a, settings):
    settings.SESSION_IDLE_SECONDS = 600
    settings.SESSION_IDLE_WARNING_SECONDS = 120
    client.force_login(carer_a)
    page = client.get(reverse("person_list")).content.decode()
    assert f'action="{reverse("hide_screen")}"' in page
    assert 'data-idle-seconds="600" data-idle-warning-seconds="120"' in page
    assert "after 10 minutes without activity" in page


def test_changing_a_password_signs_out_every_other_session(carer_a):
    laptop, tablet = SignedInClient(), SignedInClient()
    for client in (laptop, tablet):
        client.force_login(carer_a)
        assert client.get("/").status_code == 200
    carer_a.set_password("a new long passphrase for the carer")
    carer_a.save()
    assert laptop.get("/").status_code == 302
    assert tablet.get("/").status_code == 302


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(900, "15 minutes"), (60, "1 minute"), (90, "90 seconds"), (1, "1 second")],
)
def test_idle_period_in_words(seconds, words):
    assert idle_period(seconds) == words


def test_tabs_listen_only_to_tabs_of_the_same_session(client, make_user, service_a):
    """The page names its session (not the key) so that its tabs ignore another session's."""
    import re

    def tag():
        page = client.get("/").content.decode()
        return re.search(r'data-session-tag="([0-9a-f]{16})"', page).group(1)

    carer = make_user(Role.CARE_STAFF, service_a)
    client.force_login(carer)
    first = tag()
    assert first == tag()  # the same session, the same name
    assert first not in client.cookies["sessionid"].value
    client.logout()
    client.force_login(carer)
    assert tag() != first  # signing in again is another session
