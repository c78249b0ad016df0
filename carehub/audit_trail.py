"""Reading the audit trail: django-auditlog's record changes and CareHub's audit events
(reads, exports), limited to the services the reader audits.

A change log entry names an object, not a service: ``SERVICE_PATHS`` says how each kind of
record reaches its service, so the entries can be scoped with one subquery per kind.
"""

from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, Concat

from .exports import Columns
from .models import AuditEvent, User

# "app_label.Model" -> lookup from the model to its Service (None: the Service itself).
SERVICE_PATHS = {
    "carehub.Service": None,
    "carehub.Person": "service",
    "carehub.Membership": "service",
    "carehub.User": "memberships__service",
    "consent.ConsentRecord": "person__service",
    "consent.ConsentWithdrawal": "consent__person__service",
    "consent.CapacityAssessment": "person__service",
    "consent.BestInterestsDecision": "person__service",
    "consent.Representative": "person__service",
    "consent.RepresentativeVerification": "representative__person__service",
    "consent.RepresentativeRevocation": "representative__person__service",
    "decisions.SharingRequest": "person__service",
    "decisions.Decision": "person__service",
    "decisions.Advice": "request__person__service",
    "decisions.Addendum": "decision__person__service",
    "decisions.SignOff": "decision__person__service",
    "decisions.PoliceNotification": "decision__person__service",
    "decisions.SharingAgreement": "service",
    "breaches.BreachReport": "service",
    "breaches.StatusEvent": "breach__service",
    "breaches.Assessment": "breach__service",
    "breaches.IcoSubmission": "breach__service",
    "breaches.PeopleTold": "breach__service",
    "breaches.Action": "breach__service",
    "breaches.Closure": "breach__service",
}


def audited_models():
    return [apps.get_model(label) for label in SERVICE_PATHS]


def changes_in(services) -> QuerySet[LogEntry]:
    """Change log entries for records that belong to ``services``."""
    scope = Q(pk__in=[])
    for label, path in SERVICE_PATHS.items():
        model = apps.get_model(label)
        owned = (
            model.objects.all()
            if path is None
            else model.objects.filter(**{f"{path}__in": services})
        )
        if path is None:
            owned = owned.filter(pk__in=services.values("pk"))
        pks = owned.annotate(pk_text=Cast("pk", CharField())).values("pk_text")
        scope |= Q(content_type=ContentType.objects.get_for_model(model), object_pk__in=pks)
    return LogEntry.objects.filter(scope).select_related("actor", "content_type")


def events_in(services) -> QuerySet[AuditEvent]:
    """Audit events (reads, exports, views of a breach) in ``services``."""
    return AuditEvent.objects.filter(
        Q(service__in=services)
        | Q(person__service__in=services)
        | Q(
            service__isnull=True,
            person__isnull=True,
            actor__in=User.objects.filter(memberships__service__in=services),
        )
    ).select_related("actor", "person")


# What an export of each holds (see ``carehub.exports``).
CHANGE_COLUMNS = Columns(
    {
        "change_id": F("id"),
        "at": F("timestamp"),
        "by": F("actor__username"),
        "action": Case(
            *(
                When(action=value, then=Value(str(label)))
                for value, label in LogEntry.Action.choices
            ),
            default=Cast("action", CharField()),
        ),
        "record_type": Concat("content_type__app_label", Value("."), "content_type__model"),
        "record_id": F("object_pk"),
        "record": F("object_repr"),
        "changes": F("changes"),
    },
    timestamps=frozenset({"at"}),
    json=frozenset({"changes"}),
)

EVENT_COLUMNS = Columns(
    {
        "event_id": F("id"),
        "at": F("at"),
        "by": F("actor__username"),
        "action": F("action"),
        "service": Coalesce("service__name", "person__service__name"),
        "person_id": F("person_id"),
        "person_name": Case(
            When(
                person__isnull=False,
                then=Concat("person__given_name", Value(" "), "person__family_name"),
            )
        ),
        "details": F("data"),
    },
    timestamps=frozenset({"at"}),
    json=frozenset({"details"}),
)
