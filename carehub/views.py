"""Thin views: each checks access through ``carehub.access``, then renders."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import access, audit, chronology, page_sections
from .forms import PersonSearchForm
from .models import Person, Role


@login_required
def home(request):
    """One page with a section for each role the user holds."""
    memberships = list(access.memberships_of(request.user))
    roles = {m.role for m in memberships}
    context = {"roles": roles, "memberships": memberships}
    if roles & access.PERMISSIONS["person.view"]:
        context["service_counts"] = (
            access.services_for(request.user, "person.view")
            .annotate(
                supported=Count("people", filter=Q(people__is_active=True)),
                left=Count("people", filter=Q(people__is_active=False)),
            )
            .order_by("name")
        )
    if Role.ADMIN in roles:
        context["administered_services"] = access.services_for(
            request.user, "service.administer"
        ).annotate(staff=Count("memberships__user", distinct=True))
    context["sections"] = page_sections.sections_for(page_sections.HOME, request)
    return render(request, "carehub/home.html", context)


@login_required
def person_list(request):
    """The person register: people in the user's services, searchable and paginated."""
    access.require(request.user, "person.view")
    services = access.services_for(request.user, "person.view").order_by("name")
    form = PersonSearchForm(request.GET or None, services=services)
    people = access.people_visible_to(request.user)
    status = "active"
    if form.is_bound and not form.is_valid():
        people = Person.objects.none()
    elif form.is_bound:
        data = form.cleaned_data
        status = data["status"] or "active"
        if data["service"]:
            people = people.filter(service=data["service"])
        if nhs := form.nhs_number_query():
            people = people.filter(nhs_number__startswith=nhs)
        elif data["q"]:
            for term in data["q"].split():
                people = people.filter(
                    Q(given_name__icontains=term)
                    | Q(family_name__icontains=term)
                    | Q(preferred_name__icontains=term)
                )
    if status == "active":
        people = people.filter(is_active=True)
    elif status == "left":
        people = people.filter(is_active=False)
    page = Paginator(people, settings.REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/person_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "show_service": len(services) > 1},
    )


@login_required
def person_detail(request, person_id):
    """A person's page. Reading it is recorded in the audit trail."""
    person = access.visible_person_or_404(request.user, person_id)
    audit.person_viewed(actor=request.user, person=person, page="person_detail")
    sections = page_sections.sections_for(page_sections.PERSON, request, person)
    return render(request, "people/person_detail.html", {"person": person, "sections": sections})


def csrf_failure(request, reason=""):
    """A stale or doubled form: explain, in the design system, and change nothing."""
    return render(request, "403_csrf.html", status=403)


@login_required
@require_safe
def person_chronology(request, person_id):
    """Everything about one person in time order, printable to hand to them on request."""
    person = access.visible_person_or_404(request.user, person_id)
    audit.person_viewed(actor=request.user, person=person, page="chronology")
    return render(
        request,
        "people/chronology.html",
        {"person": person, "entries": chronology.for_person(person)},
    )
