"""Reading the audit trail: django-auditlog's record changes and CareHub's audit events
(reads, exports), limited to the services the reader audits.

A change log entry names an object, not a service: ``SERVICE_PATHS`` says how each kind of
record reaches its service, so the entries can be scoped with one subquery per kind.
"""

from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from .models import AuditEvent

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
    return (
        AuditEvent.objects.filter(
            Q(service__in=services)
            | Q(person__service__in=services)
            | Q(service__isnull=True, person__isnull=True, actor__memberships__service__in=services)
        )
        .distinct()
        .select_related("actor", "person")
    )
