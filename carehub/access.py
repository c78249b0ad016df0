"""The one place that answers "may this user do this?" and "which rows may this user see?".

Permissions are granted by role, and each role is held in a service (a ``Membership``).
An object-level check asks whether the user holds one of the permitted roles *in the object's
service*. Every view goes through ``require`` / ``scope``; tests cover every URL for every role.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from .models import Membership, Person, Role, Service

CARE_STAFF = Role.CARE_STAFF
MANAGER = Role.REGISTERED_MANAGER
AUDITOR = Role.AUDITOR
ADMIN = Role.ADMIN

# action -> roles that may take it. Administrators manage staff and services but are not
# given care records: least privilege for personal data.
PERMISSIONS: dict[str, frozenset[str]] = {
    "person.view": frozenset({CARE_STAFF, MANAGER, AUDITOR}),
    "service.administer": frozenset({ADMIN}),
    # Consent records: care staff record what the person says; capacity, best interests and
    # representatives' authority are judgements a registered manager makes and answers for.
    "consent.record": frozenset({CARE_STAFF, MANAGER}),
    "capacity.record": frozenset({MANAGER}),
    "representative.manage": frozenset({MANAGER}),
    "consent.review": frozenset({MANAGER}),
    # Sharing decisions: staff record them; a registered manager signs off the ones that depart
    # from the recommendation or share safeguarding information without consent.
    "decision.record": frozenset({CARE_STAFF, MANAGER}),
    "decision.sign_off": frozenset({MANAGER}),
    "agreement.manage": frozenset({MANAGER}),
    # Decision histories: auditors read them across the services they audit; managers too.
    "decision.history": frozenset({MANAGER, AUDITOR}),
    # The audit trail (who changed or read what) is the auditors' alone.
    "audit.read": frozenset({AUDITOR}),
    # Breaches: anyone on the staff reports; registered managers review; auditors read the
    # register; the administrator, as nominated officer, alone sees who blew the whistle.
    "breach.report": frozenset({CARE_STAFF, MANAGER, AUDITOR, ADMIN}),
    "breach.review": frozenset({MANAGER}),
    "breach.read": frozenset({MANAGER, AUDITOR}),
    "breach.reporter_identity": frozenset({ADMIN}),
}


def _roles_for(action: str) -> frozenset[str]:
    try:
        return PERMISSIONS[action]
    except KeyError:
        raise ValueError(
            f"Unknown action {action!r}: add it to carehub.access.PERMISSIONS"
        ) from None


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def memberships_of(user) -> QuerySet[Membership]:
    if not _active(user):
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("service")


def roles_of(user) -> set[str]:
    return set(memberships_of(user).values_list("role", flat=True))


def services_for(user, action: str) -> QuerySet[Service]:
    """Services in which ``user`` may take ``action``."""
    if not _active(user):
        return Service.objects.none()
    return Service.objects.filter(
        memberships__user=user, memberships__role__in=_roles_for(action)
    ).distinct()


def service_of(obj: Model) -> Service | int:
    """The service an object belongs to (a Service is its own; a person's record, the
    person's)."""
    if isinstance(obj, Service):
        return obj
    if isinstance(obj, Person) or hasattr(obj, "service_id"):
        return obj.service_id
    return obj.person.service_id


def can(user, action: str, obj: Model | None = None) -> bool:
    """May ``user`` take ``action`` — anywhere (``obj`` None) or on ``obj``'s service?"""
    if not _active(user):
        return False
    memberships = Membership.objects.filter(user=user, role__in=_roles_for(action))
    if obj is not None:
        memberships = memberships.filter(service=service_of(obj))
    return memberships.exists()


def require(user, action: str, obj: Model | None = None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def require_services(user, action: str) -> list[int]:
    """The ids of the services in which ``user`` may take ``action`` (one query); refused if
    there are none. A list, not a subquery, keeps the plans of the queries it feeds simple."""
    ids = list(services_for(user, action).values_list("pk", flat=True))
    if not ids:
        raise PermissionDenied
    return ids


def scope(user, action: str, queryset: QuerySet) -> QuerySet:
    """Only the rows of ``queryset`` (of a model with a ``service``) ``user`` may act on."""
    return queryset.filter(service__in=services_for(user, action))


def people_visible_to(user) -> QuerySet[Person]:
    return scope(user, "person.view", Person.objects.select_related("service"))


def visible_person_or_404(user, person_id) -> Person:
    """The person, if ``user`` may see them; otherwise 404, so that a guessed or mistyped
    id from another service reveals nothing (not even that the person exists)."""
    person = people_visible_to(user).filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person in your services")
    return person
