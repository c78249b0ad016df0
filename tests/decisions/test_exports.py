"""Decision exports: exactly the filtered list, spreadsheet-safe, complete or visibly cut off,
and audited."""

import csv
import io
import json

import pytest
from django.urls import reverse

from carehub.models import AuditEvent, Role
from tests.factories import DecisionFactory, PersonFactory


@pytest.fixture
def auditor_a(make_user, service_a):
    return make_user(Role.AUDITOR, service_a, username="auditor.a")


def download(client, fmt, **params):
    response = client.get(reverse("decisions:history_export", args=[fmt]), params)
    body = b"".join(response.streaming_content).decode("utf-8")
    return response, body


def csv_rows(body):
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def test_csv_matches_the_filtered_list_exactly(client, auditor_a, person_a, person_b, service_a):
    withheld = DecisionFactory(
        request__person=person_a,
        final="withhold",
        recommendation="withhold",
        requester_told=True,
        requester_told_note="Told by phone",
    )
    shared = DecisionFactory(request__person=person_a)
    DecisionFactory(request__person=person_b)  # another service: never exported
    client.force_login(auditor_a)

    response, body = download(client, "csv")
    assert response["Content-Type"].startswith("text/csv")
    assert body.startswith("\ufeff")
    rows = csv_rows(body)
    assert {row["decision_id"] for row in rows} == {str(withheld.pk), str(shared.pk)}
    assert response["X-Row-Count"] == "2"

    listed = client.get(reverse("decisions:history"), {"final": "withhold"}).context["page"]
    _, body = download(client, "csv", final="withhold")
    assert [row["decision_id"] for row in csv_rows(body)] == [str(d.pk) for d in listed]
    row = csv_rows(body)[0]
    assert (row["decision"], row["service"], row["person_name"]) == (
        "withhold",
        "Rose House",
        "Margaret Clarke",
    )
    assert row["decided_at"].endswith("Z")


def test_formulas_are_neutralised(client, auditor_a, service_a):
    person = PersonFactory(service=service_a, given_name='=HYPERLINK("http://x")', family_name="+1")
    DecisionFactory(request__person=person, rationale="@SUM(A1:A9)", departure_justification="-2+3")
    client.force_login(auditor_a)
    row = csv_rows(download(client, "csv")[1])[0]
    assert row["person_name"] == '\'=HYPERLINK("http://x") +1'
    assert row["rationale"] == "'@SUM(A1:A9)"
    assert row["departure_justification"] == "'-2+3"


def test_json_lines_end_with_a_trailer_counting_the_rows(client, auditor_a, person_a):
    DecisionFactory(request__person=person_a, rationale='Quote " backslash \\ newline\nend')
    DecisionFactory(request__person=person_a)
    client.force_login(auditor_a)
    response, body = download(client, "jsonl")
    lines = [json.loads(line) for line in body.splitlines()]
    assert lines[-1] == {"trailer": True, "rows": 2}
    assert response["X-Row-Count"] == "2"
    assert {line["rationale"] for line in lines[:-1]} >= {'Quote " backslash \\ newline\nend'}


def test_every_export_is_audited(client, auditor_a, person_a):
    DecisionFactory(request__person=person_a)
    client.force_login(auditor_a)
    download(client, "jsonl", final="share")
    event = AuditEvent.objects.get(action="decisions.history.exported")
    assert event.actor == auditor_a
    assert (event.data["format"], event.data["rows"], event.data["filters"]) == (
        "jsonl",
        1,
        {"final": "share"},
    )


def test_bad_filters_show_the_errors_instead_of_a_download(client, auditor_a, person_a):
    DecisionFactory(request__person=person_a)
    client.force_login(auditor_a)
    response = client.get(
        reverse("decisions:history_export", args=["csv"]),
        {"decided_from": "2026-03-10", "decided_to": "2026-03-01"},
    )
    assert response.status_code == 200
    assert "same as or after" in response.content.decode()
    assert not AuditEvent.objects.filter(action="decisions.history.exported").exists()


def test_unknown_formats_and_care_staff_are_refused(client, auditor_a, carer_a):
    client.force_login(auditor_a)
    assert client.get(reverse("decisions:history_export", args=["xlsx"])).status_code == 404
    client.force_login(carer_a)
    assert client.get(reverse("decisions:history_export", args=["csv"])).status_code == 403
    assert not AuditEvent.objects.filter(action="decisions.history.exported").exists()


def test_the_export_command_writes_the_same_rows(person_a, person_b, capfdbinary):
    from django.core.management import call_command

    mine = DecisionFactory(request__person=person_a)
    DecisionFactory(request__person=person_b)
    call_command("export_decisions", "--format", "jsonl", "--service", "Rose House")
    lines = [json.loads(line) for line in capfdbinary.readouterr().out.decode().splitlines()]
    assert [line["decision_id"] for line in lines[:-1]] == [str(mine.pk)]
    assert lines[-1] == {"trailer": True, "rows": 1}
    event = AuditEvent.objects.get(action="decisions.history.exported")
    assert event.actor is None and event.data["rows"] == 1


def test_the_export_command_refuses_bad_filters(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="No service"):
        call_command("export_decisions", "--service", "Nowhere")
    with pytest.raises(CommandError, match="decided_to"):
        call_command("export_decisions", "--from", "2026-03-10", "--to", "2026-03-01")
