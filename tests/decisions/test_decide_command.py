"""``manage.py decide``: JSON in, JSON out, exit 2 with one line naming the field on bad input,
and no database needed."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def decide(stdin: str = "", *args, env: dict | None = None):
    """Run the command as an auditor would: a fresh process, no database, no secrets."""
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}  # noqa: S108
    return subprocess.run(  # noqa: S603 - fixed command, this interpreter
        [sys.executable, "manage.py", "decide", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        env={**clean, **(env or {})},
        timeout=60,
    )


def test_one_object_in_one_outcome_out():
    result = decide('{"requester": "court"}')
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["decision"] == "share"
    assert outcome["actions"] == [] and outcome["missing"] == []
    assert outcome["reasons"] and outcome["ruleset"]


def test_an_array_gives_outcomes_in_the_same_order():
    facts = [
        {"requester": "family_carer_friend"},
        {
            "requester": "safeguarding",
            "enquiry_or_investigation": False,
            "person_has_capacity": False,
            "best_interests": True,
            "criminal": True,
        },
        {"requester": "person"},
    ]
    result = decide(json.dumps(facts))
    assert result.returncode == 0, result.stderr
    outcomes = json.loads(result.stdout)
    assert [o["decision"] for o in outcomes] == ["need_information", "share", "share"]
    assert outcomes[0]["missing"][0] == "legitimate_purpose"
    assert outcomes[1]["actions"] == ["notify_police"]


def test_reads_a_file(tmp_path):
    path = tmp_path / "facts.json"
    path.write_text('{"requester": "person_asks_to_share", "consent": "refused"}')
    result = decide("", "--file", str(path))
    assert json.loads(result.stdout)["decision"] == "withhold"


def test_needs_no_database_even_when_one_is_configured_and_unreachable():
    result = decide(
        '{"requester": "duty_of_candour"}',
        env={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "SECRET_KEY": "x"},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["decision"] == "share"


@pytest.mark.parametrize(
    ("stdin", "names"),
    [
        ("{not json", ["not valid JSON", "line 1"]),
        ("", ["not valid JSON"]),
        ('{"requester": "neighbour"}', ["requester", "court"]),
        ('{"requester": "court", "colour": "blue"}', ["colour", "known facts"]),
        (
            '{"requester": "family_carer_friend", "legitimate_purpose": "yes"}',
            ["legitimate_purpose", "true, false"],
        ),
        ('{"consent": "given"}', ["requester is required"]),
        (
            '[{"requester": "court"}, {"requester": "safeguarding", "harm": "awful"}]',
            ["element 1", "harm", "serious, unclear, not_serious"],
        ),
        ('"court"', ["facts must be a JSON object"]),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_field(stdin, names):
    result = decide(stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for name in names:
        assert name in lines[0]


def test_a_missing_file_is_bad_input(tmp_path):
    result = decide("", "--file", str(tmp_path / "nope.json"))
    assert result.returncode == 2 and result.stdout == ""
    assert "cannot read" in result.stderr
