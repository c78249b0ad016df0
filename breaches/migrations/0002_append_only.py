"""Breach reports and every entry about them are append-only in the database; report numbers
come from a sequence, so two reports made at once never share one."""

from django.db import migrations

from carehub.append_only import make_append_only

TABLES = [
    "breaches_breachreport",
    "breaches_breachreport_people",
    "breaches_statusevent",
    "breaches_assessment",
    "breaches_icosubmission",
    "breaches_peopletold",
    "breaches_action",
    "breaches_closure",
]


class Migration(migrations.Migration):
    dependencies = [("breaches", "0001_initial"), ("carehub", "0002_append_only_audit")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE breaches_report_number START 1",
            reverse_sql="DROP SEQUENCE breaches_report_number",
        ),
        *(make_append_only(table) for table in TABLES),
    ]
