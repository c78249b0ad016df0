"""Template filters for CareHub's forms."""

from crispy_forms_gds.templatetags.crispy_forms_gds import field_errors
from django import forms, template

register = template.Library()


@register.filter
def focus_target(bound_field) -> str:
    """The id of the element an error-summary link should focus for this field: the first
    option of a group of radios or checkboxes, the day box of a date, else the input itself.
    (GOV.UK's error summary moves focus to the link's target, so it must be focusable.)"""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound_field.html_name}_1"
    if isinstance(widget, forms.MultiWidget):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.filter
def error_links(bound_field) -> list[tuple[str, str]]:
    """Each error of the field with the id its link should point at."""
    target = focus_target(bound_field)
    return [
        (target if field_id == bound_field.auto_id else field_id, error)
        for field_id, errors in field_errors(bound_field)
        for error in errors
    ]
