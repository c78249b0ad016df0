"""The one helper for writing the explicit audit trail.

Field-level changes to every model are captured by django-auditlog (see settings). What a
change log cannot see — somebody *reading* a person's records, exporting, signing in — is
written here as an ``AuditEvent`` with a dotted action name, e.g. ``carehub.person.viewed``.
"""

from typing import Any

from .models import AuditEvent, Person, Service

PERSON_VIEWED = "carehub.person.viewed"


def _storable(value):
    """``value`` with NUL characters replaced: PostgreSQL's jsonb cannot hold them, and filters
    typed into a URL can contain anything."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def record(
    action: str,
    *,
    actor,
    person: Person | None = None,
    service: Service | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event to the audit trail. ``data`` must not hold secrets."""
    if service is None and person is not None:
        service = person.service
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        person=person,
        service=service,
        data=_storable(data or {}),
    )


def person_viewed(*, actor, person: Person, page: str) -> AuditEvent:
    """Record that ``actor`` read ``person``'s records on ``page`` (a page name, not a URL)."""
    return record(PERSON_VIEWED, actor=actor, person=person, data={"page": page})
