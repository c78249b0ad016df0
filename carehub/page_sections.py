"""Sections of core pages (the person page, the home page) that the domain apps contribute.

Core never imports the domain apps: each registers its sections in ``AppConfig.ready`` with a
template and a function that builds the section's context for the signed-in user (returning
None leaves the section out).
"""

from collections.abc import Callable
from dataclasses import dataclass

PERSON = "person"
HOME = "home"


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable  # (request, obj) -> dict | None
    order: int


_SECTIONS: dict[str, list[Section]] = {PERSON: [], HOME: []}


def register(page: str, *, template: str, context: Callable, order: int) -> None:
    _SECTIONS[page].append(Section(template, context, order))
    _SECTIONS[page].sort(key=lambda section: section.order)


def sections_for(page: str, request, obj=None) -> list[dict]:
    sections = []
    for section in _SECTIONS[page]:
        context = section.context(request, obj)
        if context is not None:
            sections.append({"template": section.template, **context})
    return sections
