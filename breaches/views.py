"""Pages for breach reports: report in three short pages, review, register and export.

Thin views: the service and the breach are found through ``carehub.access``; a confidential
(whistleblowing) reporter's name is shown only to the reporter and to administrators.
"""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from carehub import access, audit, mfa
from carehub import exports as carehub_exports
from carehub.models import Person
from decisions.models import Decision

from . import exports, forms, services
from .filters import RegisterFilterForm
from .models import Assessment, BreachReport, Category, Status, StatusEvent

GET_POST = require_http_methods(["GET", "POST"])
DRAFT = "breach_report_draft"


# --- reporting ---------------------------------------------------------------------------------


def _draft(request) -> dict:
    return request.session.get(DRAFT, {})


def _save_draft(request, **parts) -> None:
    request.session[DRAFT] = {**_draft(request), **parts}


def _decision_from(request, value):
    """A sharing decision the report is about, if the reporter may see it."""
    if not value:
        return None
    try:
        return Decision.objects.filter(
            pk=value, person__in=access.people_visible_to(request.user)
        ).first()
    except (ValueError, TypeError):
        return None


def _page1_initial(page1: dict | None) -> dict:
    """Page 1 as it was answered, for going back to change it."""
    if not page1:
        return {}
    initial = {k: v for k, v in page1.items() if not k.endswith("_at")}
    for prefix in ("occurred", "discovered"):
        moment = timezone.localtime(datetime.fromisoformat(page1[f"{prefix}_at"]))
        initial[f"{prefix}_on"] = moment.date()
        initial[f"{prefix}_time"] = moment.strftime("%H:%M")
    return initial


