"""Writing breach reports and their review. Each write is one transaction that locks the
breach, and every status change is recorded with who, when and why."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction

from carehub.models import Membership, Role
from carehub.once import Saved, create_once, save_once

from .models import (
    Action,
    Assessment,
    BreachReport,
    Closure,
    IcoSubmission,
    PeopleTold,
    Status,
    StatusEvent,
)


class NotAllowedError(Exception):
    """The step cannot be taken now (already done, or something must come first)."""


def _next_number() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('breaches_report_number')")
        return cursor.fetchone()[0]


@transaction.atomic
def submit_report(*, report: BreachReport, people, user, submission_key, link_for) -> Saved:
    """Save a new report and tell the service's registered managers (a link, no details)."""

    def save():
        report.reporter = user
        report.submission_key = submission_key
        report.number = _next_number()
        report.save()
        report.people.set(people)
        StatusEvent.objects.create(
            breach=report, status=Status.REPORTED, reason="Report submitted", recorded_by=user
        )
        url = link_for(report)
        transaction.on_commit(lambda: notify_managers(report, url))
        return report

    return save_once(BreachReport, submission_key, save)


def notify_managers(report: BreachReport, url: str) -> int:
    """Email the registered managers of the report's service: the reference and a link only,
    never what happened or who is affected."""
    recipients = sorted(
        {
            m.user.email
            for m in Membership.objects.filter(
                service=report.service, role=Role.REGISTERED_MANAGER, user__is_active=True
            ).select_related("user")
            if m.user.email
        }
    )
    if not recipients:
        return 0
    return send_mail(
        subject=f"CareHub: new breach report {report.reference}",
        message=(
            f"A breach of confidentiality{' (near miss)' if report.near_miss else ''} has been "
            f"reported for {report.service.name}. The ICO deadline runs from when it was "
            f"discovered: review it now.\n\n{url}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )


def _locked(breach: BreachReport) -> BreachReport:
    locked = BreachReport.objects.select_for_update().get(pk=breach.pk)
    if Closure.objects.filter(breach=locked).exists():
        raise NotAllowedError("This breach is closed: nothing more can be recorded")
    return locked


def _status(breach, status, reason, user):
    if breach.status != status:
        StatusEvent.objects.create(breach=breach, status=status, reason=reason, recorded_by=user)


@transaction.atomic
def record_assessment(
    *, breach: BreachReport, user, submission_key, assessment: Assessment
) -> Assessment:
    locked = _locked(breach)

    saved = create_once(assessment, submission_key, breach=locked, recorded_by=user)
    if saved.created:
        _status(locked, Status.UNDER_REVIEW, "Graded by a registered manager", user)
    return saved.record


@transaction.atomic
def record_ico_submission(*, breach: BreachReport, user, submission: IcoSubmission):
    locked = _locked(breach)
    latest = locked.latest("assessments")
    if latest is None or not latest.notify_ico:
        raise NotAllowedError("Record a decision to report to the ICO first")
    if IcoSubmission.objects.filter(breach=locked).exists():
        raise NotAllowedError("The ICO submission has already been recorded")
    submission.breach = locked
    submission.recorded_by = user
    submission.save()
    return submission


@transaction.atomic
def record_people_told(
    *, breach: BreachReport, user, submission_key, entry: PeopleTold
) -> PeopleTold:
    locked = _locked(breach)

    return create_once(entry, submission_key, breach=locked, recorded_by=user).record


@transaction.atomic
def add_action(*, breach: BreachReport, user, submission_key, action: Action) -> Saved:
    locked = _locked(breach)

    return create_once(action, submission_key, breach=locked, recorded_by=user)


def missing_before_closure(breach: BreachReport) -> list[str]:
    """What the review still lacks; a breach closes only when this is empty."""
    missing = []
    latest = breach.latest("assessments")
    if latest is None:
        return ["Grade the breach and decide whether to report it to the ICO"]
    if latest.notify_ico and not IcoSubmission.objects.filter(breach=breach).exists():
        missing.append("Record the ICO submission")
    if latest.tell_people and not breach.people_told.exists():
        missing.append("Record whether the people affected have been told")
    return missing


@transaction.atomic
def close(*, breach: BreachReport, user, closure: Closure) -> Closure:
    locked = _locked(breach)
    if missing := missing_before_closure(locked):
        raise NotAllowedError("Before closing: " + "; ".join(missing))
    closure.breach = locked
    closure.recorded_by = user
    closure.save()
    StatusEvent.objects.create(
        breach=locked, status=Status.CLOSED, reason="Review complete", recorded_by=user
    )
    return closure
