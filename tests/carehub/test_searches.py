"""Searches kept out of addresses (``carehub.searches``): a name or NHS number typed into a
filter is sent as a POST, kept in the session under a token, and never appears in a URL, a
link, a redirect or an audit event; the page, its later pages and its downloads still filter
by it."""

import csv
import io
import re
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from carehub import searches
from carehub.audit import person_viewed
from carehub.forms import AuditTrailForm, PersonSearchForm
from carehub.models import AuditEvent, Role
from decisions.filters import DecisionHistoryFilter
from tests.factories import DecisionFactory, PersonFactory

# --- the module ---------------------------------------------------------------------------


def _request(method="get", path="/people/", data=None):
    request = getattr(RequestFactory(), method)(path, data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _token(location):
    return parse_qs(urlsplit(location).query)[searches.TOKEN][0]


def test_a_post_keeps_the_private_fields_in_the_session_and_redirects_without_them():
    request = _request("post", data={"q": "Edith Walsh", "status": "all", "service": ""})
    search = searches.search(request, PersonSearchForm)
    response = search.redirect
    assert response.status_code == 303
    location = response["Location"]
    assert location.startswith("/people/?")
    assert "Edith" not in unquote_plus(location) and "Walsh" not in unquote_plus(location)
    query = parse_qs(urlsplit(location).query)
    assert query["status"] == ["all"]
    assert "service" not in query and "csrfmiddlewaretoken" not in query  # nothing empty
    token = _token(location)
    assert len(token) >= 20
    assert request.session[searches.SESSION_KEY] == {token: {"q": ["Edith Walsh"]}}


def test_a_get_with_the_token_puts_the_search_back():
    post = _request("post", data={"q": "Edith Walsh", "status": "all"})
    location = searches.search(post, PersonSearchForm).redirect["Location"]
    get = _request(path=location)
    get.session = post.session

    search = searches.search(get, PersonSearchForm)
    assert search.redirect is None and not search.expired
    assert search.data.dict() == {"status": "all", "q": "Edith Walsh"}
    assert "Edith" not in search.query
    assert parse_qs(search.query) == {"status": ["all"], "s": [_token(location)]}
    assert search.filters == {"status": "all", "q": searches.WITHHELD}


def test_an_unknown_token_shows_everything_and_says_so():
    request = _request(path="/people/?status=all&s=not-a-token")
    search = searches.search(request, PersonSearchForm)
    assert search.expired and search.data is None and search.query == ""
    assert [str(m) for m in get_messages(request)] == [searches.EXPIRED]


def test_a_search_typed_into_the_address_is_moved_out_of_it():
    request = _request(path="/decisions/?person=fenn&final=share")
    response = searches.search(request, DecisionHistoryFilter).redirect
    assert response.status_code == 303
    assert "fenn" not in response["Location"]
    assert parse_qs(urlsplit(response["Location"]).query)["final"] == ["share"]
    kept = request.session[searches.SESSION_KEY][_token(response["Location"])]
    assert kept == {"person": ["fenn"]}


def test_only_the_forms_own_fields_go_in_the_address():
    request = _request(
        "post",
        data={
            "q": "Edith",
            "person": "Edith Walsh",
            "search": "",
            "status": "left",
            "status_x": "Edith Walsh",  # a field's name with something added is not the field
        },
    )
    location = searches.search(request, PersonSearchForm).redirect["Location"]
    assert set(parse_qs(urlsplit(location).query)) == {"status", "s"}
    get = _request(path="/people/?person=Edith&status=left")
    assert searches.search(get, PersonSearchForm).query == "status=left"


def test_whatever_is_sent_the_address_stays_short():
    data = {name: "ﷺ" * 20_000 for name in ("q", "service", "status")}
    request = _request("post", data=data)
    location = searches.search(request, PersonSearchForm).redirect["Location"]
    assert len(location) < 2_000


def test_a_search_without_text_needs_no_token():
    response = searches.search(
        _request("post", data={"q": " ", "status": "left"}), PersonSearchForm
    )
    # " " is kept (the form strips it), but an empty field is not
    assert searches.TOKEN in response.redirect["Location"]
    response = searches.search(_request("post", data={"q": "", "status": "left"}), PersonSearchForm)
    assert response.redirect["Location"] == "/people/?status=left"
    assert searches.search(_request("post", data={"q": ""}), PersonSearchForm).redirect[
        "Location"
    ] == ("/people/")


def test_the_session_keeps_the_most_recent_searches_only():
    session = SessionStore()
    tokens = [searches.keep(session, {"q": [f"name {n}"]}) for n in range(searches.KEEP + 5)]
    saved = session[searches.SESSION_KEY]
    assert list(saved) == tokens[5:]
    assert len(set(tokens)) == len(tokens)
    # The same search again is the same token, now the newest.
    again = searches.keep(session, {"q": ["name 5"]})
    assert again == tokens[5] and list(session[searches.SESSION_KEY])[-1] == again
    assert len(session[searches.SESSION_KEY]) == searches.KEEP


def test_an_enormous_search_is_cut_short_in_the_session():
    request = _request("post", data={"q": "x" * 100_000})
    location = searches.search(request, PersonSearchForm).redirect["Location"]
    kept = request.session[searches.SESSION_KEY][_token(location)]["q"]
    assert kept == ["x" * searches.MAX_CHARS]


def test_each_filter_form_names_its_private_fields():
    assert searches.private_fields_of(PersonSearchForm) == ("q",)
    assert searches.private_fields_of(AuditTrailForm) == ("person",)
    assert searches.private_fields_of(DecisionHistoryFilter) == ("person",)


# --- the pages --------------------------------------------------------------------------

HREF = re.compile(r'(?:href|action|src)="([^"]*)"')


def assert_not_in_any_address(response, *texts):
    """No link, form action or image address on the page holds any of ``texts``."""
    addresses = [unquote_plus(a).lower() for a in HREF.findall(response.content.decode())]
    assert addresses, "a page with no links at all?"
    for text in texts:
        assert not [a for a in addresses if text.lower() in a], text


def post_search(client, url, data, *texts):
    sent = client.post(url, data)
    assert sent.status_code == 303
    for text in texts:
        assert text.lower() not in unquote_plus(sent["Location"]).lower()
    assert searches.TOKEN in parse_qs(urlsplit(sent["Location"]).query)
    page = client.get(sent["Location"])
    assert page.status_code == 200
    assert_not_in_any_address(page, *texts)
    return sent["Location"], page


def links(response, text):
    """The addresses of the links whose text contains ``text``."""
    html = response.content.decode()
    return [
        href.replace("&amp;", "&")
        for href, label in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)
        if text in label
    ]


