"""Database-level append-only tables.

A trigger refuses every UPDATE, DELETE and TRUNCATE on the table, whoever the database user is:
the application's own connection cannot change or remove a row it has written. Migrations of
any app make a table append-only with ``make_append_only("app_table")``.
"""

from django.db import migrations

REFUSE_FUNCTION = """
CREATE OR REPLACE FUNCTION carehub_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'CareHub: % on % is refused: these records are append-only',
        TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'P0001', HINT = 'Corrections are new records, never edits.';
END;
$$;
"""


def make_append_only(table: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        sql=[
            REFUSE_FUNCTION,
            f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
            "FOR EACH ROW EXECUTE FUNCTION carehub_refuse_change();",
            f'CREATE TRIGGER "{table}_no_truncate" BEFORE TRUNCATE ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION carehub_refuse_change();",
        ],
        reverse_sql=[
            f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}";',
            f'DROP TRIGGER IF EXISTS "{table}_no_truncate" ON "{table}";',
        ],
    )
