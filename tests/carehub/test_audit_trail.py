"""The audit trail viewer: record changes field by field and audit events, scoped to the
auditor's services, filtered; only auditors may open it."""

import csv
import io
import json

import pytest
from auditlog.registry import auditlog
from django.apps import apps
from django.urls import reverse

from carehub.audit import person_viewed
from carehub.audit_trail import SERVICE_PATHS
from carehub.models import AuditEvent, Role
from tests.factories import ConsentRecordFactory, PersonFactory

URL = reverse("audit_trail")


@pytest.fixture
def auditor_a(make_user, service_a):
    return make_user(Role.AUDITOR, service_a, username="auditor.a")


def test_every_audited_model_says_how_it_reaches_its_service():
    project = {
        model._meta.label
        for app in ("carehub", "consent", "decisions", "breaches")
        for model in apps.get_app_config(app).get_models()
        if auditlog.contains(model)
    }
    assert project == set(SERVICE_PATHS)


def test_changes_are_shown_field_by_field_for_the_auditors_services_only(
    client, auditor_a, person_a, service_b
):
    person_a.preferred_name = "Peggy"
    person_a.save()
    PersonFactory(service=service_b, given_name="Elsewhere")
    client.force_login(auditor_a)
    response = client.get(URL)
    entries = list(response.context["page"])
    assert {entry.object_pk for entry in entries if entry.content_type.model == "person"} == {
        str(person_a.pk)
    }
    page = response.content.decode()
    assert "preferred_name" in page and "Peggy" in page
    assert "Elsewhere" not in page


def test_filters_for_changes(client, auditor_a, person_a, carer_a):
    consent = ConsentRecordFactory(person=person_a)
    client.force_login(auditor_a)
    response = client.get(URL, {"model": "consent.ConsentRecord"})
    assert [e.object_pk for e in response.context["page"]] == [str(consent.pk)]
    response = client.get(URL, {"object_id": str(person_a.pk)})
    assert {e.content_type.model for e in response.context["page"]} == {"person"}


def test_events_filtered_by_person_and_actor(
    client, auditor_a, carer_a, person_a, make_user, service_a
):
    other = PersonFactory(service=service_a, given_name="Walter", family_name="Fenn")
    person_viewed(actor=carer_a, person=person_a, page="person_detail")
    person_viewed(actor=carer_a, person=other, page="person_detail")
    client.force_login(auditor_a)
    response = client.search(URL, {"kind": "events", "person": "fenn"})
    assert [e.person for e in response.context["page"]] == [other]
    response = client.get(URL, {"kind": "events", "actor": carer_a.pk})
    assert {e.person for e in response.context["page"]} == {person_a, other}


def test_viewing_the_trail_is_itself_recorded(client, auditor_a):
    client.force_login(auditor_a)
    client.get(URL, {"kind": "events"})
    assert AuditEvent.objects.filter(action="carehub.audit_trail.viewed", actor=auditor_a).exists()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "date_to"),
        ({"date_from": "10/03/2026"}, "date_from"),
        ({"kind": "everything"}, "kind"),
        ({"model": "auth.Permission"}, "model"),
        ({"object_id": "x" * 65}, "object_id"),
    ],
)
def test_bad_filters_are_explained(client, auditor_a, params, field):
    client.force_login(auditor_a)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="govuk-error-summary"' in response.content.decode()


@pytest.mark.parametrize("role", [Role.CARE_STAFF, Role.REGISTERED_MANAGER, Role.ADMIN])
def test_only_auditors_read_the_trail(client, make_user, service_a, role):
    client.force_login(make_user(role, service_a))
    assert client.get(URL).status_code == 403


def export(client, fmt, **params):
    response = client.get(reverse("audit_trail_export", args=[fmt]), params)
    return response, b"".join(response.streaming_content).decode("utf-8")