@pytest.fixture
def walshes(service_a):
    people = [
        PersonFactory(service=service_a, given_name=f"Edith{n:02}", family_name="Walsh")
        for n in range(30)
    ]
    PersonFactory(service=service_a, given_name="Albert", family_name="Green")
    return people


def test_people_search_by_name_never_in_an_address(client, carer_a, walshes):
    client.force_login(carer_a)
    location, page = post_search(
        client, reverse("person_list"), {"q": "walsh", "status": "active"}, "walsh"
    )
    assert page.context["page"].paginator.count == 30  # filtered: Albert Green is not listed
    assert 'value="walsh"' in page.content.decode()  # the box still shows what was typed
    token = _token(location)
    (next_page,) = links(page, "Next")
    assert f"s={token}" in next_page and "page=2" in next_page and "walsh" not in next_page
    second = client.get(reverse("person_list") + next_page)
    assert len(second.context["page"]) == 5
    assert_not_in_any_address(second, "walsh")


def test_people_search_by_nhs_number_never_in_an_address(client, carer_a, service_a):
    PersonFactory(service=service_a, given_name="Edith", nhs_number="9434765919")
    PersonFactory(service=service_a, given_name="Albert")
    client.force_login(carer_a)
    _, page = post_search(client, reverse("person_list"), {"q": "943 476 5919"}, "943", "9434")
    assert [p.given_name for p in page.context["page"]] == ["Edith"]


