"""Thin views: each checks access through ``carehub.access``, then renders."""

import base64
import io
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import access, audit, chronology, exports, mfa, page_sections, passkeys, searches
from . import audit_trail as audit_trail_
from .forms import AuditTrailForm, ConfirmIdentityForm, PersonSearchForm, TwoStepCodeForm
from .middleware import LAST_SEEN
from .models import Person, Role, User


@login_required
@require_safe
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
@require_http_methods(["GET", "HEAD", "POST"])
def person_list(request):
    """The person register: people in the user's services, searchable and paginated. A search
    is sent as a POST and kept out of the address (``carehub.searches``)."""
    access.require(request.user, "person.view")
    search = searches.search(request, PersonSearchForm)
    if search.redirect:
        return search.redirect
    services = access.services_for(request.user, "person.view").order_by("name")
    form = PersonSearchForm(search.data, services=services)
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
    return render(
        request,
        "people/person_list.html",
        {"form": form, "page": page, "query": search.query, "show_service": len(services) > 1},
    )


@login_required
@require_safe
def person_detail(request, person_id):
    """A person's page. Reading it is recorded in the audit trail."""
    person = access.visible_person_or_404(request.user, person_id)
    audit.person_viewed(actor=request.user, person=person, page="person_detail")
    sections = page_sections.sections_for(page_sections.PERSON, request, person)
    return render(request, "people/person_detail.html", {"person": person, "sections": sections})


@require_POST
def hide_screen(request):
    """One click from every page: sign out at once, so nothing stays on screen until the
    user signs in again (the page blanks itself before the request even leaves)."""
    if request.user.is_authenticated:
        audit.record("carehub.screen.hidden", actor=request.user)
        logout(request)
    messages.info(request, "Screen hidden. Sign in again to carry on.")
    return redirect("login")


@login_required
@require_POST
def keep_alive(request):
    """ "Stay signed in" from the idle warning: the request itself resets the idle clock."""
    request.session[LAST_SEEN] = int(time.time())
    return HttpResponse(status=204)


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


AUDIT_PAGE_SIZE = 50


def _audit_filter(request):
    """The audit trail's search (``carehub.searches``), its filter form and the rows it
    selects: "changes" (django-auditlog entries) or "events" (reads, exports…), in the
    services the user audits. Rows are None when the filters have errors."""
    access.require(request.user, "audit.read")
    search = searches.search(request, AuditTrailForm)
    if search.redirect:
        return search, None, "changes", None
    services = access.services_for(request.user, "audit.read")
    models = [
        (m._meta.label, m._meta.verbose_name.capitalize()) for m in audit_trail_.audited_models()
    ]
    actors = User.objects.filter(memberships__service__in=services).distinct().order_by("username")
    form = AuditTrailForm(search.data, actors=actors, models=models)
    if form.is_bound and not form.is_valid():
        return search, form, "changes", None
    data = form.cleaned_data if form.is_bound else {}
    kind = data.get("kind") or "changes"
    return search, form, kind, _audit_rows(kind, data, services)


