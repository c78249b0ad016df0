"""Faults: the database going away in the middle of a request. The user gets a clear page,
the record is either wholly saved or not at all, and the next request works without a
restart."""

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from consent.models import ConsentRecord
from tests.clients import SignedInClient
from tests.consent.test_views import consent_data


def terminate_backend():
    """Kill this connection's PostgreSQL backend from outside, as a database restart would."""
    pid = connection.connection.info.backend_pid
    url = settings.DATABASES["default"]
    with psycopg.connect(
        dbname=url["NAME"], user=url["USER"], host=url["HOST"], port=url["PORT"], autocommit=True
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def terminate_backend_after(table: str):
    """An execute wrapper that lets the first INSERT into ``table`` run, then kills the
    backend."""

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith(f'INSERT INTO "{table}"'):
            terminate_backend()
        return result

    return wrapper


def terminate_backend_before(table: str):
    """An execute wrapper that kills the backend just before the first query of ``table``."""

    def wrapper(execute, sql, params, many, context):
        if f'FROM "{table}"' in sql:
            terminate_backend()
        return execute(sql, params, many, context)

    return wrapper


@pytest.mark.django_db(transaction=True)
def test_the_database_going_away_mid_request_saves_nothing_and_the_site_recovers(
    client, carer_a, person_a
):
    client.force_login(carer_a)
    url = reverse("consent:consent_new", args=[person_a.pk])
    data = consent_data()

    with connection.execute_wrapper(terminate_backend_after("consent_consentrecord")):
        response = client.post(url, data)

    assert response.status_code == 503
    assert "Nothing from what you just did was saved" in response.content.decode()
    assert response["Retry-After"] == "30"
    assert ConsentRecord.objects.count() == 0  # the insert was never committed

    # No restart: the next requests connect afresh, and the same form can be sent again.
    assert client.get(reverse("person_detail", args=[person_a.pk])).status_code == 200
    response = client.post(url, data)
    assert response.status_code == 302
    assert ConsentRecord.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_database_going_away_before_the_page_loads_gets_the_same_clear_page(carer_a, person_a):
    """Lost while the session is read (in middleware, before any view): the same plain 503
    page, not the general error page, and the next request works."""
    client = SignedInClient(raise_request_exception=False)
    client.force_login(carer_a)
    url = reverse("person_detail", args=[person_a.pk])

    with connection.execute_wrapper(terminate_backend_before("django_session")):
        response = client.get(url)

    assert response.status_code == 503
    assert "Nothing from what you just did was saved" in response.content.decode()
    assert response["Retry-After"] == "30"
    assert client.get(url).status_code == 200


def test_any_other_server_error_gets_the_general_page(client, carer_a, monkeypatch):
    from carehub import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "render", broken)  # looked up when the home page renders
    client = SignedInClient(raise_request_exception=False)
    client.force_login(carer_a)
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with CareHub" in response.content.decode()
