"""What the breach register's export holds (see ``carehub.exports`` for how it is streamed):
references, dates and categories only, never what happened or who was affected."""

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, LPad

from carehub.exports import Columns

from . import grading
from .models import BreachReport, Category, Status


def _label(field: str, choices) -> Case:
    return Case(
        *(When(**{field: value}, then=Value(label)) for value, label in choices),
        default=F(field),
        output_field=CharField(),
    )


def _people_named():
    return Coalesce(
        Subquery(
            BreachReport.people.through.objects.filter(breachreport=OuterRef("pk"))
            .order_by()
            .values("breachreport")
            .annotate(total=Count("person"))
            .values("total")
        ),
        0,
        output_field=IntegerField(),
    )


# Over the register's rows, which carry ``current_status`` and ``notifiable`` (its latest
# grading) as annotations.
COLUMNS = Columns(
    {
        "reference": Concat(Value("BR-"), LPad(Cast("number", CharField()), 5, Value("0"))),
        "service": F("service__name"),
        "status": _label("current_status", Status.choices),
        "near_miss": Case(When(near_miss=True, then=Value("yes")), default=Value("no")),
        "category": _label("category", Category.choices),
        "occurred_at": F("occurred_at"),
        "discovered_at": F("discovered_at"),
        # 72 elapsed hours (grading.ico_deadline): PostgreSQL adds hours as elapsed time.
        "ico_deadline": ExpressionWrapper(
            F("discovered_at") + grading.ICO_DEADLINE, output_field=DateTimeField()
        ),
        "notifiable": Case(
            When(notifiable=True, then=Value("yes")),
            When(notifiable=False, then=Value("no")),
            default=Value("not assessed"),
        ),
        "ico_submitted_at": F("ico_submission__submitted_at"),
        "ico_reference": Coalesce(F("ico_submission__ico_reference"), Value("")),
        "people_affected": ExpressionWrapper(
            _people_named() + F("other_people_count"), output_field=IntegerField()
        ),
        "information": Func(
            F("information"), Value(";"), function="array_to_string", output_field=CharField()
        ),
        "closed_at": F("closure__recorded_at"),
    },
    timestamps=frozenset(
        {"occurred_at", "discovered_at", "ico_deadline", "ico_submitted_at", "closed_at"}
    ),
)