def _audit_page(request, search, form, kind, rows):
    page = Paginator(rows if rows is not None else [], AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "carehub/audit_trail.html",
        {"form": form, "kind": kind, "page": page, "query": search.query},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def audit_trail(request):
    """Changes to records and audit events in the services the auditor audits, filtered. The
    filters are sent as a POST, a person's name kept out of the address (``carehub.searches``)."""
    search, form, kind, rows = _audit_filter(request)
    if search.redirect:
        return search.redirect
    audit.record("carehub.audit_trail.viewed", actor=request.user, data={"filters": search.filters})
    return _audit_page(request, search, form, kind, rows)


@login_required
@require_safe
def audit_trail_export(request, fmt):
    """The filtered audit trail (changes or events) as CSV or JSON Lines, streamed; the
    export is itself an event in the trail."""
    if fmt not in exports.FORMATS:
        raise Http404("Exports are CSV or JSON Lines")
    search, form, kind, rows = _audit_filter(request)
    if search.redirect:
        return search.redirect
    if search.expired:
        return redirect("audit_trail")  # with the message: never everything instead
    if rows is None:
        return _audit_page(request, search, form, kind, rows)  # the errors, not a download
    if again := mfa.ask_again(request):
        return again
    changes = kind == "changes"
    return exports.download(
        request,
        rows,
        columns=audit_trail_.CHANGE_COLUMNS if changes else audit_trail_.EVENT_COLUMNS,
        fmt=fmt,
        as_at_field="timestamp" if changes else "at",  # both logs are append-only
        action="carehub.audit_trail.exported",
        name=f"audit-{kind}",
        filters=search.filters,
    )


def _audit_rows(kind, data, services):
    if kind == "events":
        rows = audit_trail_.events_in(services).order_by("-at", "-pk")
        field = "at"
        if data.get("person"):
            for term in data["person"].split():
                rows = rows.filter(
                    Q(person__given_name__icontains=term) | Q(person__family_name__icontains=term)
                )
    else:
        rows = audit_trail_.changes_in(services).order_by("-timestamp", "-pk")
        field = "timestamp"
        if data.get("model"):
            app_label, model_name = data["model"].split(".")
            rows = rows.filter(
                content_type__app_label=app_label, content_type__model=model_name.lower()
            )
        if data.get("object_id"):
            rows = rows.filter(object_pk=data["object_id"].strip())
    if data.get("actor"):
        rows = rows.filter(actor=data["actor"])
    if data.get("date_from"):
        rows = rows.filter(**{f"{field}__date__gte": data["date_from"]})
    if data.get("date_to"):
        rows = rows.filter(**{f"{field}__date__lte": data["date_to"]})
    return rows


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_step_verify(request):
    """The second step of signing in: a code from the app, or a backup code."""
    with_passkey = passkeys.has_passkey(request.user)
    if mfa.app_device(request.user) is None and not with_passkey:
        return redirect(mfa.login_url("two_step_setup", request))
    form = TwoStepCodeForm(request.POST or None)
    if form.is_valid():
        waiting = mfa.must_wait(request.user)  # after earlier wrong codes: no code is checked
        if mfa.verify(request, form.cleaned_data["code"]):
            return redirect(mfa.next_url(request))
        form.add_error(
            "code",
            mfa.WAIT_MESSAGE
            if waiting
            else "That code is not right. Enter the 6 digits your app shows now (they change "
            "every 30 seconds), or a backup code you have not used.",
        )
    return render(
        request,
        "registration/two_step_verify.html",
        {
            "form": form,
            "next": mfa.next_url(request),
            "passkey_config": passkeys.config(request) if with_passkey else None,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_security(request):
    """The user's own second steps: add a passkey or security key, or remove one. Asks who
    they are again if they have not proved it in the last few minutes."""
    if again := mfa.ask_again(request):
        return again
    if request.method == "POST":
        if passkeys.remove(request.user, request.POST.get("remove", "")):
            messages.success(request, "The passkey has been removed.")
        else:
            messages.info(request, "That passkey had already been removed.")
        return redirect("sign_in_security")
    has_app = mfa.app_device(request.user) is not None
    return render(
        request,
        "registration/sign_in_security.html",
        {
            "has_app": has_app,
            "passkeys": passkeys.for_user(request.user),
            "passkey_config": passkeys.config(request) if has_app else None,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_step_setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), enter a first code,
    and keep the ten backup codes shown once."""
    if mfa.app_device(request.user) is not None:
        return redirect(mfa.next_url(request))
    if not request.user.is_verified() and passkeys.has_passkey(request.user):
        # A second step exists already: it is used first, so that a password alone never
        # sets up a new one.
        return redirect(mfa.login_url("two_step_verify", request))
    device = mfa.start_app_setup(request.user)
    form = TwoStepCodeForm(request.POST or None, submit="Turn on two-step sign-in")
    if form.is_valid():
        waiting = mfa.must_wait(request.user, confirmed=False)
        with transaction.atomic():
            codes = mfa.confirm_app(request, device, form.cleaned_data["code"])
        if codes is not None:
            return render(
                request,
                "registration/two_step_backup_codes.html",
                {"codes": codes, "next": mfa.next_url(request)},
            )
        form.add_error(
            "code",
            mfa.WAIT_MESSAGE
            if waiting
            else "That code is not right. Check the app shows CareHub, then enter the 6 digits "
            "it shows now.",
        )
    key = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_step_setup.html",
        {
            "form": form,
            "key_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
            "next": mfa.next_url(request),
        },
    )


@login_required
@require_safe
def two_step_qr(request):
    """The QR code of the app being set up, as SVG (an image from CareHub itself, so the
    Content Security Policy allows it)."""
    device = mfa.app_device(request.user, confirmed=False)
    if device is None:
        raise Http404("Nothing is being set up")
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_identity(request):
    """Before an export or download: the password again (and a code, with an app), unless
    given in the last few minutes."""
    with_code = mfa.app_device(request.user) is not None
    form = ConfirmIdentityForm(request.POST or None, with_code=with_code)
    if form.is_valid():
        user = authenticate(
            request, username=request.user.get_username(), password=form.cleaned_data["password"]
        )
        if user is None or user.pk != request.user.pk:
            form.add_error("password", "That password is not right")
        elif with_code and (
            (waiting := mfa.must_wait(request.user))
            or not mfa.verify(request, form.cleaned_data["code"])
        ):
            form.add_error("code", mfa.WAIT_MESSAGE if waiting else "That code is not right")
        else:
            mfa.mark_authenticated(request)
            audit.record("carehub.identity.confirmed", actor=request.user)
            return redirect(mfa.next_url(request))
    return render(
        request,
        "registration/confirm_identity.html",
        {
            "form": form,
            "next": mfa.next_url(request),
            "passkey_config": (
                passkeys.config(request, confirming=True)
                if passkeys.has_passkey(request.user)
                else None
            ),
        },
    )
