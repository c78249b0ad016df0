"""The cached filter form: the same HTML crispy-forms renders, and never stale."""

from crispy_forms.utils import render_crispy_form
from django.core.cache import cache
from django.http import QueryDict

from carehub.models import Role, Service
from carehub.templatetags.carehub_forms import filter_form
from decisions.filters import DecisionHistoryFilter
from decisions.models import Decision
from tests.factories import ServiceFactory


def _form(data, services):
    return DecisionHistoryFilter(
        QueryDict(data) if data else None,
        queryset=Decision.objects.all(),
        services=services,
    ).form


def test_the_html_is_crispys_and_follows_what_was_typed_and_the_choices(service_a):
    cache.clear()
    services = Service.objects.filter(pk=service_a.pk)
    for data in ("", "final=withhold", "final=share&decided_from=2026-01-01"):
        expected = str(render_crispy_form(_form(data, services)))
        assert str(filter_form(_form(data, services))) == expected  # rendered
        assert str(filter_form(_form(data, services))) == expected  # reused
    assert 'value="withhold" selected' not in str(filter_form(_form("final=share", services)))

    # A service added to the choices is a different form, never the cached one.
    other = ServiceFactory(name="Birch Court")
    both = Service.objects.filter(pk__in=[service_a.pk, other.pk])
    assert "Birch Court" in str(filter_form(_form("final=withhold", both)))


def test_a_new_member_of_staff_appears_at_once(service_a, make_user):
    cache.clear()
    services = Service.objects.filter(pk=service_a.pk)
    filter_form(_form("", services))
    make_user(Role.CARE_STAFF, service_a, first_name="Newly", last_name="Joined")
    assert "Newly Joined" in str(filter_form(_form("", services)))


def test_a_form_with_errors_is_always_rendered_afresh(service_a, monkeypatch):
    cache.clear()
    stored = []
    monkeypatch.setattr(cache, "set", lambda key, *args, **kwargs: stored.append(key))
    services = Service.objects.filter(pk=service_a.pk)
    html = str(filter_form(_form("decided_from=2026-03-10&decided_to=2026-03-01", services)))
    assert "same as or after" in html
    assert stored == []
    filter_form(_form("final=share", services))
    assert len(stored) == 1
