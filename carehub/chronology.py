"""Everything about one person in time order. Each domain app registers a function that lists
its entries for a person (in ``AppConfig.ready``); core adds who viewed the person's records."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from .audit import PERSON_VIEWED
from .models import AuditEvent, Person


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str  # a short plain-English heading, e.g. "Consent withdrawn"
    summary: str
    actor: object = None  # the member of staff, when one is named
    url: str = ""


_PROVIDERS: list[Callable[[Person], Iterable[Entry]]] = []


def register(provider: Callable[[Person], Iterable[Entry]]) -> None:
    _PROVIDERS.append(provider)


def views_of(person: Person) -> Iterable[Entry]:
    for event in AuditEvent.objects.filter(person=person, action=PERSON_VIEWED).select_related(
        "actor"
    ):
        page = str(event.data.get("page", "")).replace("_", " ")
        yield Entry(event.at, "Records viewed", f"Opened the {page} page", event.actor)


def for_person(person: Person) -> list[Entry]:
    entries = [entry for provider in (*_PROVIDERS, views_of) for entry in provider(person)]
    return sorted(entries, key=lambda entry: entry.at)
