"""The audit trail (django-auditlog's entries and CareHub's audit events) is append-only."""

from django.db import migrations

from carehub.append_only import make_append_only


class Migration(migrations.Migration):
    dependencies = [
        ("carehub", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [
        make_append_only("auditlog_logentry"),
        make_append_only("carehub_auditevent"),
    ]
