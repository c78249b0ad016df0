"""Forms for signing in and searching the person register, rendered with GOV.UK patterns."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .validators import normalise_nhs_number

SEARCH_MAX_LENGTH = 100


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("username", field_width=Fluid.ONE_THIRD),
            Field.text("password", field_width=Fluid.ONE_THIRD),
            Button("submit", "Sign in"),
        )


class PersonSearchForm(forms.Form):
    """Search by name or NHS number, filter by service and by whether still supported."""

    STATUS_CHOICES = [("active", "Currently supported"), ("left", "Left"), ("all", "Everyone")]

    q = forms.CharField(
        label="Name or NHS number",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        error_messages={
            "max_length": f"Search for at most {SEARCH_MAX_LENGTH} characters",
        },
    )
    service = forms.ModelChoiceField(
        label="Service",
        queryset=None,
        required=False,
        empty_label="All your services",
        error_messages={"invalid_choice": "Choose one of your services"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=STATUS_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose a status from the list"},
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.text("q", field_width=Fluid.ONE_HALF),
            Field.select("service"),
            Field.select("status"),
            Button("search", "Search", css_class="govuk-button--secondary"),
        )

    def clean_q(self) -> str:
        value = self.cleaned_data["q"].strip()
        if any(ord(ch) < 32 for ch in value):
            raise forms.ValidationError("Search using letters, numbers and spaces only")
        return value

    def nhs_number_query(self) -> str | None:
        """The search as an NHS number, when it looks like one (digits, spaces, hyphens)."""
        digits = normalise_nhs_number(self.cleaned_data.get("q", ""))
        return digits if digits.isascii() and digits.isdigit() else None
