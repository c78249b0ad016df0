"""Decisions and everything attached to them are append-only in the database. A sharing request
may change while its questions are answered, but not once a decision has been recorded on it."""

from django.db import migrations

from carehub.append_only import make_append_only

TABLES = [
    "decisions_decision",
    "decisions_advice",
    "decisions_addendum",
    "decisions_signoff",
    "decisions_policenotification",
]

SETTLED_REQUEST = """
CREATE OR REPLACE FUNCTION decisions_refuse_settled_request_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM decisions_decision WHERE request_id = OLD.id) THEN
        RAISE EXCEPTION 'CareHub: % on a decided sharing request is refused: it is append-only',
            TG_OP
            USING ERRCODE = 'P0001', HINT = 'Corrections are addenda to the decision.';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$;
CREATE TRIGGER decisions_sharingrequest_settled BEFORE UPDATE OR DELETE
    ON decisions_sharingrequest FOR EACH ROW
    EXECUTE FUNCTION decisions_refuse_settled_request_change();
"""


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial"), ("carehub", "0002_append_only_audit")]

    operations = [
        *(make_append_only(table) for table in TABLES),
        migrations.RunSQL(
            SETTLED_REQUEST,
            reverse_sql=[
                "DROP TRIGGER IF EXISTS decisions_sharingrequest_settled "
                "ON decisions_sharingrequest;",
                "DROP FUNCTION IF EXISTS decisions_refuse_settled_request_change();",
            ],
        ),
    ]
