"""Pages for sharing requests: the details, one question per page, check your answers, the
recommendation, the decision record and what follows it.

Thin views: find the request or decision through ``carehub.access`` (another service's is 404),
check the role, validate with a form, save through ``decisions.services``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from carehub import access, audit, mfa, searches
from carehub import exports as carehub_exports
from carehub.models import Service

from . import exports, forms, questions, rules, selectors, services
from .filters import DecisionHistoryFilter
from .models import Decision, SharingAgreement, SharingRequest

GET_POST = require_http_methods(["GET", "POST"])
STALE = (
    "Someone else changed this request's answers after you opened the page. Nothing you "
    "entered was saved: the page now shows the latest answers."
)


def person_section(request, person) -> dict:
    """The chronology of requests and decisions about the person, newest first."""
    return {
        "requests": SharingRequest.objects.filter(person=person)
        .select_related("decision", "created_by")
        .order_by("-received_on", "-created_at"),
        "today": timezone.localdate(),
        "may_record_decision": access.can(request.user, "decision.record", person),
    }


def _request_for(request, request_id, action: str | None = None) -> SharingRequest:
    sharing_request = get_object_or_404(
        SharingRequest.objects.select_related("person", "person__service", "representative"),
        pk=request_id,
        person__in=access.people_visible_to(request.user),
    )
    if action:
        access.require(request.user, action, sharing_request.person)
    return sharing_request


def _decision_for(request, decision_id, action: str | None = None) -> Decision:
    decision = get_object_or_404(
        Decision.objects.select_related("request", "person", "person__service", "decided_by"),
        pk=decision_id,
        person__in=access.people_visible_to(request.user),
    )
    if action:
        access.require(request.user, action, decision.person)
    return decision


def _page(request, form, *, person, title, **context):
    return render(
        request,
        "record_form.html",
        {"form": form, "person": person, "title": title, **context},
    )


def _next_step(sharing_request: SharingRequest):
    outcome = services.outcome_of(sharing_request)
    if outcome.decision == rules.NEED_INFORMATION:
        return redirect("decisions:question", sharing_request.pk, outcome.missing[0])
    return redirect("decisions:check", sharing_request.pk)


def _settled(request, sharing_request):
    messages.info(request, "A decision has already been recorded on this request.")
    return redirect(sharing_request.decision.get_absolute_url())


@login_required
@GET_POST
def request_new(request, person_id):
    person = access.visible_person_or_404(request.user, person_id)
    access.require(request.user, "decision.record", person)
    form = forms.RequestForm(request.POST or None, person=person)
    if form.is_valid():
        saved = services.open_request(
            person=person,
            user=request.user,
            submission_key=form.cleaned_data["submission_key"],
            request=form.instance,
        )
        if not saved.created:
            messages.info(request, "This request was already saved. Nothing was added.")
            return redirect(saved.record.get_absolute_url())
        return _next_step(saved.record)
    return _page(
        request,
        form,
        person=person,
        title="Record a request for information",
        intro="Record who is asking and what for. CareHub then asks the questions of the "
        "policy's 'when to share' flowchart, one at a time.",
    )


@login_required
@require_safe
def request_detail(request, request_id):
    sharing_request = _request_for(request, request_id)
    audit.person_viewed(actor=request.user, person=sharing_request.person, page="request_detail")
    outcome = services.outcome_of(sharing_request)
    return render(
        request,
        "decisions/request_detail.html",
        {
            "sharing_request": sharing_request,
            "person": sharing_request.person,
            "decision": sharing_request.decision_or_none,
            "outcome": outcome,
            "answers": selectors.answer_rows(sharing_request),
            "may_record": access.can(request.user, "decision.record", sharing_request.person),
            "today": timezone.localdate(),
        },
    )


@login_required
@GET_POST
def question(request, request_id, fact):
    sharing_request = _request_for(request, request_id, "decision.record")
    if sharing_request.decision_or_none:
        return _settled(request, sharing_request)
    asked = questions.path({**sharing_request.answers, "requester": sharing_request.route})
    if fact not in asked:
        return _next_step(sharing_request)
    if request.method == "POST":
        form = forms.QuestionForm(request.POST, fact=fact)
    else:
        form = None
    if form is not None and form.is_valid():
        try:
            sharing_request = services.record_answer(
                request=sharing_request,
                fact=fact,
                value=form.cleaned_data["answer"],
                version=form.cleaned_data["version"],
            )
        except services.StaleError:
            messages.error(request, STALE)
            return redirect("decisions:question", sharing_request.pk, fact)
        except services.SettledError:
            return _settled(request, SharingRequest.objects.get(pk=sharing_request.pk))
        return _next_step(sharing_request)
    # What the consent records offer for this question: worked out once, and only to show it.
    offered = services.prefill(sharing_request).get(fact)
    if form is None:
        initial = {"version": sharing_request.version}
        initial.update(selectors.initial_answer(sharing_request, fact, offered))
        form = forms.QuestionForm(fact=fact, initial=initial)
    position = asked.index(fact)
    back = (
        reverse("decisions:question", args=[sharing_request.pk, asked[position - 1]])
        if position
        else sharing_request.get_absolute_url()
    )
    return render(
        request,
        "decisions/question.html",
        {
            "form": form,
            "sharing_request": sharing_request,
            "person": sharing_request.person,
            "back_url": back,
            "from_records": offered,
            "number": position + 1,
        },
    )


@login_required
@require_safe
def check(request, request_id):
    sharing_request = _request_for(request, request_id, "decision.record")
    if sharing_request.decision_or_none:
        return _settled(request, sharing_request)
    outcome = services.outcome_of(sharing_request)
    if outcome.decision == rules.NEED_INFORMATION:
        return _next_step(sharing_request)
    return render(
        request,
        "decisions/check.html",
        {
            "sharing_request": sharing_request,
            "person": sharing_request.person,
            "outcome": outcome,
            "answers": selectors.answer_rows(sharing_request),
            "advice": sharing_request.advice.all(),
        },
    )


@login_required
@GET_POST
def advice(request, request_id):
    sharing_request = _request_for(request, request_id, "decision.record")
    if sharing_request.decision_or_none:
        return _settled(request, sharing_request)
    if services.outcome_of(sharing_request).decision != rules.SEEK_ADVICE:
        return _next_step(sharing_request)
    form = forms.AdviceForm(request.POST or None)
    if form.is_valid():
        try:
            services.record_advice(
                request=sharing_request,
                user=request.user,
                submission_key=form.cleaned_data["submission_key"],
                advice=form.instance,
            )
        except services.SettledError:
            return _settled(request, SharingRequest.objects.get(pk=sharing_request.pk))
        messages.success(request, "Advice saved. Now record your decision.")
        return redirect("decisions:check", sharing_request.pk)
    return _page(
        request,
        form,
        person=sharing_request.person,
        title="Record the local authority's advice",
        intro="Contact the local authority's adult safeguarding team for advice. Describe the "
        "situation without giving the person's name or anything else that identifies them.",
        back_url=reverse("decisions:check", args=[sharing_request.pk]),
        back_text="Back to your answers",
    )


@login_required
@GET_POST
def decide(request, request_id):
    sharing_request = _request_for(request, request_id, "decision.record")
    if sharing_request.decision_or_none:
        return _settled(request, sharing_request)
    if request.method == "POST" and request.POST.get("version") != str(sharing_request.version):
        # The answers (so the recommendation) changed since this page was shown: never judge a
        # decision against a recommendation its author did not see, and say why.
        messages.error(request, STALE)
        return redirect("decisions:check", sharing_request.pk)
    outcome = services.outcome_of(sharing_request)
    if outcome.decision == rules.NEED_INFORMATION or (
        outcome.decision == rules.SEEK_ADVICE and not sharing_request.advice.exists()
    ):
        return redirect("decisions:check", sharing_request.pk)
    initial = {
        "version": sharing_request.version,
        "recipient_name": sharing_request.requester_name,
        "recipient_role": sharing_request.requester_role,
        "recipient_organisation": sharing_request.requester_organisation,
    }
    if outcome.decision in (rules.SHARE, rules.WITHHOLD):
        initial["final"] = outcome.decision
    form = forms.DecisionForm(
        request.POST or None,
        request=sharing_request,
        recommendation=outcome.decision,
        initial=initial,
    )
    if form.is_valid():
        try:
            decision = services.record_decision(
                request=sharing_request,
                user=request.user,
                version=form.cleaned_data["version"],
                decision=form.instance,
            )
        except services.StaleError:
            messages.error(request, STALE)
            return redirect("decisions:check", sharing_request.pk)
        except services.SettledError:
            return _settled(request, SharingRequest.objects.get(pk=sharing_request.pk))
        messages.success(request, "Decision recorded")
        return redirect(decision.get_absolute_url())
    return render(
        request,
        "decisions/decide.html",
        {
            "form": form,
            "sharing_request": sharing_request,
            "person": sharing_request.person,
            "outcome": outcome,
            "agreements": selectors.agreements_for(sharing_request),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_safe
def decision_detail(request, decision_id):
    decision = _decision_for(request, decision_id)
    audit.person_viewed(actor=request.user, person=decision.person, page="decision_detail")
    user = request.user
    return render(
        request,
        "decisions/decision_detail.html",
        {
            "decision": decision,
            "person": decision.person,
            "sharing_request": decision.request,
            "addenda": decision.addenda.select_related("recorded_by"),
            "sign_off": decision.sign_off_or_none,
            "police": decision.police_notification_or_none,
            "may_record": access.can(user, "decision.record", decision.person),
            "may_sign_off": access.can(user, "decision.sign_off", decision.person)
            and decision.decided_by_id != user.pk,
        },
    )


@login_required
@GET_POST
def addendum_new(request, decision_id):
    decision = _decision_for(request, decision_id, "decision.record")
    form = forms.AddendumForm(request.POST or None)
    if form.is_valid():
        saved = services.add_addendum(
            decision=decision,
            user=request.user,
            submission_key=form.cleaned_data["submission_key"],
            addendum=form.instance,
        )
        if saved.created:
            messages.success(request, "Addendum added")
        else:
            messages.info(request, "This addendum was already added. Nothing was changed.")
        return redirect(decision.get_absolute_url())
    return _page(
        request,
        form,
        person=decision.person,
        title="Add a correction or addition",
        intro="The decision is never changed. Your addendum is shown beneath it with your "
        "name, the time and your reason.",
        back_url=decision.get_absolute_url(),
        back_text="Back to the decision",
    )


def _decision_event(request, decision, *, form, save, title, intro, done):
    if form.is_valid():
        try:
            save(form.instance)
        except services.AlreadyDoneError as error:
            messages.info(request, f"{error}. Nothing was changed.")
        else:
            messages.success(request, done)
        return redirect(decision.get_absolute_url())
    return _page(
        request,
        form,
        person=decision.person,
        title=title,
        intro=intro,
        back_url=decision.get_absolute_url(),
        back_text="Back to the decision",
    )


@login_required
@GET_POST
def sign_off(request, decision_id):
    decision = _decision_for(request, decision_id, "decision.sign_off")
    if not decision.needs_sign_off:
        raise Http404("This decision does not need signing off")
    return _decision_event(
        request,
        decision,
        form=forms.SignOffForm(request.POST or None),
        save=lambda instance: services.sign_off(
            decision=decision, user=request.user, sign_off=instance
        ),
        title="Sign off this decision",
        intro=f"{decision}: {decision.rationale}",
        done="Decision signed off",
    )


@login_required
@GET_POST
def police(request, decision_id):
    decision = _decision_for(request, decision_id, "decision.record")
    if not decision.needs_police_follow_up:
        raise Http404("This decision does not call for the police to be told")
    return _decision_event(
        request,
        decision,
        form=forms.PoliceNotificationForm(request.POST or None),
        save=lambda instance: services.record_police_notification(
            decision=decision, user=request.user, notification=instance
        ),
        title="Record that the police were told",
        intro="The abuse or neglect is or may be a criminal act, so the police should also be "
        "notified.",
        done="Police notification saved",
    )


@login_required
@require_safe
def my_requests(request):
    """The signed-in user's requests still without a decision (drafts to resume)."""
    access.require(request.user, "decision.record")
    open_requests = (
        SharingRequest.objects.filter(
            created_by=request.user,
            decision__isnull=True,
            person__in=access.people_visible_to(request.user),
        )
        .select_related("person")
        .order_by("due_on", "-created_at")
    )
    return render(
        request,
        "decisions/my_requests.html",
        {"open_requests": open_requests, "today": timezone.localdate()},
    )