def csv_rows(body):
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def test_the_changes_export_matches_the_filtered_list_exactly(
    client, auditor_a, person_a, service_b
):
    consent = ConsentRecordFactory(person=person_a, notes="=cmd|' /C calc'!A0")
    person_a.preferred_name = "Peggy"
    person_a.save()
    PersonFactory(service=service_b, given_name="Elsewhere")  # another service: never exported
    client.force_login(auditor_a)

    for params in ({}, {"model": "consent.ConsentRecord"}, {"object_id": str(person_a.pk)}):
        listed = client.get(URL, params).context["page"].paginator.object_list
        response, body = export(client, "csv", **params)
        rows = csv_rows(body)
        assert [row["change_id"] for row in rows] == [str(entry.pk) for entry in listed]
        assert response["X-Row-Count"] == str(len(rows))
        if not params:
            assert len(rows) >= 3 and "Elsewhere" not in body

    _, body = export(client, "jsonl", object_id=str(person_a.pk))
    lines = [json.loads(line) for line in body.splitlines()]
    assert lines[-1] == {"trailer": True, "rows": len(lines) - 1}
    update = next(line for line in lines[:-1] if line["action"] == "update")
    assert update["record_type"] == "carehub.person"
    assert update["changes"]["preferred_name"][1] == "Peggy"  # field-level changes, as JSON
    assert update["at"].endswith("Z")

    # The consent's creation: its notes are inside the JSON changes, which a spreadsheet shows
    # as text beginning "{", never as a formula; the record's own description is neutralised.
    _, body = export(client, "csv", model="consent.ConsentRecord")
    (row,) = csv_rows(body)
    assert row["action"] == "create" and row["record_id"] == str(consent.pk)
    assert row["changes"].startswith("{")


def test_the_events_export_matches_the_filtered_list_exactly(
    client, auditor_a, carer_a, person_a, service_a
):
    other = PersonFactory(service=service_a, given_name="@Walter", family_name="Fenn")
    person_viewed(actor=carer_a, person=person_a, page="person_detail")
    person_viewed(actor=carer_a, person=other, page="chronology")
    client.force_login(auditor_a)

    params = {"kind": "events", "actor": carer_a.pk}
    listed = client.get(URL, params).context["page"].paginator.object_list
    response, body = export(client, "csv", **params)
    rows = csv_rows(body)
    assert [row["event_id"] for row in rows] == [str(event.pk) for event in listed]
    assert len(rows) == 2 and response["X-Row-Count"] == "2"
    walter = next(row for row in rows if row["person_id"] == str(other.pk))
    assert walter["person_name"] == "'@Walter Fenn"
    assert (walter["by"], walter["action"], walter["service"]) == (
        carer_a.username,
        "carehub.person.viewed",
        "Rose House",
    )
    assert json.loads(walter["details"]) == {"page": "chronology"}


def test_every_audit_trail_export_is_recorded_and_not_in_its_own_file(client, auditor_a):
    client.force_login(auditor_a)
    client.get(URL, {"kind": "events"})  # one event: the auditor's viewing of the trail
    response, body = export(client, "jsonl", kind="events")
    lines = [json.loads(line) for line in body.splitlines()]
    assert [line["action"] for line in lines[:-1]] == ["carehub.audit_trail.viewed"]
    event = AuditEvent.objects.get(action="carehub.audit_trail.exported")
    assert event.actor == auditor_a
    assert (event.data["format"], event.data["rows"], event.data["filters"]) == (
        "jsonl",
        1,
        {"kind": "events"},
    )


def test_bad_filters_show_the_errors_instead_of_an_audit_export(client, auditor_a):
    client.force_login(auditor_a)
    response = client.get(
        reverse("audit_trail_export", args=["csv"]),
        {"date_from": "2026-03-10", "date_to": "2026-03-01"},
    )
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert not AuditEvent.objects.filter(action="carehub.audit_trail.exported").exists()


@pytest.mark.parametrize("role", [Role.CARE_STAFF, Role.REGISTERED_MANAGER, Role.ADMIN])
def test_only_auditors_export_the_trail_and_others_trying_are_recorded(
    client, make_user, service_a, role
):
    user = make_user(role, service_a)
    client.force_login(user)
    url = reverse("audit_trail_export", args=["csv"])
    assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(action="carehub.audit_trail.exported").exists()
    denied = AuditEvent.objects.get(action="carehub.access.denied", actor=user)
    assert denied.data == {
        "status": 403,
        "method": "GET",
        "path": url,
        "view": "audit_trail_export",
    }


def test_unknown_export_formats_are_not_found(client, auditor_a):
    client.force_login(auditor_a)
    assert client.get(reverse("audit_trail_export", args=["xlsx"])).status_code == 404
