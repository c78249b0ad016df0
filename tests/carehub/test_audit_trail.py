"""The audit trail viewer: record changes field by field and audit events, scoped to the
auditor's services, filtered; only auditors may open it."""

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
    response = client.get(URL, {"kind": "events", "person": "fenn"})
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