@login_required
@require_safe
def queue(request):
    """For registered managers: decisions awaiting sign-off, and requests near or past their
    deadline, in their services."""
    access.require(request.user, "decision.sign_off")
    services_ = access.services_for(request.user, "decision.sign_off")
    today = timezone.localdate()
    return render(
        request,
        "decisions/queue.html",
        {
            "awaiting": Decision.objects.filter(
                person__service__in=services_, needs_sign_off=True, sign_off__isnull=True
            )
            .select_related("person", "decided_by")
            .order_by("decided_at"),
            "deadlines": SharingRequest.objects.filter(
                person__service__in=services_,
                decision__isnull=True,
                due_on__lte=today + selectors.DEADLINE_WARNING,
            )
            .select_related("person")
            .order_by("due_on"),
            "police_due": Decision.objects.filter(
                Q(actions__contains=[rules.NOTIFY_POLICE]),
                person__service__in=services_,
                final="share",
                police_notification__isnull=True,
            ).select_related("person"),
            "today": today,
        },
    )


@login_required
@require_safe
def agreement_list(request):
    access.require(request.user, "person.view")
    agreements = SharingAgreement.objects.filter(
        service__in=access.services_for(request.user, "person.view")
    ).select_related("service")
    return render(
        request,
        "decisions/agreement_list.html",
        {
            "agreements": agreements,
            "today": timezone.localdate(),
            "may_manage": access.can(request.user, "agreement.manage"),
        },
    )


