"""Consent records are append-only in the database, audited, and carry their invariants."""

import uuid
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from consent.models import ConsentWithdrawal, RepresentativeRevocation
from tests.factories import (
    BestInterestsDecisionFactory,
    CapacityAssessmentFactory,
    ConsentRecordFactory,
    RepresentativeFactory,
    RepresentativeVerificationFactory,
)


@pytest.fixture
def records(person_a):
    consent = ConsentRecordFactory(person=person_a)
    withdrawal = ConsentWithdrawal.objects.create(
        consent=consent, withdrawn_by=consent.recorded_by, reason="Changed her mind"
    )
    decision = BestInterestsDecisionFactory(capacity_assessment__person=person_a)
    verification = RepresentativeVerificationFactory(representative__person=person_a)
    ended = RepresentativeFactory(person=person_a)
    revocation = RepresentativeRevocation.objects.create(
        representative=ended,
        revoked_on=timezone.localdate(),
        reason="Revoked",
        recorded_by=ended.recorded_by,
    )
    return {
        "consent_representativerevocation": revocation,
        "consent_consentrecord": consent,
        "consent_consentwithdrawal": withdrawal,
        "consent_capacityassessment": decision.capacity_assessment,
        "consent_bestinterestsdecision": decision,
        "consent_representative": verification.representative,
        "consent_representativeverification": verification,
    }


TABLES = [
    "consent_consentrecord",
    "consent_consentwithdrawal",
    "consent_capacityassessment",
    "consent_bestinterestsdecision",
    "consent_representative",
    "consent_representativeverification",
    "consent_representativerevocation",
]


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize(
    "sql",
    ['UPDATE "{table}" SET id = id WHERE id = %s', 'DELETE FROM "{table}" WHERE id = %s'],
    ids=["update", "delete"],
)
def test_raw_sql_cannot_change_or_delete_consent_records(records, table, sql):
    row = records[table]
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql.format(table=table), [row.pk])
    assert type(row).objects.filter(pk=row.pk).exists()


def test_the_person_cannot_be_deleted_while_records_exist(records, person_a):
    with pytest.raises(ProtectedError):
        person_a.delete()


def test_creating_a_record_is_in_the_audit_log_with_its_actor(client, person_a, carer_a):
    review = timezone.localdate() + timedelta(days=30)
    client.force_login(carer_a)
    client.post(
        reverse("consent:consent_new", args=[person_a.pk]),
        {
            "submission_key": str(uuid.uuid4()),
            "information_category": "health",
            "recipient_class": "gp",
            "purpose": "Medication review",
            "status": "given",
            "how_obtained": "phone",
            "review_date_0": review.day,
            "review_date_1": review.month,
            "review_date_2": review.year,
        },
    )
    entry = LogEntry.objects.get(content_type__model="consentrecord")
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == carer_a


@pytest.mark.parametrize(
    ("factory", "fields", "constraint"),
    [
        (
            ConsentRecordFactory,
            {"information_category": "other", "information_detail": ""},
            "consent_other_information_described",
        ),
        (
            ConsentRecordFactory,
            {"information_category": "images_video"},
            "consent_images_say_what_and_why",
        ),
        (ConsentRecordFactory, {"use_externally": True}, "consent_image_uses_only_for_images"),
        (ConsentRecordFactory, {"status": "withdrawn"}, "consent_status_known"),
        (CapacityAssessmentFactory, {"impairment": False}, "capacity_outcome_follows_the_test"),
        (RepresentativeFactory, {"covers": []}, "representative_covers_something"),
    ],
)
def test_the_database_enforces_the_invariants(person_a, factory, fields, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        factory(person=person_a, **fields)
