"""The filters of the decision history (django-filter), limited to what the user may see."""

import django_filters
from crispy_forms_gds.layout import Field
from django import forms
from django.db.models import F, Q

from carehub.forms import govuk_helper
from carehub.models import Service, User

from .models import Decision, Route

YES_NO_ALL = [("", "All"), ("yes", "Yes"), ("no", "No")]
SIGN_OFF = [
    ("", "All"),
    ("pending", "Awaiting sign-off"),
    ("signed", "Signed off"),
    ("none", "Not needed"),
]


class HistoryForm(forms.Form):
    private_fields = ("person",)  # a name or NHS number: never in an address (carehub.searches)

    def clean(self):
        data = super().clean()
        start, end = data.get("decided_from"), data.get("decided_to")
        if start and end and end < start:
            self.add_error(
                "decided_to", "The 'to' date must be the same as or after the 'from' date"
            )
        return data


class DecisionHistoryFilter(django_filters.FilterSet):
    service = django_filters.ModelChoiceFilter(
        field_name="person__service",
        queryset=Service.objects.none(),
        label="Service",
        empty_label="All",
    )
    person = django_filters.CharFilter(
        method="filter_person", label="Person's name or NHS number", max_length=100
    )
    route = django_filters.ChoiceFilter(
        field_name="request__route", choices=Route.choices, label="Route", empty_label="All"
    )
    final = django_filters.ChoiceFilter(
        choices=Decision.Final.choices, label="Decision", empty_label="All"
    )
    departed = django_filters.ChoiceFilter(
        choices=YES_NO_ALL[1:],
        method="filter_departed",
        label="Departed from the recommendation",
        empty_label="All",
    )
    sign_off = django_filters.ChoiceFilter(
        choices=SIGN_OFF[1:], method="filter_sign_off", label="Sign-off", empty_label="All"
    )
    decided_by = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(), label="Decided by", empty_label="Anyone"
    )
    decided_from = django_filters.DateFilter(
        field_name="decided_at",
        lookup_expr="date__gte",
        label="Decided from (YYYY-MM-DD)",
        input_formats=["%Y-%m-%d"],
    )
    decided_to = django_filters.DateFilter(
        field_name="decided_at",
        lookup_expr="date__lte",
        label="Decided to (YYYY-MM-DD)",
        input_formats=["%Y-%m-%d"],
    )
    sort = django_filters.OrderingFilter(
        fields=(("decided_at", "decided"), ("person__family_name", "person")),
        field_labels={"decided_at": "Date decided", "person__family_name": "Person"},
        label="Sort by",
        empty_label="Newest first",
    )

    class Meta:
        model = Decision
        fields = []
        form = HistoryForm

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["service"].queryset = services
        self.filters["decided_by"].queryset = User.objects.filter(
            memberships__service__in=services
        ).distinct()
        for field in self.form.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = "Select an option from the list"  # noqa: S608
        self.form.fields["decided_from"].error_messages["invalid"] = (
            "Enter a real date, for example 2026-03-27"
        )
        self.form.fields["decided_to"].error_messages["invalid"] = (
            "Enter a real date, for example 2026-03-27"
        )
        self.form.helper = govuk_helper(
            self.form,
            *(Field(name) for name in self.form.fields),
            submit="Filter",
        )

    def filter_person(self, queryset, name, value):
        for term in value.split():
            digits = term.replace("-", "")
            queryset = queryset.filter(
                Q(person__given_name__icontains=term)
                | Q(person__family_name__icontains=term)
                | Q(person__nhs_number__startswith=digits)
            )
        return queryset

    def filter_departed(self, queryset, name, value):
        departed = Q(recommendation__in=["share", "withhold"]) & ~Q(final=F("recommendation"))
        return queryset.filter(departed) if value == "yes" else queryset.exclude(departed)

    def filter_sign_off(self, queryset, name, value):
        if value == "pending":
            return queryset.filter(needs_sign_off=True, sign_off__isnull=True)
        if value == "signed":
            return queryset.filter(sign_off__isnull=False)
        return queryset.filter(needs_sign_off=False)