@login_required
@GET_POST
def agreement_edit(request, agreement_id=None):
    access.require(request.user, "agreement.manage")
    services_ = access.services_for(request.user, "agreement.manage")
    agreement = None
    if agreement_id is not None:
        agreement = get_object_or_404(SharingAgreement, pk=agreement_id, service__in=services_)
    form = forms.AgreementForm(request.POST or None, instance=agreement, services=services_)
    if form.is_valid():
        try:
            services.save_agreement(form, user=request.user)
        except services.StaleError:
            messages.error(
                request,
                "Someone else changed this agreement after you opened it. Nothing you entered "
                "was saved: the page now shows their version.",
            )
            return redirect("decisions:agreement_edit", agreement.pk)
        messages.success(request, "Agreement saved")
        return redirect("decisions:agreement_list")
    return _page(
        request,
        form,
        person=None,
        title="Edit the agreement" if agreement else "Add an information-sharing agreement",
        back_url=reverse("decisions:agreement_list"),
        back_text="Back to agreements",
    )


HISTORY_PAGE_SIZE = 50


def _history_filter(request):
    """The history's search (``carehub.searches``), its filters and the rows they select."""
    # A list of ids, not a subquery: planning the subquery cost more than running the page.
    service_ids = access.require_services(request.user, "decision.history")
    search = searches.search(request, DecisionHistoryFilter)
    if search.redirect:
        return search, None, None
    services_ = Service.objects.filter(pk__in=service_ids).order_by("name")
    decisions = Decision.objects.filter(person__service__in=service_ids).select_related(
        "person", "person__service", "request", "decided_by", "sign_off"
    )
    filterset = DecisionHistoryFilter(search.data, queryset=decisions, services=services_)
    if filterset.is_bound and not filterset.is_valid():
        return search, filterset, Decision.objects.none()
    rows = filterset.qs
    sorted_ = filterset.is_bound and filterset.form.cleaned_data.get("sort")
    return search, filterset, rows if sorted_ else rows.order_by("-decided_at", "pk")


