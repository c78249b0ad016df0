"""Forms for signing in and searching the register, and the pieces every CareHub form shares
(GOV.UK date inputs, yes/no questions, the submit-once key), rendered with GOV.UK patterns."""

import uuid
from datetime import date, datetime, time

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone

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


class TwoStepCodeForm(forms.Form):
    """The second step of signing in: a code from the authenticator app, or a backup code."""

    code = forms.CharField(
        label="Code",
        help_text="The 6 digits your authenticator app shows now, or one of your backup codes",
        max_length=20,
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, submit="Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.text("code", field_width=10), Button("submit", submit))


class ConfirmIdentityForm(forms.Form):
    """Before a sensitive action: the password again, and a code where the user has an app."""

    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    code = TwoStepCodeForm.base_fields["code"]

    def __init__(self, *args, with_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.text("password", field_width=Fluid.ONE_THIRD)]
        if with_code:
            fields.append(Field.text("code", field_width=10))
        else:
            del self.fields["code"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*fields, Button("submit", "Continue"))


class PersonSearchForm(forms.Form):
    """Search by name or NHS number, filter by service and by whether still supported."""

    STATUS_CHOICES = [("active", "Currently supported"), ("left", "Left"), ("all", "Everyone")]
    private_fields = ("q",)  # a name or NHS number: never in an address (carehub.searches)

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
        self.helper.form_method = "post"  # with its CSRF token; see carehub.searches
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


class DateField(DateInputField):
    """A GOV.UK date input (day, month, year) with plain-English messages for every mistake.

    ``when="past"`` accepts only today or earlier (something that has happened);
    ``when="future"`` only today or later (a review date)."""

    def __init__(
        self,
        *,
        label: str,
        help_text: str = "",
        required: bool = True,
        when: str | None = None,
        **kwargs,
    ):
        if when not in (None, "past", "future"):
            raise ValueError(f"when must be 'past', 'future' or None, not {when!r}")
        self.when = when
        super().__init__(label=label, help_text=help_text, required=required, **kwargs)
        self.error_messages["required"] = f"Enter the {label.lower()}"
        self.error_messages["incomplete"] = f"Enter the {label.lower()} as day, month and year"
        for part in self.fields:
            part.validators = [
                RegexValidator(r"^\s*[0-9]+\s*$", f"Enter the {label.lower()} using numbers only")
            ]

    def compress(self, data_list):
        day, month, year = (value.strip() if value else value for value in data_list)
        if not (day and month and year):
            return None
        if len(year) != 4:
            raise ValidationError("Enter the year as 4 digits, for example 2025")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(
                f"The {self.label.lower()} must be a real date, for example 27 3 2025"
            ) from None

    def validate(self, value):
        super().validate(value)
        if value is not None and self.when == "past":
            not_in_the_future(value, self.label.lower())
        elif value is not None and self.when == "future":
            not_in_the_past(value, self.label.lower())


class TimeField(forms.Field):
    """A time typed on the 24-hour clock ("14:30"), checked and returned as a ``time``."""

    def __init__(self, *, label: str, required: bool = True, **kwargs):
        kwargs.setdefault("help_text", "24-hour clock, for example 14:30")
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"})
        )
        super().__init__(label=label, required=required, **kwargs)
        self.error_messages["required"] = f"Enter the {label.lower()}, for example 14:30"
        self.error_messages["invalid"] = f"Enter the {label.lower()}, for example 14:30"

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        try:
            return time.fromisoformat(value) if len(value) == 5 and value[2] == ":" else None
        except ValueError:
            return None

    def clean(self, value):
        typed = bool((value or "").strip())
        parsed = super().clean(value)
        if typed and parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


def local_datetime(day: date, at: time) -> datetime:
    """A date and time as staff read them on the wall clock (TIME_ZONE), made timezone-aware."""
    return timezone.make_aware(datetime.combine(day, at))


def yes_no(label: str, *, help_text: str = "", yes: str = "Yes", no: str = "No"):
    """A required yes/no question answered with radios, giving True or False."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[(True, yes), (False, no)],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        error_messages={"required": f"Select yes or no: {label[0].lower()}{label[1:]}"},
    )


def govuk_helper(form, *fields, submit: str) -> FormHelper:
    """The crispy-forms-gds layout of a CareHub form inside the page's own ``<form>`` tag:
    the fields, the form's submit-once key if it has one, and one submit button."""
    helper = FormHelper()
    helper.form_tag = False
    hidden = [Field("submission_key")] if "submission_key" in form.fields else []
    helper.layout = Layout(*fields, *hidden, Button("submit", submit))
    return helper


def plain_messages(form, **what: str) -> None:
    """Plain-English messages field by field: "Select …" for a choice, "Enter …" otherwise."""
    for name, text in what.items():
        field = form.fields[name]
        if isinstance(field, forms.ChoiceField):  # includes multiple and model choices
            field.error_messages["required"] = f"Select {text}"
            field.error_messages["invalid_choice"] = f"Select {text} from the list"  # noqa: S608
        else:
            field.error_messages["required"] = f"Enter {text}"


class GovukFormMixin:
    """GOV.UK radios offer only real answers: Django's blank "---------" choice is dropped
    (a missing answer is still caught by the field's "required" message)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.RadioSelect):
                continue
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = None  # its choices follow its queryset: keep them lazy
            elif isinstance(field, forms.ChoiceField):
                field.choices = [choice for choice in field.choices if choice[0] != ""]


class SubmitOnceForm(GovukFormMixin, forms.Form):
    """Carries a key made when the form is first shown. The service that saves the record
    stores it (unique), so a second press of the button, a reload or a resend finds the first
    record instead of making a second."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["submission_key"].error_messages = {
            "required": "This form has expired. Reload the page and try again",
            "invalid": "This form has expired. Reload the page and try again",
        }


def not_in_the_future(value: date, what: str) -> None:
    if value > timezone.localdate():
        raise ValidationError(f"The {what} must be today or in the past")


def not_in_the_past(value: date, what: str) -> None:
    if value < timezone.localdate():
        raise ValidationError(f"The {what} must be today or in the future")


class AuditTrailForm(GovukFormMixin, forms.Form):
    """Filters of the audit trail viewer."""

    private_fields = ("person",)  # a name: never in an address (carehub.searches)

    kind = forms.ChoiceField(
        label="Show",
        choices=[("changes", "Changes to records"), ("events", "Reads, exports and other events")],
        widget=forms.RadioSelect,
        required=False,
    )
    actor = forms.ModelChoiceField(label="By", queryset=None, required=False, empty_label="Anyone")
    model = forms.ChoiceField(label="Kind of record (changes only)", required=False)
    object_id = forms.CharField(label="Record id (changes only)", required=False, max_length=64)
    person = forms.CharField(label="Person's name (events only)", required=False, max_length=100)
    # Only ISO dates: "10/03/2026" is 10 March here but 3 October to Django's defaults.
    date_from = forms.DateField(
        label="From (YYYY-MM-DD)", required=False, input_formats=["%Y-%m-%d"]
    )
    date_to = forms.DateField(label="To (YYYY-MM-DD)", required=False, input_formats=["%Y-%m-%d"])

    def __init__(self, *args, actors, models, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors
        self.fields["model"].choices = [("", "Any"), *models]
        for name in ("kind", "actor", "model"):
            self.fields[name].error_messages["invalid_choice"] = "Select an option from the list"  # noqa: S608
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = (
                "Enter a real date, for example 2026-03-27"
            )
        self.helper = govuk_helper(self, *(Field(name) for name in self.fields), submit="Filter")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data
