"""Template filters for CareHub's forms."""

import hashlib

from crispy_forms.utils import render_crispy_form
from crispy_forms_gds.templatetags.crispy_forms_gds import field_errors
from django import forms, template
from django.core.cache import cache
from django.utils.safestring import mark_safe

from carehub.searches import private_fields_of

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


FILTER_FORM_SECONDS = 600


@register.simple_tag
def filter_form(form) -> str:
    """A filter form rendered by crispy-forms, reused while nothing it shows has changed.

    Rendering a dozen GOV.UK fields costs more than the rows of a list page, and a filter form
    is the same for every page of the same filters. The key holds everything the HTML is made
    from: the form's class, the values typed, and every field's choices (so a new service or
    member of staff is a new key). A form with errors is always rendered afresh, and so is one
    holding a search by name (its ``private_fields``, see ``carehub.searches``): a person's
    name is never kept in the cache."""
    if form.errors or any(form.data.get(name) for name in private_fields_of(type(form))):
        return render_crispy_form(form)
    choices = []
    for name, field in form.fields.items():
        if isinstance(field, forms.ChoiceField):
            listed = [(str(value), str(label)) for value, label in field.choices]
            field.widget.choices = listed  # queried once, for the key and the HTML alike
            choices.append((name, listed))
    data = sorted((k, form.data.getlist(k)) for k in form.data if k in form.fields)
    material = repr((type(form).__module__, type(form).__qualname__, data, choices))
    key = "filter-form:" + hashlib.sha256(material.encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render_crispy_form(form)
        cache.set(key, html, FILTER_FORM_SECONDS)
    return mark_safe(html)  # noqa: S308 - crispy's own escaped output, as rendered above
