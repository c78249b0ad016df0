"""Backups: what an operator runs (``scripts/pg.sh backup`` / ``restore``, README) gives back
the same records, table by table, row by row."""

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from carehub import audit
from carehub.models import Person
from tests.factories import BreachReportFactory, DecisionFactory

ROOT = Path(__file__).resolve().parents[2]


def url_for(name: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = quote(db.get("HOST") or "localhost", safe="")
    return (
        f"postgres://{quote(db['USER'], safe='')}{password}@{host}:{db.get('PORT') or 5432}/{name}"
    )


def pg(*args: str, database: str):
    return subprocess.run(  # noqa: S603 - the project's own script, fixed arguments
        [shutil.which("bash"), str(ROOT / "scripts" / "pg.sh"), *args],
        env={**os.environ, "DATABASE_URL": url_for(database)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def fingerprints(url: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of all its rows."""
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: E501, S608 - names from the catalogue
            ).fetchone()
            for table in tables
        }


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_holds_the_same_records(tmp_path, carer_a, person_a):
    call_command("load_demo_data", "--logins-file", str(tmp_path / "logins.json"))
    DecisionFactory(request__person=person_a)
    BreachReportFactory(service=person_a.service, reporter=carer_a)
    audit.person_viewed(actor=carer_a, person=person_a, page="person_detail")
    name = connection.settings_dict["NAME"]
    restored = f"{name}_restored"
    dump = tmp_path / "carehub.dump"

    result = pg("backup", str(dump), database=name)
    assert result.returncode == 0, result.stderr
    admin_url = url_for("postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        result = pg("restore", str(dump), database=restored)
        assert result.returncode == 0, result.stderr
        original, copy = fingerprints(url_for(name)), fingerprints(url_for(restored))
        assert original == copy
        assert original["carehub_person"][0] == Person.objects.count() > 30
        assert original["decisions_decision"][0] == 1
        assert original["auditlog_logentry"][0] > 0

        # Restoring over records is refused rather than mixing two databases.
        again = pg("restore", str(dump), database=restored)
        assert again.returncode != 0 and "new, empty database" in again.stderr
        # The append-only rules came back with the data.
        with psycopg.connect(url_for(restored)) as conn, pytest.raises(psycopg.Error):
            conn.execute("UPDATE decisions_decision SET rationale = 'changed'")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
