"""Faults: the database going away in the middle of a request. The user gets a clear page,
the record is either wholly saved or not at all, and the next request works without a
restart."""

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from consent.models import ConsentRecord
from tests.consent.test_views import consent_data


def terminate_backend_after(table: str):
    """An execute wrapper that lets the first INSERT into ``table`` run, then kills this
    connection's PostgreSQL backend from outside, as a database restart would."""

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith(f'INSERT INTO "{table}"'):
            pid = connection.connection.info.backend_pid
            url = settings.DATABASES["default"]
            with psycopg.connect(
                dbname=url["NAME"],
                user=url["USER"],
                host=url["HOST"],
                port=url["PORT"],
                autocommit=True,
            ) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        return result

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
