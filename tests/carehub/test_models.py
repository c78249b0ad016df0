from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from carehub.models import Membership, Role
from tests.factories import MembershipFactory, PersonFactory


def test_person_ids_are_random_uuids_not_a_sequence(service_a):
    first, second = PersonFactory(service=service_a), PersonFactory(service=service_a)
    assert first.pk.version == 4 and second.pk.version == 4
    assert first.pk != second.pk


def test_nhs_number_is_normalised_and_checked_by_full_clean(service_a):
    person = PersonFactory.build(service=service_a, nhs_number="943 476 5919")
    person.full_clean()
    assert person.nhs_number == "9434765919"
    assert person.nhs_number_display == "943 476 5919"

    person.nhs_number = "943 476 5918"
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert "nhs_number" in excinfo.value.message_dict


def test_database_refuses_a_malformed_nhs_number(service_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(service=service_a, nhs_number="94347")


def test_nhs_number_unique_within_a_service_only(service_a, service_b):
    PersonFactory(service=service_a, nhs_number="9434765919")
    PersonFactory(service=service_b, nhs_number="9434765919")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(service=service_a, nhs_number="9434765919")
    PersonFactory(service=service_a, nhs_number="")
    PersonFactory(service=service_a, nhs_number="")


def test_date_of_birth_in_the_future_is_refused(service_a):
    person = PersonFactory.build(
        service=service_a, date_of_birth=timezone.localdate() + timedelta(days=1)
    )
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert "date_of_birth" in excinfo.value.message_dict


def test_date_left_only_for_someone_who_has_left(service_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(service=service_a, is_active=True, left_on=date(2024, 1, 1))
    PersonFactory(service=service_a, is_active=False, left_on=date(2024, 1, 1))


def test_a_user_may_hold_different_roles_in_several_services(make_user, service_a, service_b):
    user = make_user(Role.CARE_STAFF, service_a)
    MembershipFactory(user=user, service=service_b, role=Role.AUDITOR)
    assert set(Membership.objects.filter(user=user).values_list("service__name", "role")) == {
        ("Rose House", "care_staff"),
        ("Oak Lodge", "auditor"),
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(user=user, service=service_a, role=Role.CARE_STAFF)


def test_database_refuses_an_unknown_role(make_user, service_a):
    user = make_user(Role.CARE_STAFF, service_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, service=service_a, role="superhero")