def test_an_expired_search_shows_everyone_with_a_message(client, carer_a, walshes):
    client.force_login(carer_a)
    response = client.get(reverse("person_list"), {"s": "gone"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 31
    content = response.content.decode()
    assert "Your search has expired" in content and "govuk-notification-banner" in content


def test_a_search_in_an_old_bookmark_is_moved_out_of_the_address(client, carer_a, walshes):
    client.force_login(carer_a)
    response = client.get(reverse("person_list"), {"q": "green"})
    assert response.status_code == 303
    assert "green" not in response["Location"].lower()
    page = client.get(response["Location"])
    assert [p.family_name for p in page.context["page"]] == ["Green"]


def test_a_mistake_in_a_search_keeps_what_was_typed_in_the_box(client, carer_a, walshes):
    client.force_login(carer_a)
    typed = "Walsh" + "x" * 100
    _, page = post_search(client, reverse("person_list"), {"q": typed}, typed)
    content = page.content.decode()
    assert "govuk-error-summary" in content and "Search for at most" in content
    assert f'value="{typed}"' in content


def test_searching_someone_else_is_no_way_around_access(client, make_user, service_a, walshes):
    admin = make_user(Role.ADMIN, service_a)
    client.force_login(admin)
    assert client.post(reverse("person_list"), {"q": "walsh"}).status_code == 403
    assert searches.SESSION_KEY not in client.session


@pytest.fixture
def auditor_a(make_user, service_a):
    return make_user(Role.AUDITOR, service_a)


@pytest.fixture
def history(person_a, service_a):
    fenn = PersonFactory(service=service_a, given_name="Walter", family_name="Fenn")
    return {
        "fenn": [DecisionFactory(request__person=fenn, final="share") for _ in range(3)],
        "other": [DecisionFactory(request__person=person_a, final="share") for _ in range(2)],
    }


def test_history_search_filters_the_page_and_its_downloads(
    client, auditor_a, history, settings, monkeypatch
):
    client.force_login(auditor_a)
    monkeypatch.setattr("decisions.views.HISTORY_PAGE_SIZE", 2)
    url = reverse("decisions:history")
    location, page = post_search(client, url, {"person": "Fenn", "final": "share"}, "fenn")
    expected = {str(d.pk) for d in history["fenn"]}
    assert page.context["page"].paginator.count == 3
    (next_page,) = links(page, "Next")
    assert "s=" in next_page and "fenn" not in next_page.lower()

    (csv_link,) = links(page, "CSV")
    (jsonl_link,) = links(page, "JSON Lines")
    for link in (csv_link, jsonl_link):
        assert f"s={_token(location)}" in link and "final=share" in link
        assert "fenn" not in link.lower()
    response = client.get(csv_link)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert {row["decision_id"] for row in csv.DictReader(io.StringIO(body))} == expected

    # What the export is recorded as: the filters, never the name searched for.
    event = AuditEvent.objects.get(action="decisions.history.exported")
    assert event.data["filters"] == {"final": "share", "person": searches.WITHHELD}
    assert "fenn" not in str(event.data).lower()


def test_a_download_with_an_expired_search_goes_back_to_the_page(client, auditor_a, history):
    client.force_login(auditor_a)
    response = client.get(reverse("decisions:history_export", args=["csv"]), {"s": "gone"})
    assert response.status_code == 302 and response["Location"] == reverse("decisions:history")
    page = client.get(response["Location"])
    assert "Your search has expired" in page.content.decode()
    assert not AuditEvent.objects.filter(action="decisions.history.exported").exists()


def test_audit_trail_search_by_name(client, auditor_a, carer_a, person_a, service_a):
    fenn = PersonFactory(service=service_a, given_name="Walter", family_name="Fenn")
    person_viewed(actor=carer_a, person=person_a, page="person_detail")
    person_viewed(actor=carer_a, person=fenn, page="person_detail")
    client.force_login(auditor_a)
    location, page = post_search(
        client, reverse("audit_trail"), {"kind": "events", "person": "fenn"}, "fenn"
    )
    assert [e.person for e in page.context["page"]] == [fenn]
    (csv_link,) = links(page, "CSV")
    assert f"s={_token(location)}" in csv_link
    body = b"".join(client.get(csv_link).streaming_content).decode("utf-8-sig")
    assert [row["person_id"] for row in csv.DictReader(io.StringIO(body))] == [str(fenn.pk)]

    for action in ("carehub.audit_trail.viewed", "carehub.audit_trail.exported"):
        event = AuditEvent.objects.filter(action=action).latest("at")
        assert event.data["filters"]["person"] == searches.WITHHELD
        assert "fenn" not in str(event.data).lower()


def test_a_name_searched_for_is_never_kept_in_the_form_cache(client, auditor_a, history):
    cache.clear()
    client.force_login(auditor_a)
    post_search(client, reverse("decisions:history"), {"person": "Fenn"}, "fenn")
    cached = cache._cache.values()  # the local-memory cache's entries, pickled
    assert not [value for value in cached if b"Fenn" in value]
