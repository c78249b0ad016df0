"""The audit trail: every model audited, reads recorded, rows append-only in the database."""

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from carehub import audit
from carehub.models import AuditEvent, Person, Role, Service

PROJECT_APPS = ["carehub", "consent", "decisions", "breaches"]
# Models that are themselves the audit trail: auditing them would log the log.
AUDIT_MODELS = {AuditEvent}


def test_every_project_model_is_registered_with_auditlog():
    models = [m for app in PROJECT_APPS for m in apps.get_app_config(app).get_models()]
    assert models, "no project models found"
    unregistered = [
        m.__name__ for m in models if m not in AUDIT_MODELS and not auditlog.contains(m)
    ]
    assert unregistered == []


def test_password_changes_are_masked_in_the_log(make_user, service_a):
    user = make_user(Role.CARE_STAFF, service_a)
    user.set_password("a brand new passphrase")
    user.save()
    entry = LogEntry.objects.get_for_object(user).filter(action=LogEntry.Action.UPDATE).first()
    assert entry is not None
    old, new = entry.changes["password"]
    assert "brand new" not in new and not new.startswith("pbkdf2")


def test_change_through_the_site_records_the_acting_user(client, make_user, service_a):
    admin_user = make_user(Role.ADMIN, service_a, username="the.admin")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:carehub_service_change", args=[service_a.pk]),
        {"name": "Rose House (renamed)", "cqc_location_id": "1-222"},
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(service_a).latest("timestamp")
    assert entry.actor == admin_user
    assert entry.changes["name"] == ["Rose House", "Rose House (renamed)"]


def test_viewing_a_person_writes_an_access_event(client, carer_a, person_a):
    client.force_login(carer_a)
    assert not AuditEvent.objects.filter(person=person_a).exists()
    response = client.get(reverse("person_detail", args=[person_a.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(person=person_a)
    assert event.action == audit.PERSON_VIEWED
    assert event.actor == carer_a
    assert event.service == person_a.service
    assert event.data == {"page": "person_detail"}


def test_refused_view_of_another_services_person_writes_no_access_event(client, carer_a, person_b):
    client.force_login(carer_a)
    response = client.get(reverse("person_detail", args=[person_b.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(person=person_b).exists()


@pytest.fixture
def audit_rows(carer_a, person_a):
    event = audit.person_viewed(actor=carer_a, person=person_a, page="test")
    person_a.family_name = "Changed"
    person_a.save()
    entry = LogEntry.objects.get_for_object(person_a).latest("timestamp")
    return event, entry


RAW_STATEMENTS = [
    ("UPDATE carehub_auditevent SET action = 'tampered' WHERE id = %s", "event"),
    ("DELETE FROM carehub_auditevent WHERE id = %s", "event"),
    ("UPDATE auditlog_logentry SET changes = '{}'::jsonb WHERE id = %s", "entry"),
    ("UPDATE auditlog_logentry SET actor_id = NULL WHERE id = %s", "entry"),
    ("DELETE FROM auditlog_logentry WHERE id = %s", "entry"),
]


@pytest.mark.parametrize("sql, target", RAW_STATEMENTS)
def test_raw_sql_cannot_change_or_delete_audit_rows(audit_rows, sql, target):
    event, entry = audit_rows
    row = event if target == "event" else entry
    model = type(row)
    before = model._base_manager.filter(pk=row.pk).values().get()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    assert model._base_manager.filter(pk=row.pk).values().get() == before


@pytest.mark.django_db(transaction=True)  # committed rows, as in production
@pytest.mark.parametrize("table", ["carehub_auditevent", "auditlog_logentry"])
def test_raw_sql_cannot_truncate_audit_tables(audit_rows, table):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table} CASCADE")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
        assert cursor.fetchone()[0] >= 1


def test_orm_refuses_to_change_or_delete_audit_events(audit_rows):
    event, _ = audit_rows
    event.action = "tampered"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(action="tampered")


def test_person_and_service_with_audit_events_cannot_be_deleted(audit_rows, person_a):
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            Person.objects.filter(pk=person_a.pk).delete()
    assert Person.objects.filter(pk=person_a.pk).exists()
    assert Service.objects.filter(pk=person_a.service_id).exists()


def test_flush_of_a_database_not_named_test_is_refused(monkeypatch, audit_rows, person_a):
    """Only a test database may be emptied: elsewhere the triggers refuse the flush whole."""
    event, entry = audit_rows
    monkeypatch.setitem(connection.settings_dict, "NAME", "carehub")
    with pytest.raises(CommandError):
        call_command("flush", interactive=False, verbosity=0)
    monkeypatch.undo()
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert LogEntry.objects.filter(pk=entry.pk).exists()
    assert Person.objects.filter(pk=person_a.pk).exists()


def _denied():
    return list(AuditEvent.objects.filter(action="carehub.access.denied").order_by("at", "pk"))


def test_a_record_hidden_from_another_service_is_a_recorded_attempt(
    client, make_user, service_b, person_a
):
    outsider = make_user(Role.CARE_STAFF, service_b)
    client.force_login(outsider)
    url = reverse("person_detail", args=[person_a.pk])
    assert client.get(url, {"q": "Margaret Clarke"}).status_code == 404
    (event,) = _denied()
    assert event.actor == outsider
    # The path and view, never the query string: search terms can be names.
    assert event.data == {"status": 404, "method": "GET", "path": url, "view": "person_detail"}
    assert "Margaret" not in str(event.data)


def test_a_wrong_method_is_a_recorded_attempt_and_a_mistyped_address_is_not(client, carer_a):
    client.force_login(carer_a)
    assert client.get("/no-such-page/").status_code == 404
    assert _denied() == []
    assert client.post(reverse("decisions:my_requests"), {}).status_code == 405
    (event,) = _denied()
    assert (event.data["status"], event.data["method"], event.data["view"]) == (
        405,
        "POST",
        "decisions:my_requests",
    )


def test_an_anonymous_refusal_is_not_recorded(db):
    # It names nobody, and recording it would let anyone fill the append-only trail.
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("login"), {"username": "x", "password": "y"}).status_code == 403
    assert client.get(reverse("logout")).status_code == 405
    assert _denied() == []
