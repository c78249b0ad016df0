"""Consent records are never changed or deleted: withdrawals, verifications and endings are new
rows. The database refuses UPDATE, DELETE and TRUNCATE on every consent table."""

from django.db import migrations

from carehub.append_only import make_append_only

TABLES = [
    "consent_consentrecord",
    "consent_consentwithdrawal",
    "consent_capacityassessment",
    "consent_bestinterestsdecision",
    "consent_representative",
    "consent_representativeverification",
    "consent_representativerevocation",
]


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial"), ("carehub", "0002_append_only_audit")]

    operations = [make_append_only(table) for table in TABLES]
