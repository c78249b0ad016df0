"""Pages for consent, capacity, best-interests and representative records.

Thin views: find the person through ``carehub.access`` (another service's person is 404),
check the role for the action, validate with a form, save through ``consent.services``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from carehub import access, audit

from . import forms, selectors, services
from .models import (
    BestInterestsDecision,
    CapacityAssessment,
    ConsentRecord,
    Representative,
)

GET_POST = require_http_methods(["GET", "POST"])


def person_section(request, person) -> dict:
    """The consent part of the person page: every record, current state first, with history."""
    today = timezone.localdate()
    user = request.user
    consents = list(person.consents.select_related("withdrawal", "recorded_by"))
    representatives = list(person.representatives.select_related("verification", "revocation"))
    return {
        "today": today,
        "consents": [(c, c.state_on(today)) for c in consents],
        "capacity_assessments": person.capacity_assessments.select_related("recorded_by"),
        "best_interests_decisions": person.best_interests_decisions.select_related("recorded_by"),
        "representatives": [(r, r.standing_on(today)) for r in representatives],
        "may_record_consent": access.can(user, "consent.record", person),
        "may_record_capacity": access.can(user, "capacity.record", person),
        "may_manage_representatives": access.can(user, "representative.manage", person),
    }


def _person_for(request, person_id, action: str | None = None):
    person = access.visible_person_or_404(request.user, person_id)
    if action:
        access.require(request.user, action, person)
    return person


def _form_page(request, person, form, *, title: str, intro: str = "", extra: dict | None = None):
    context = {"person": person, "form": form, "title": title, "intro": intro, **(extra or {})}
    return render(request, "record_form.html", context)


def _saved(request, saved, what: str):
    if saved.created:
        messages.success(request, f"{what} saved")
    else:
        messages.info(request, f"{what} was already saved: this is the record. Nothing was added.")
    return redirect(saved.record.get_absolute_url())


@login_required
@GET_POST
def consent_new(request, person_id, images=False):
    person = _person_for(request, person_id, "consent.record")
    form_class = forms.ImageConsentForm if images else forms.ConsentForm
    form = form_class(request.POST or None, person=person)
    if form.is_valid():
        try:
            saved = services.record_consent(
                person=person,
                user=request.user,
                submission_key=form.cleaned_data["submission_key"],
                consent=form.instance,
            )
        except services.DuplicateError as duplicate:
            existing = duplicate.existing
            form.add_error(
                "recipient_class",
                f"{person.given_name} already has a standing record for this information and "
                f"recipient ({existing.get_status_display().lower()} on "
                f"{timezone.localdate(existing.recorded_at):%-d %B %Y}). To record a new answer, "
                "withdraw that record first and say why",
            )
        else:
            return _saved(request, saved, "Image and video consent" if images else "Consent")
    title = "Record consent for photographs and video" if images else "Record consent"
    return _form_page(request, person, form, title=title, extra={"consent_notice": True})


@login_required
@require_safe
def consent_detail(request, person_id, record_id):
    person = _person_for(request, person_id)
    consent = get_object_or_404(
        ConsentRecord.objects.select_related("withdrawal", "recorded_by"),
        pk=record_id,
        person=person,
    )
    audit.person_viewed(actor=request.user, person=person, page="consent_detail")
    return render(
        request,
        "consent/consent_detail.html",
        {
            "person": person,
            "record": consent,
            "state": consent.state_on(timezone.localdate()),
            "may_withdraw": access.can(request.user, "consent.record", person),
        },
    )


@login_required
@GET_POST
def consent_withdraw(request, person_id, record_id):
    person = _person_for(request, person_id, "consent.record")
    consent = get_object_or_404(ConsentRecord, pk=record_id, person=person)
    if consent.withdrawal_or_none:
        messages.info(request, "This consent has already been withdrawn. Nothing was changed.")
        return redirect(consent.get_absolute_url())
    form = forms.WithdrawalForm(request.POST or None)
    if form.is_valid():
        try:
            services.withdraw_consent(
                consent=consent, user=request.user, reason=form.cleaned_data["reason"]
            )
        except services.AlreadyRecordedError as already:
            messages.info(request, f"{already}. Nothing was changed.")
        else:
            messages.success(request, "Consent withdrawn")
        return redirect(consent.get_absolute_url())
    return _form_page(
        request,
        person,
        form,
        title="Withdraw consent" if consent.status == "given" else "Withdraw the refusal",
        intro=f"{consent.get_status_display()}: {consent.information} to {consent.recipient}. "
        "The record stays in the history, marked withdrawn, with your name, the time and "
        "your reason.",
    )


@login_required
@GET_POST
def capacity_new(request, person_id):
    person = _person_for(request, person_id, "capacity.record")
    form = forms.CapacityAssessmentForm(request.POST or None)
    if form.is_valid():
        saved = services.record_capacity_assessment(
            person=person,
            user=request.user,
            submission_key=form.cleaned_data["submission_key"],
            assessment=form.instance,
        )
        return _saved(request, saved, "Capacity assessment")
    return _form_page(
        request,
        person,
        form,
        title="Record a capacity assessment",
        extra={"capacity_principles": True},
    )


@login_required
@require_safe
def capacity_detail(request, person_id, record_id):
    person = _person_for(request, person_id)
    assessment = get_object_or_404(CapacityAssessment, pk=record_id, person=person)
    audit.person_viewed(actor=request.user, person=person, page="capacity_detail")
    return render(
        request,
        "consent/capacity_detail.html",
        {"person": person, "record": assessment, "questions": forms.TEST_QUESTIONS},
    )


@login_required
@GET_POST
def best_interests_new(request, person_id):
    person = _person_for(request, person_id, "capacity.record")
    form = forms.BestInterestsForm(request.POST or None, person=person)
    if form.is_valid():
        saved = services.record_best_interests_decision(
            person=person,
            user=request.user,
            submission_key=form.cleaned_data["submission_key"],
            decision=form.instance,
        )
        return _saved(request, saved, "Best-interests decision")
    return _form_page(
        request,
        person,
        form,
        title="Record a best-interests decision",
        extra={"no_assessments": not form.fields["capacity_assessment"].queryset.exists()},
    )


@login_required
@require_safe
def best_interests_detail(request, person_id, record_id):
    person = _person_for(request, person_id)
    decision = get_object_or_404(
        BestInterestsDecision.objects.select_related("capacity_assessment"),
        pk=record_id,
        person=person,
    )
    audit.person_viewed(actor=request.user, person=person, page="best_interests_detail")
    return render(
        request, "consent/best_interests_detail.html", {"person": person, "record": decision}
    )


@login_required
@GET_POST
def representative_new(request, person_id):
    person = _person_for(request, person_id, "representative.manage")
    form = forms.RepresentativeForm(request.POST or None)
    if form.is_valid():
        saved = services.record_representative(
            person=person,
            user=request.user,
            submission_key=form.cleaned_data["submission_key"],
            representative=form.instance,
        )
        return _saved(request, saved, "Representative")
    return _form_page(
        request,
        person,
        form,
        title="Add an attorney or deputy",
        intro="They will be shown as not verified until you record how their power or court "
        "order was checked.",
    )


def _representative(request, person_id, record_id, action=None):
    person = _person_for(request, person_id, action)
    representative = get_object_or_404(
        Representative.objects.select_related("verification", "revocation"),
        pk=record_id,
        person=person,
    )
    return person, representative


@login_required
@require_safe
def representative_detail(request, person_id, record_id):
    person, representative = _representative(request, person_id, record_id)
    audit.person_viewed(actor=request.user, person=person, page="representative_detail")
    return render(
        request,
        "consent/representative_detail.html",
        {
            "person": person,
            "record": representative,
            "standing": representative.standing_on(timezone.localdate()),
            "may_manage": access.can(request.user, "representative.manage", person),
        },
    )


def _representative_event(request, person_id, record_id, *, form_class, save, title, done):
    person, representative = _representative(request, person_id, record_id, "representative.manage")
    form = form_class(request.POST or None, representative=representative)
    if form.is_valid():
        try:
            save(representative=representative, user=request.user, **{done[0]: form.instance})
        except services.AlreadyRecordedError as already:
            messages.info(request, f"{already}. Nothing was changed.")
        else:
            messages.success(request, done[1])
        return redirect(representative.get_absolute_url())
    return _form_page(request, person, form, title=title, intro=f"{representative}.")


@login_required
@GET_POST
def representative_verify(request, person_id, record_id):
    return _representative_event(
        request,
        person_id,
        record_id,
        form_class=forms.VerificationForm,
        save=services.verify_representative,
        title="Record how their authority was verified",
        done=("verification", "Verification saved"),
    )


@login_required
@GET_POST
def representative_end(request, person_id, record_id):
    return _representative_event(
        request,
        person_id,
        record_id,
        form_class=forms.RevocationForm,
        save=services.end_representative,
        title="Record that the power or order has ended",
        done=("revocation", "Recorded as ended"),
    )


@login_required
@require_safe
def review_list(request):
    """For registered managers: consents due for review, and representatives not verified."""
    access.require(request.user, "consent.review")
    return render(
        request,
        "consent/review_list.html",
        {
            "today": timezone.localdate(),
            "consents": selectors.consents_due_for_review(request.user),
            "representatives": selectors.unverified_representatives(request.user),
        },
    )