@login_required
@GET_POST
def report_start(request):
    """Page 1: what happened and when."""
    services_ = access.services_for(request.user, "breach.report").order_by("name")
    access.require(request.user, "breach.report")
    if "decision" in request.GET:
        decision = _decision_from(request, request.GET["decision"])
        request.session[DRAFT] = {"decision": str(decision.pk)} if decision else {}
    initial = _page1_initial(_draft(request).get("page1"))
    if not initial and (decision := _decision_from(request, _draft(request).get("decision"))):
        initial = {
            "service": decision.person.service_id,
            "category": Category.SHARED_WITHOUT_CONSENT,
        }
    elif services_.count() == 1:
        initial.setdefault("service", services_.first().pk)
    form = forms.WhatHappenedForm(request.POST or None, services=services_, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        _save_draft(
            request,
            page1={
                "service": data["service"].pk,
                "what_happened": data["what_happened"],
                "category": data["category"],
                "category_other": data["category_other"].strip(),
                "near_miss": data["near_miss"],
                "occurred_at": data["occurred_at"].isoformat(),
                "discovered_at": data["discovered_at"].isoformat(),
            },
        )
        return redirect("breaches:report_people")
    return render(
        request, "breaches/report_page.html", {"form": form, "title": "Report a breach", "step": 1}
    )


def _page1(request):
    page1 = _draft(request).get("page1")
    if not page1:
        return None, None
    service = access.services_for(request.user, "breach.report").filter(pk=page1["service"]).first()
    return page1, service


@login_required
@GET_POST
def report_people(request):
    """Page 2: who is affected and what information."""
    page1, service = _page1(request)
    if service is None:
        return redirect("breaches:report_start")
    # Only someone who may read the service's register sees its people; others give a number.
    people = (
        access.people_visible_to(request.user).filter(service=service, is_active=True)
        if access.can(request.user, "person.view", service)
        else Person.objects.none()
    )
    form = forms.WhoAndWhatForm(
        request.POST or None, people=people, initial=_draft(request).get("page2")
    )
    if form.is_valid():
        data = form.cleaned_data
        _save_draft(
            request,
            page2={
                "people": [str(p.pk) for p in data["people"]],
                "other_people_count": data["other_people_count"],
                "information": data["information"],
                "containment": data["containment"].strip(),
            },
        )
        return redirect("breaches:report_check")
    return render(
        request,
        "breaches/report_page.html",
        {
            "form": form,
            "title": "Who and what is affected",
            "step": 2,
            "service": service,
            "back_url": reverse("breaches:report_start"),
        },
    )


@login_required
@GET_POST
def report_check(request):
    """Page 3: check the report, choose whether to hide the reporter's name, submit."""
    page1, service = _page1(request)
    page2 = _draft(request).get("page2")
    if service is None or page2 is None:
        return redirect("breaches:report_start")
    people = list(
        access.people_visible_to(request.user).filter(service=service, pk__in=page2["people"])
    )
    decision = _decision_from(request, _draft(request).get("decision"))
    form = forms.SubmitReportForm(request.POST or None)
    if form.is_valid():
        report = BreachReport(
            service=service,
            confidential=form.cleaned_data["confidential"],
            near_miss=page1["near_miss"],
            what_happened=page1["what_happened"],
            category=page1["category"],
            category_other=page1["category_other"],
            occurred_at=datetime.fromisoformat(page1["occurred_at"]),
            discovered_at=datetime.fromisoformat(page1["discovered_at"]),
            other_people_count=page2["other_people_count"],
            information=page2["information"],
            containment=page2["containment"],
            decision=decision if decision and decision.person.service_id == service.pk else None,
        )
        saved = services.submit_report(
            report=report,
            people=people,
            user=request.user,
            submission_key=form.cleaned_data["submission_key"],
            link_for=lambda r: request.build_absolute_uri(r.get_absolute_url()),
        )
        request.session.pop(DRAFT, None)
        return redirect("breaches:submitted", saved.record.pk)
    return render(
        request,
        "breaches/report_check.html",
        {
            "form": form,
            "page1": page1,
            "page2": page2,
            "service": service,
            "people": people,
            "decision": decision,
            "category": Category(page1["category"]).label,
            "occurred_at": datetime.fromisoformat(page1["occurred_at"]),
            "discovered_at": datetime.fromisoformat(page1["discovered_at"]),
            "information": [
                dict(forms.InformationCategory.choices)[c] for c in page2["information"]
            ],
        },
    )


@login_required
@require_safe
def submitted(request, breach_id):
    breach = get_object_or_404(BreachReport, pk=breach_id, reporter=request.user)
    return render(request, "breaches/submitted.html", {"breach": breach})


@login_required
@require_safe
def mine(request):
    """The reports the signed-in user made, with the outcome once closed."""
    reports = BreachReport.objects.filter(reporter=request.user).select_related(
        "service", "closure"
    )
    return render(request, "breaches/mine.html", {"reports": reports})


# --- reading and reviewing ---------------------------------------------------------------------


def _breach_for(request, breach_id, action: str = "breach.read") -> BreachReport:
    breach = get_object_or_404(
        BreachReport.objects.select_related("service", "reporter", "decision"), pk=breach_id
    )
    if access.can(request.user, action, breach.service):
        return breach
    if action == "breach.read" and breach.reporter_id == request.user.pk:
        return breach  # the reporter follows their own report
    if access.can(request.user, "breach.report", breach.service):
        raise PermissionDenied  # a member of the service without this role: say so
    raise Http404("No such breach in your services")  # another service's: reveal nothing


@login_required
@require_safe
def detail(request, breach_id):
    breach = _breach_for(request, breach_id)
    full_view = access.can(request.user, "breach.read", breach.service)
    if full_view:
        for person in breach.people.all():
            audit.person_viewed(actor=request.user, person=person, page="breach_detail")
    audit.record(
        "breaches.breach.viewed",
        actor=request.user,
        service=breach.service,
        data={"breach": str(breach.pk)},
    )
    latest = breach.latest("assessments")
    return render(
        request,
        "breaches/detail.html",
        {
            "breach": breach,
            "full_view": full_view,
            "show_reporter": not breach.confidential or breach.reporter_id == request.user.pk,
            "clock": breach.clock(),
            "latest": latest,
            "assessments": breach.assessments.select_related("recorded_by"),
            "events": breach.status_events.select_related("recorded_by"),
            "actions": breach.actions.select_related("recorded_by"),
            "people_told": breach.people_told.select_related("recorded_by"),
            "ico": breach.one("ico_submission"),
            "closure": breach.one("closure"),
            "may_review": access.can(request.user, "breach.review", breach.service),
            "missing": services.missing_before_closure(breach),
            "people": breach.people.all() if full_view else [],
        },
    )


def _review_step(
    request, breach_id, *, form_class, save, title, intro="", done, needs_breach=False
):
    breach = _breach_for(request, breach_id, "breach.review")
    if breach.one("closure"):
        messages.info(request, "This breach is closed: nothing more can be recorded.")
        return redirect(breach.get_absolute_url())
    form = form_class(request.POST or None, **({"breach": breach} if needs_breach else {}))
    if form.is_valid():
        try:
            save(breach, form)
        except services.NotAllowedError as error:
            messages.error(request, f"{error}. Nothing was changed.")
        else:
            messages.success(request, done)
        return redirect(breach.get_absolute_url())
    return render(
        request,
        "breaches/review_form.html",
        {
            "form": form,
            "breach": breach,
            "title": title,
            "intro": intro,
            "clock": breach.clock(),
        },
    )


@login_required
@GET_POST
def assess(request, breach_id):
    return _review_step(
        request,
        breach_id,
        form_class=forms.AssessmentForm,
        needs_breach=True,
        save=lambda breach, form: services.record_assessment(
            breach=breach,
            user=request.user,
            submission_key=form.cleaned_data["submission_key"],
            assessment=form.instance,
        ),
        title="Grade the breach and decide about the ICO",
        done="Assessment saved",
    )


@login_required
@GET_POST
def ico(request, breach_id):
    return _review_step(
        request,
        breach_id,
        form_class=forms.IcoSubmissionForm,
        needs_breach=True,
        save=lambda breach, form: services.record_ico_submission(
            breach=breach, user=request.user, submission=form.instance
        ),
        title="Record the ICO submission",
        intro="Report it to the ICO online or by phone, then record the reference here.",
        done="ICO submission saved",
    )


@login_required
@GET_POST
def people_told(request, breach_id):
    return _review_step(
        request,
        breach_id,
        form_class=forms.PeopleToldForm,
        save=lambda breach, form: services.record_people_told(
            breach=breach,
            user=request.user,
            submission_key=form.cleaned_data["submission_key"],
            entry=form.instance,
        ),
        title="Telling the people affected",
        done="Saved",
    )


@login_required
@GET_POST
def action_new(request, breach_id):
    return _review_step(
        request,
        breach_id,
        form_class=forms.ActionForm,
        save=lambda breach, form: services.add_action(
            breach=breach,
            user=request.user,
            submission_key=form.cleaned_data["submission_key"],
            action=form.instance,
        ),
        title="Add a containment, recovery or prevention action",
        done="Action added",
    )


@login_required
@GET_POST
def close(request, breach_id):
    return _review_step(
        request,
        breach_id,
        form_class=forms.ClosureForm,
        save=lambda breach, form: services.close(
            breach=breach, user=request.user, closure=form.instance
        ),
        title="Close the breach",
        intro="The person who reported it will see the outcome you write below.",
        done="Breach closed. The reporter can now see the outcome.",
    )


# --- the register ------------------------------------------------------------------------------


def _register(request):
    access.require(request.user, "breach.read")
    services_ = access.services_for(request.user, "breach.read").order_by("name")
    form = RegisterFilterForm(request.GET or None, services=services_)
    latest_notify = (
        Assessment.objects.filter(breach=OuterRef("pk"))
        .order_by("-recorded_at")
        .values("notify_ico")[:1]
    )
    # A report's status is its latest status event; one without any is still "reported".
    latest_status = Coalesce(
        Subquery(
            StatusEvent.objects.filter(breach=OuterRef("pk"))
            .order_by("-recorded_at")
            .values("status")[:1]
        ),
        Value(Status.REPORTED.value),
    )
    breaches = (
        BreachReport.objects.filter(service__in=services_)
        .select_related("service", "closure", "ico_submission")
        .annotate(notifiable=latest_notify, current_status=latest_status)
        .order_by("-discovered_at")
    )
    if form.is_valid():
        breaches = form.filter(breaches)
    return form, breaches


@login_required
@require_safe
def register(request):
    form, breaches = _register(request)
    by_category = (
        breaches.order_by().values("category").annotate(total=Count("pk")).order_by("category")
    )
    by_month = (
        breaches.order_by()
        .annotate(month=TruncMonth("discovered_at"))
        .values("month", "near_miss")
        .annotate(total=Count("pk"))
        .order_by("-month", "near_miss")
    )
    totals = breaches.order_by().aggregate(
        breaches=Count("pk", filter=Q(near_miss=False)),
        near_misses=Count("pk", filter=Q(near_miss=True)),
    )
    query = request.GET.urlencode()
    now = timezone.now()
    rows = [
        (
            breach,
            Status(breach.current_status).label,
            None if breach.current_status == Status.CLOSED else breach.clock(now),
        )
        for breach in breaches
    ]
    return render(
        request,
        "breaches/register.html",
        {
            "form": form,
            "rows": rows,
            "by_category": [(Category(row["category"]).label, row["total"]) for row in by_category],
            "by_month": by_month,
            "query": query,
            "totals": totals,
            "now": timezone.now(),
        },
    )


@login_required
@require_safe
def register_csv(request):
    """The register as CSV, streamed from PostgreSQL (``carehub.exports``): the same filters as
    the page. No names or descriptions: references, dates and categories only."""
    form, breaches = _register(request)
    if again := mfa.ask_again(request):
        return again
    return carehub_exports.download(
        request,
        breaches,
        columns=exports.COLUMNS,
        fmt="csv",
        as_at_field="reported_at",
        action="breaches.register.exported",
        name="breach-register",
        filters={name: value for name, value in request.GET.items() if name in form.fields},
    )


@login_required
@require_safe
def confidential_reporters(request):
    """For administrators (the nominated officer): who made each whistleblowing report in
    their services. Nothing of the report's content is shown here."""
    access.require(request.user, "breach.reporter_identity")
    reports = BreachReport.objects.filter(
        confidential=True, service__in=access.services_for(request.user, "breach.reporter_identity")
    ).select_related("reporter", "service")
    audit.record("breaches.reporters.viewed", actor=request.user)
    return render(request, "breaches/confidential_reporters.html", {"reports": reports})


def home_section(request, _obj=None):
    """On a registered manager's home page: open breaches with their ICO countdown."""
    if not access.can(request.user, "breach.review"):
        return None
    closed = BreachReport.objects.filter(pk=OuterRef("pk"), closure__isnull=False)
    open_breaches = (
        BreachReport.objects.filter(service__in=access.services_for(request.user, "breach.review"))
        .exclude(Exists(closed))
        .select_related("service")
        .order_by("discovered_at")
    )
    now = timezone.now()
    return {"open_breaches": [(b, b.clock(now)) for b in open_breaches]}
