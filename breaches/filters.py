"""The breach register's filters."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms

from carehub.forms import DateField, GovukFormMixin

from .models import Category, Status


class RegisterFilterForm(GovukFormMixin, forms.Form):
    service = forms.ModelChoiceField(
        label="Service", queryset=None, required=False, empty_label="All"
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "All"), *Status.choices], required=False
    )
    category = forms.ChoiceField(
        label="Kind of breach", choices=[("", "All"), *Category.choices], required=False
    )
    notifiable = forms.ChoiceField(
        label="Reportable to the ICO",
        choices=[("", "All"), ("yes", "Yes"), ("no", "No"), ("unassessed", "Not yet assessed")],
        required=False,
    )
    discovered_from = DateField(label="Discovered from", required=False)
    discovered_to = DateField(label="Discovered to", required=False)

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        for name in ("service", "status", "category", "notifiable"):
            self.fields[name].error_messages["invalid_choice"] = "Select an option from the list"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.select("service"),
            Field.select("status"),
            Field.select("category"),
            Field.select("notifiable"),
            Field("discovered_from"),
            Field("discovered_to"),
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("discovered_from"), data.get("discovered_to")
        if start and end and end < start:
            self.add_error(
                "discovered_to", "The 'to' date must be the same as or after the 'from' date"
            )
        return data

    def filter(self, breaches):
        data = self.cleaned_data
        if data.get("service"):
            breaches = breaches.filter(service=data["service"])
        if data.get("category"):
            breaches = breaches.filter(category=data["category"])
        if data.get("status"):
            breaches = breaches.filter(current_status=data["status"])
        notifiable = data.get("notifiable")
        if notifiable == "yes":
            breaches = breaches.filter(notifiable=True)
        elif notifiable == "no":
            breaches = breaches.filter(notifiable=False)
        elif notifiable == "unassessed":
            breaches = breaches.filter(notifiable__isnull=True)
        if data.get("discovered_from"):
            breaches = breaches.filter(discovered_at__date__gte=data["discovered_from"])
        if data.get("discovered_to"):
            breaches = breaches.filter(discovered_at__date__lte=data["discovered_to"])
        return breaches
