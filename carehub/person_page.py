"""Sections of a person's page that the domain apps contribute.

Core never imports the domain apps: each registers its section in ``AppConfig.ready`` with a
template and a function that builds the section's context for the signed-in user.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable  # (request, person) -> dict
    order: int


_SECTIONS: list[Section] = []


def register(*, template: str, context: Callable, order: int) -> None:
    _SECTIONS.append(Section(template, context, order))
    _SECTIONS.sort(key=lambda section: section.order)


def sections_for(request, person) -> list[dict]:
    return [
        {"template": section.template, **section.context(request, person)} for section in _SECTIONS
    ]