HISTORY_COUNT_CAP = 1000


def _history_page(request, search, filterset, rows):
    # Counting every matching row of a large history costs more than the page itself: count up
    # to the cap (a LIMIT inside the COUNT) and ask for narrower filters beyond it.
    paginator = Paginator(rows.values(*selectors.HISTORY_VALUES), HISTORY_PAGE_SIZE)
    counted = rows[: HISTORY_COUNT_CAP + 1].count()
    paginator.count = min(counted, HISTORY_COUNT_CAP)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.history_rows(page.object_list)
    return render(
        request,
        "decisions/history.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "query": search.query,
            "more_than": HISTORY_COUNT_CAP if counted > HISTORY_COUNT_CAP else None,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def history(request):
    """Decisions across the services the user audits or manages: filtered, sorted, paginated,
    in a fixed number of queries whatever the page size. The filters are sent as a POST, a
    person's name or NHS number kept out of the address (``carehub.searches``)."""
    search, filterset, rows = _history_filter(request)
    if search.redirect:
        return search.redirect
    return _history_page(request, search, filterset, rows)


@login_required
@require_safe
def history_export(request, fmt):
    """The filtered history as CSV or JSON Lines, streamed; the export itself is audited."""
    if fmt not in carehub_exports.FORMATS:
        raise Http404("Exports are CSV or JSON Lines")
    search, filterset, rows = _history_filter(request)
    if search.redirect:
        return search.redirect
    if search.expired:
        return redirect("decisions:history")  # with the message: never everything instead
    if filterset.is_bound and not filterset.is_valid():
        return _history_page(request, search, filterset, rows)  # the errors, not a download
    if again := mfa.ask_again(request):
        return again
    return carehub_exports.download(
        request,
        rows,
        columns=exports.COLUMNS,
        fmt=fmt,
        as_at_field="decided_at",  # decisions are append-only: this set can no longer change
        action="decisions.history.exported",
        name="decisions",
        filters=search.filters,
    )
