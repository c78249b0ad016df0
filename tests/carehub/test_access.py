"""carehub.access: role and service scoping."""

import pytest

from carehub import access
from carehub.models import Role
from tests.factories import MembershipFactory, PersonFactory


def test_care_staff_see_only_people_in_their_services(carer_a, person_a, person_b):
    assert list(access.people_visible_to(carer_a)) == [person_a]
    assert access.can(carer_a, "person.view", person_a)
    assert not access.can(carer_a, "person.view", person_b)


def test_a_role_in_a_second_service_adds_that_services_people(
    carer_a, service_b, person_a, person_b
):
    MembershipFactory(user=carer_a, service=service_b, role=Role.AUDITOR)
    assert set(access.people_visible_to(carer_a)) == {person_a, person_b}


def test_administrators_are_not_given_care_records(make_user, service_a, person_a):
    admin = make_user(Role.ADMIN, service_a)
    assert not access.people_visible_to(admin).exists()
    assert not access.can(admin, "person.view", person_a)
    assert access.can(admin, "service.administer", service_a)


def test_inactive_users_and_anonymous_can_do_nothing(carer_a, person_a):
    from django.contrib.auth.models import AnonymousUser

    carer_a.is_active = False
    carer_a.save()
    assert not access.can(carer_a, "person.view", person_a)
    assert not access.people_visible_to(carer_a).exists()
    assert not access.can(AnonymousUser(), "person.view")
    assert not access.services_for(AnonymousUser(), "person.view").exists()


def test_unknown_actions_are_a_programming_error(carer_a):
    with pytest.raises(ValueError, match="Unknown action"):
        access.can(carer_a, "person.delete")


def test_visible_person_or_404_hides_other_services(carer_a, person_b):
    from django.http import Http404

    with pytest.raises(Http404):
        access.visible_person_or_404(carer_a, person_b.pk)


def test_scope_filters_any_service_owned_queryset(make_user, service_a, service_b):
    manager = make_user(Role.REGISTERED_MANAGER, service_a)
    PersonFactory.create_batch(3, service=service_a)
    PersonFactory.create_batch(2, service=service_b)
    from carehub.models import Person

    assert access.scope(manager, "person.view", Person.objects.all()).count() == 3


def test_require_services_lists_the_services_with_the_right_or_refuses(
    make_user, service_a, service_b, carer_a
):
    from django.core.exceptions import PermissionDenied

    auditor = make_user(Role.AUDITOR, service_a, service_b)
    assert sorted(access.require_services(auditor, "audit.read")) == sorted(
        [service_a.pk, service_b.pk]
    )
    with pytest.raises(PermissionDenied):
        access.require_services(carer_a, "audit.read")
    carer_a.is_active = False
    with pytest.raises(PermissionDenied):
        access.require_services(carer_a, "person.view")
