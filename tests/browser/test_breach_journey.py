"""Breach reports and their review, driven through the browser.

A care worker reports in three short pages; the registered manager grades, records the ICO
submission and closes; a whistleblower's name stays hidden from the managers. Each journey types
and clicks as staff would, then checks what the database holds.
"""

import re
import uuid
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from breaches import grading, services
from breaches.models import (
    Action,
    Assessment,
    BreachReport,
    Closure,
    IcoSubmission,
    PeopleTold,
    StatusEvent,
)
from carehub.models import Person, Service, User
from tests.factories import BreachReportFactory, PersonFactory

LOST_PHONE = "I left my work phone on the bus; it has the rota and the notes app on it"
DEVICE = "Theft or loss of a phone, tablet or computer"
HEALTH = "Health and medical information"
WHISTLEBLOWING = "Do you want to report through whistleblowing?"
HIDE_MY_NAME = "Yes, hide my name from the managers"
SHOW_MY_NAME = "No, show my name"
LIKELIHOOD = "How likely is it that people's rights have been affected?"
SEVERITY = "How severe is the effect on the people concerned?"
NOTIFY_ICO = "Will you report it to the Information Commissioner's Office (ICO)?"
TELL_PEOPLE = "Will you tell the people affected?"
# The countdown on a breach discovered about 2 hours ago (typed to the minute): 72 - 2 hours.
ABOUT_70_HOURS_LEFT = re.compile(r"^69 hours \d{1,2} minutes? left$")
REFERENCE = re.compile(r"^BR-\d{5}$")


def rose_person() -> Person:
    """A person Rose House supports whose name no one else there shares (the demo data has two
    people with the same name: see test_people_with_the_same_name_can_be_told_apart)."""
    people = list(Person.objects.filter(service__name="Rose House", is_active=True))
    names = Counter(p.full_name for p in people)
    return next(p for p in people if names[p.full_name] == 1)


def user(username: str) -> User:
    return User.objects.get(username=username)


def today() -> date:
    return timezone.localdate()


def to_the_minute(moment: datetime) -> datetime:
    """What a time typed as HH:MM on the wall clock becomes."""
    return timezone.localtime(moment).replace(second=0, microsecond=0)


def fill_date(page: Page, legend: str, day: date) -> None:
    """Type a date into the GOV.UK date input whose fieldset legend is ``legend``."""
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def fill_moment(page: Page, what: str, moment: datetime) -> None:
    """The date and the 24-hour time of ``what`` ("it happened", "submitted"...)."""
    local = timezone.localtime(moment)
    fill_date(page, f"Date {what}", local.date())
    page.get_by_label(f"Time {what}", exact=True).fill(local.strftime("%H:%M"))


def choose(page: Page, legend: str, option: str) -> None:
    """Check the radio or checkbox labelled ``option`` in the fieldset ``legend``."""
    page.get_by_role("group", name=legend, exact=True).get_by_label(option, exact=True).check()


def h1(page: Page):
    return page.get_by_role("heading", level=1)


def error_summary(page: Page):
    return page.locator(".govuk-error-summary")


def success_banner(page: Page):
    return page.locator(".govuk-notification-banner--success")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_test_id("header-user")).to_have_count(0)


def summary_value(page: Page, key: str, test_id: str = "report"):
    """The value of the summary-list row ``key`` inside the list with ``test_id``."""
    row = (
        page.get_by_test_id(test_id)
        .locator(".govuk-summary-list__row")
        .filter(has=page.locator("dt", has_text=re.compile(f"^{re.escape(key)}$")))
    )
    return row.locator("dd")


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def fill_what_happened(
    page: Page, *, what: str = LOST_PHONE, happened: datetime, discovered: datetime
) -> None:
    """Page 1 of a report, for a care worker with one service (already chosen for them)."""
    expect(h1(page)).to_have_text("Report a breach")
    expect(
        page.get_by_role("group", name="Which service is this about?").get_by_label("Rose House")
    ).to_be_checked()
    page.get_by_label("What happened?", exact=True).fill(what)
    choose(page, "What kind of breach is it?", DEVICE)
    choose(page, "Was it a near miss?", "No, it happened")
    fill_moment(page, "it happened", happened)
    fill_moment(page, "it was discovered", discovered)


def fill_who_and_what(page: Page, person: Person) -> None:
    expect(h1(page)).to_have_text("Who and what is affected")
    choose(
        page,
        "Which people the service supports are affected?",
        f"{person.full_name}, born {person.date_of_birth:%-d %B %Y}",
    )
    expect(page.get_by_label("How many other people are affected?")).to_have_value("0")
    choose(page, "What information is involved?", HEALTH)
    page.get_by_label("What has been done already to contain it?").fill("Phone locked remotely")


def report_a_lost_phone(page: Page, person: Person, *, whistleblowing: bool) -> str:
    """A care worker's whole report, from their home page; returns the reference shown."""
    now = timezone.now()
    page.get_by_role("link", name="Report a breach").click()
    fill_what_happened(page, happened=now - timedelta(hours=5), discovered=now - timedelta(hours=2))
    continue_(page)
    fill_who_and_what(page, person)
    continue_(page)
    expect(h1(page)).to_have_text("Check your report")
    choose(page, WHISTLEBLOWING, HIDE_MY_NAME if whistleblowing else SHOW_MY_NAME)
    page.get_by_role("button", name="Submit the report").click()
    expect(h1(page)).to_have_text("Report submitted")
    reference = page.get_by_test_id("reference")
    expect(reference).to_have_text(REFERENCE)
    return reference.inner_text()


def open_breach_from_home(page: Page, live_server, reference: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("open-breaches").get_by_role("link", name=reference).click()
    expect(h1(page)).to_have_text(f"Breach {reference}")


def rose_breach(**kwargs) -> BreachReport:
    """A Rose House breach made directly, with the status event a real report starts with."""
    breach = BreachReportFactory(service=Service.objects.get(name="Rose House"), **kwargs)
    StatusEvent.objects.create(
        breach=breach, status="reported", reason="Report submitted", recorded_by=breach.reporter
    )
    return breach


def assess_directly(breach, manager, *, likelihood=3, severity=3, notify_ico=True):
    suggestion = grading.suggest(
        likelihood=likelihood,
        severity=severity,
        involves_people_supported=breach.involves_people_supported,
    )
    return services.record_assessment(
        breach=breach,
        user=manager,
        submission_key=uuid.uuid4(),
        assessment=Assessment(
            likelihood=likelihood,
            severity=severity,
            suggested_reportable=suggestion.reportable,
            notify_ico=notify_ico,
            reasons="Health information on a phone",
            departure_justification=""
            if notify_ico == suggestion.reportable
            else "Encrypted and wiped within minutes",
            suggested_tell_people=suggestion.tell_people,
            tell_people=False,
            tell_people_reasons="Wiped within the hour",
        ),
    )


# -- the journeys ------------------------------------------------------------------------------


def test_care_worker_reports_a_lost_phone(sign_in, live_server):
    person = rose_person()
    carer = user("rose.carer")
    now = timezone.now()
    happened, discovered = now - timedelta(hours=5), now - timedelta(hours=2)
    page = sign_in("rose.carer")

    page.get_by_role("link", name="Report a breach").click()
    expect(page).to_have_url(f"{live_server.url}/breaches/report/")
    fill_what_happened(page, happened=happened, discovered=discovered)
    continue_(page)

    expect(page).to_have_url(f"{live_server.url}/breaches/report/people/")
    fill_who_and_what(page, person)
    continue_(page)

    expect(page).to_have_url(f"{live_server.url}/breaches/report/check/")
    expect(h1(page)).to_have_text("Check your report")
    summary = "report-summary"
    expect(summary_value(page, "Service", summary)).to_have_text("Rose House")
    expect(summary_value(page, "What happened", summary)).to_have_text(LOST_PHONE)
    expect(summary_value(page, "Kind of breach", summary)).to_have_text(DEVICE)
    expect(summary_value(page, "Near miss", summary)).to_have_text("No")
    expect(summary_value(page, "People affected", summary)).to_have_text(
        f"{person.full_name}, born {person.date_of_birth:%-d %B %Y}"
    )
    expect(summary_value(page, "Information involved", summary)).to_have_text(HEALTH)
    local = to_the_minute(discovered)
    expect(summary_value(page, "Discovered", summary)).to_have_text(
        f"{local.day} {local:%B %Y, %H:%M}"
    )
    choose(page, WHISTLEBLOWING, SHOW_MY_NAME)
    page.get_by_role("button", name="Submit the report").click()

    expect(h1(page)).to_have_text("Report submitted")
    reference = page.get_by_test_id("reference")
    expect(reference).to_have_text(REFERENCE)
    expect(page.locator("main")).not_to_contain_text("without seeing your name")

    breach = BreachReport.objects.get()
    assert reference.inner_text() == breach.reference
    assert (breach.reporter, breach.service.name) == (carer, "Rose House")
    assert (breach.category, breach.what_happened, breach.information) == (
        "device",
        LOST_PHONE,
        ["health"],
    )
    assert list(breach.people.all()) == [person]
    assert (breach.confidential, breach.near_miss, breach.other_people_count) == (False, False, 0)
    assert breach.containment == "Phone locked remotely"
    assert (breach.occurred_at, breach.discovered_at) == (
        to_the_minute(happened),
        to_the_minute(discovered),
    )
    assert breach.status == "reported"

    page.get_by_role("link", name="your reports").click()
    row = page.get_by_test_id("my-reports").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text(breach.reference)
    expect(row.locator("td").last).to_have_text("Reported")


def test_manager_grades_reports_to_the_ico_and_closes_then_the_reporter_reads_the_outcome(
    sign_in, live_server
):
    person = rose_person()
    manager = user("rose.manager")
    page = sign_in("rose.carer")
    reference = report_a_lost_phone(page, person, whistleblowing=False)
    breach = BreachReport.objects.get()
    sign_out(page)

    sign_in("rose.manager")
    open_breaches = page.get_by_test_id("open-breaches")
    expect(open_breaches.get_by_role("link", name=reference)).to_be_visible()
    expect(open_breaches.get_by_test_id("countdown")).to_have_text(ABOUT_70_HOURS_LEFT)
    open_breaches.get_by_role("link", name=reference).click()

    expect(h1(page)).to_have_text(f"Breach {reference}")
    expect(page.get_by_test_id("countdown")).to_have_text(ABOUT_70_HOURS_LEFT)
    deadline = timezone.localtime(breach.discovered_at + timedelta(hours=72))
    expect(page.get_by_test_id("deadline")).to_contain_text(
        f"ICO deadline: {deadline.day} {deadline:%B %Y, %H:%M}"
    )
    expect(summary_value(page, "Status")).to_have_text("Reported")
    expect(summary_value(page, "Reported by")).to_have_text(user("rose.carer").get_full_name())
    expect(summary_value(page, "People affected")).to_have_text(person.full_name)
    expect(page.get_by_role("link", name="Record the ICO submission")).to_have_count(0)
    expect(page.get_by_role("link", name="Close the breach")).to_have_count(0)
    expect(page.get_by_test_id("missing")).to_contain_text("Grade the breach")

    page.get_by_role("link", name="Grade and decide").click()
    expect(h1(page)).to_have_text("Grade the breach and decide about the ICO")
    choose(page, LIKELIHOOD, f"3 Likely: {grading.LIKELIHOOD_HINTS[3]}")
    choose(page, SEVERITY, f"3 Adverse: {grading.SEVERITY_HINTS[3]}")
    choose(page, NOTIFY_ICO, "Yes")
    page.get_by_label("Reasons for your decision about the ICO").fill(
        "Health information on a phone that was left unlocked"
    )
    choose(page, TELL_PEOPLE, "No")
    page.get_by_label("Reasons for your decision about telling people").fill(
        "The phone was wiped remotely within the hour"
    )
    page.get_by_role("button", name="Save the assessment").click()

    expect(success_banner(page)).to_contain_text("Assessment saved")
    expect(summary_value(page, "Status")).to_have_text("Under review")
    expect(summary_value(page, "The grading suggests", "assessment")).to_have_text(
        "Reportable to the ICO"
    )
    expect(summary_value(page, "Decision", "assessment")).to_have_text("Report to the ICO")
    expect(page.get_by_test_id("missing")).to_have_text(
        "Before it can be closed: Record the ICO submission."
    )

    page.get_by_role("link", name="Record the ICO submission").click()
    expect(h1(page)).to_have_text("Record the ICO submission")
    submitted = to_the_minute(timezone.now())  # today, after the discovery, not in the future
    fill_moment(page, "submitted", submitted)
    page.get_by_label("ICO reference").fill("IC-12345-A1B2")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(success_banner(page)).to_contain_text("ICO submission saved")
    expect(page.get_by_test_id("ico")).to_contain_text("reference IC-12345-A1B2")
    expect(page.get_by_role("link", name="Record the ICO submission")).to_have_count(0)
    expect(page.get_by_test_id("missing")).to_have_count(0)

    page.get_by_role("link", name="Close the breach").click()
    expect(h1(page)).to_have_text("Close the breach")
    lessons = "Work phones now lock after one minute"
    outcome = "Thank you for reporting so quickly: every work phone now locks after one minute."
    page.get_by_label("Lessons learned").fill(lessons)
    page.get_by_label("What the person who reported it will be told").fill(outcome)
    page.get_by_role("button", name="Close the breach").click()

    expect(success_banner(page)).to_contain_text("Breach closed")
    expect(summary_value(page, "Status")).to_have_text("Closed")
    expect(page.get_by_test_id("outcome")).to_contain_text(outcome)
    expect(page.get_by_test_id("countdown")).to_have_count(0)
    expect(page.locator(".govuk-button-group")).to_have_count(0)
    expect(page.get_by_test_id("history").get_by_role("listitem")).to_have_count(3)

    assessment = Assessment.objects.get()
    assert (assessment.breach, assessment.recorded_by) == (breach, manager)
    assert (assessment.likelihood, assessment.severity) == (3, 3)
    assert (assessment.suggested_reportable, assessment.notify_ico) == (True, True)
    assert (assessment.suggested_tell_people, assessment.tell_people) == (False, False)
    assert assessment.departure_justification == ""
    submission = IcoSubmission.objects.get()
    assert (submission.breach, submission.recorded_by) == (breach, manager)
    assert (submission.ico_reference, submission.submitted_at) == ("IC-12345-A1B2", submitted)
    closure = Closure.objects.get()
    assert (closure.breach, closure.recorded_by) == (breach, manager)
    assert (closure.lessons_learned, closure.outcome_for_reporter) == (lessons, outcome)
    assert list(
        StatusEvent.objects.filter(breach=breach).order_by("recorded_at").values_list("status")
    ) == [("reported",), ("under_review",), ("closed",)]
    assert breach.status == "closed"

    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("open-breaches")).to_contain_text("No open breaches.")
    sign_out(page)

    sign_in("rose.carer")
    page.get_by_role("link", name="Your breach reports").click()
    expect(h1(page)).to_have_text("Your breach reports")
    row = page.get_by_test_id("my-reports").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(reference)
    expect(row.locator("td").last).to_have_text(f"Closed: {outcome}")


def test_whistleblowers_name_is_hidden_from_the_manager_but_not_the_nominated_officer(
    sign_in, live_server
):
    person = rose_person()
    carer = user("rose.carer")
    page = sign_in("rose.carer")
    reference = report_a_lost_phone(page, person, whistleblowing=True)
    expect(page.locator("main")).to_contain_text("will review it without seeing your name")
    breach = BreachReport.objects.get()
    assert (breach.reporter, breach.confidential) == (carer, True)
    sign_out(page)

    sign_in("rose.manager")
    open_breach_from_home(page, live_server, reference)
    expect(summary_value(page, "Reported by")).to_have_text("Confidential (whistleblowing)")
    expect(page.get_by_test_id("history")).to_contain_text("Reported (Report submitted)")
    for clue in (carer.get_full_name(), carer.last_name, carer.username):
        expect(page.locator("body")).not_to_contain_text(clue)
    # Grading adds the manager's own name to the page, and still not the reporter's.
    page.get_by_role("link", name="Grade and decide").click()
    choose(page, LIKELIHOOD, f"3 Likely: {grading.LIKELIHOOD_HINTS[3]}")
    choose(page, SEVERITY, f"3 Adverse: {grading.SEVERITY_HINTS[3]}")
    choose(page, NOTIFY_ICO, "Yes")
    page.get_by_label("Reasons for your decision about the ICO").fill("Health information")
    choose(page, TELL_PEOPLE, "No")
    page.get_by_label("Reasons for your decision about telling people").fill("Wiped")
    page.get_by_role("button", name="Save the assessment").click()
    expect(success_banner(page)).to_contain_text("Assessment saved")
    expect(summary_value(page, "Assessed by", "assessment")).to_have_text(
        user("rose.manager").get_full_name()
    )
    for clue in (carer.get_full_name(), carer.last_name, carer.username):
        expect(page.locator("body")).not_to_contain_text(clue)
    page.goto(f"{live_server.url}/breaches/")
    expect(page.get_by_test_id("register")).to_contain_text(reference)
    expect(page.locator("body")).not_to_contain_text(carer.get_full_name())
    sign_out(page)

    sign_in("rose.admin")
    page.get_by_role("link", name="Whistleblowing reports (nominated officer)").click()
    expect(h1(page)).to_have_text("Whistleblowing reports")
    row = page.get_by_test_id("confidential-reporters").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text(reference)
    expect(row.locator("td").nth(1)).to_have_text("Rose House")
    expect(row.locator("td").nth(2)).to_have_text(carer.get_full_name())
    expect(page.locator("main")).not_to_contain_text("bus")  # nothing of the report itself


def test_a_report_with_mistakes_is_explained_and_nothing_is_saved(
    sign_in, live_server, axe_violations
):
    now = timezone.now()
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/breaches/report/")

    fill_what_happened(
        page, what="   ", happened=now + timedelta(hours=3), discovered=now - timedelta(hours=1)
    )
    continue_(page)

    expect(error_summary(page)).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(h1(page)).to_have_text("Report a breach")
    for message in ["Describe what happened", "The time it happened cannot be in the future"]:
        expect(error_summary(page).get_by_role("link", name=message)).to_be_visible()
    expect(error_summary(page).get_by_role("listitem")).to_have_count(2)
    happened = page.get_by_role("group", name="When it happened", exact=True)
    expect(happened.locator(".govuk-error-message")).to_contain_text(
        "The time it happened cannot be in the future"
    )
    # What was typed is kept.
    expect(
        page.get_by_role("group", name="What kind of breach is it?").get_by_label(DEVICE)
    ).to_be_checked()
    assert axe_violations() == []

    page.get_by_label("What happened?", exact=True).fill(LOST_PHONE)
    fill_moment(page, "it happened", now - timedelta(hours=1))
    fill_moment(page, "it was discovered", now - timedelta(hours=6))
    continue_(page)

    expect(error_summary(page).get_by_role("listitem")).to_have_count(1)
    expect(
        error_summary(page).get_by_role(
            "link", name="It cannot have been discovered before it happened"
        )
    ).to_be_visible()
    discovered = page.get_by_role("group", name="When it was discovered", exact=True)
    expect(discovered.locator(".govuk-error-message")).to_contain_text(
        "It cannot have been discovered before it happened"
    )
    expect(page).to_have_url(f"{live_server.url}/breaches/report/")
    # The next page refuses to open without a valid first page.
    page.goto(f"{live_server.url}/breaches/report/check/")
    expect(page).to_have_url(f"{live_server.url}/breaches/report/")
    assert not BreachReport.objects.exists()
    assert not StatusEvent.objects.exists()


@pytest.mark.parametrize("path", ["assess", "ico", "people-told", "actions/new", "close"])
def test_a_care_worker_cannot_open_the_review_forms_of_their_own_report(
    sign_in, live_server, demo_logins, path
):
    breach = rose_breach(reporter=user("rose.carer"))
    page = sign_in("rose.carer")

    response = page.goto(f"{live_server.url}/breaches/{breach.pk}/{path}/")

    assert response.status == 403
    expect(h1(page)).to_have_text("You cannot open this page")
    expect(
        page.locator("form[method=post] textarea, form[method=post] input[type=radio]")
    ).to_have_count(0)
    assert not Assessment.objects.exists()


def test_a_care_worker_reads_their_own_report_without_the_review(sign_in, live_server):
    breach = rose_breach(reporter=user("rose.carer"))
    breach.people.set([rose_person()])
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/breaches/mine/")
    page.get_by_test_id("my-reports").get_by_role("link", name=breach.reference).click()

    expect(h1(page)).to_have_text(f"Breach {breach.reference}")
    expect(summary_value(page, "Reported by")).to_have_text(user("rose.carer").get_full_name())
    expect(page.get_by_role("heading", name="Review")).to_have_count(0)
    expect(page.get_by_role("link", name="Grade and decide")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(rose_person().full_name)


def test_another_services_manager_cannot_open_a_rose_house_breach(sign_in, live_server):
    breach = rose_breach(reporter=user("rose.carer"))
    page = sign_in("oak.manager")

    response = page.goto(f"{live_server.url}{breach.get_absolute_url()}")

    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text(breach.what_happened)


# -- every page: axe-core ----------------------------------------------------------------------


@pytest.fixture
def breach_pages(demo_logins):
    """The path of every breach page, with breaches (made directly) for each to show."""
    carer, manager = user("rose.carer"), user("rose.manager")
    person = rose_person()

    unassessed = rose_breach(reporter=carer, other_people_count=2)
    unassessed.people.set([person])

    assessed = rose_breach(reporter=carer, category="social_media", near_miss=True)
    assessed.people.set([person])
    assess_directly(assessed, manager)
    services.record_people_told(
        breach=assessed,
        user=manager,
        submission_key=uuid.uuid4(),
        entry=PeopleTold(told=True, told_on=today(), how_or_why_not="By phone, then a letter"),
    )
    services.add_action(
        breach=assessed,
        user=manager,
        submission_key=uuid.uuid4(),
        action=Action(
            kind="prevention",
            description="Remind staff about photographs",
            owner="Deputy manager",
            due_on=today() + timedelta(days=14),
        ),
    )

    closed = rose_breach(
        reporter=carer,
        occurred_at=timezone.now() - timedelta(days=6),
        discovered_at=timezone.now() - timedelta(days=5),
    )
    assess_directly(closed, manager, likelihood=2, severity=2, notify_ico=False)
    services.close(
        breach=closed,
        user=manager,
        closure=Closure(
            lessons_learned="Lock screens after one minute",
            outcome_for_reporter="Thank you: phones now lock after one minute",
        ),
    )

    rose_breach(reporter=carer, confidential=True, what_happened="Notes read out in the lounge")
    at = f"/breaches/{assessed.pk}/"
    return {
        "breaches": {"unassessed": unassessed, "assessed": assessed, "closed": closed},
        "paths": {
            "your reports": ("rose.carer", "/breaches/mine/"),
            "breach, unassessed, as manager": ("rose.manager", unassessed.get_absolute_url()),
            "breach, assessed, as manager": ("rose.manager", assessed.get_absolute_url()),
            "breach, closed, as manager": ("rose.manager", closed.get_absolute_url()),
            "breach, as the reporter": ("rose.carer", unassessed.get_absolute_url()),
            "breach, closed, as the reporter": ("rose.carer", closed.get_absolute_url()),
            "breach, as auditor": ("rose.auditor", assessed.get_absolute_url()),
            "assess form": ("rose.manager", f"/breaches/{unassessed.pk}/assess/"),
            "ICO form": ("rose.manager", f"{at}ico/"),
            "people-told form": ("rose.manager", f"{at}people-told/"),
            "action form": ("rose.manager", f"{at}actions/new/"),
            "close form": ("rose.manager", f"{at}close/"),
            "register, as manager": ("rose.manager", "/breaches/"),
            "register, as auditor": ("rose.auditor", "/breaches/"),
            "confidential reporters": ("rose.admin", "/breaches/confidential-reporters/"),
            "home page with an open breach": ("rose.manager", "/"),
        },
    }


# Known, reported violations: {page name: [violation]}. None so far.
KNOWN_VIOLATIONS: dict[str, list[dict]] = {}


def assert_no_axe_violations(axe_violations, name: str) -> None:
    """No violations. A page with a known, reported one fails (pytest.fail) on any other, and
    then asserts there are none: that assertion is the expected failure until it is fixed."""
    violations = axe_violations()
    unexpected = [v for v in violations if v not in KNOWN_VIOLATIONS.get(name, [])]
    if unexpected:
        pytest.fail(f"axe-core violations: {unexpected}")
    assert violations == []


PAGE_CHECKS = {
    "your reports": lambda page: expect(page.get_by_test_id("my-reports")).to_be_visible(),
    "breach, unassessed, as manager": lambda page: (
        expect(page.get_by_test_id("countdown")).to_have_text(ABOUT_70_HOURS_LEFT),
        expect(page.get_by_role("link", name="Grade and decide")).to_be_visible(),
    ),
    "breach, assessed, as manager": lambda page: (
        expect(page.get_by_test_id("assessment")).to_be_visible(),
        expect(page.get_by_test_id("actions")).to_be_visible(),
        expect(page.get_by_role("link", name="Record the ICO submission")).to_be_visible(),
    ),
    "breach, closed, as manager": lambda page: expect(
        page.get_by_test_id("outcome")
    ).to_be_visible(),
    "breach, as the reporter": lambda page: expect(
        page.get_by_test_id("countdown")
    ).to_be_visible(),
    "breach, closed, as the reporter": lambda page: expect(
        page.get_by_test_id("outcome")
    ).to_contain_text("phones now lock"),
    "breach, as auditor": lambda page: (
        expect(page.get_by_test_id("assessment")).to_be_visible(),
        expect(page.get_by_role("link", name="Grade again")).to_have_count(0),
    ),
    "register, as manager": lambda page: (
        expect(page.get_by_test_id("register").locator("tbody tr")).to_have_count(4),
        expect(page.get_by_test_id("totals")).to_have_text("Shown: 3 breaches and 1 near miss."),
    ),
    "register, as auditor": lambda page: expect(
        page.get_by_test_id("register").locator("tbody tr")
    ).to_have_count(4),
    "confidential reporters": lambda page: expect(
        page.get_by_test_id("confidential-reporters").locator("tbody tr")
    ).to_have_count(1),
    "home page with an open breach": lambda page: expect(
        page.get_by_test_id("open-breaches").get_by_test_id("countdown")
    ).to_have_count(3),
}


@pytest.mark.parametrize(
    "name",
    [
        "your reports",
        "breach, unassessed, as manager",
        "breach, assessed, as manager",
        "breach, closed, as manager",
        "breach, as the reporter",
        "breach, closed, as the reporter",
        "breach, as auditor",
        "assess form",
        "ICO form",
        "people-told form",
        "action form",
        "close form",
        "register, as manager",
        "register, as auditor",
        "confidential reporters",
        "home page with an open breach",
    ],
)
def test_breach_pages_have_no_axe_violations(
    sign_in, live_server, axe_violations, breach_pages, name
):
    username, path = breach_pages["paths"][name]
    page = sign_in(username)
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200
    expect(h1(page)).to_be_visible()
    if check := PAGE_CHECKS.get(name):
        check(page)
    assert_no_axe_violations(axe_violations, name)


@pytest.mark.parametrize(
    ("name", "button", "messages"),
    [
        (
            "assess form",
            "Save the assessment",
            [
                "Select the likelihood",
                "Select the severity",
                "Select yes or no: will you report it to the Information Commissioner's "
                "Office (ICO)?",
                "Enter the reasons for your decision about the ICO",
                "Select yes or no: will you tell the people affected?",
                "Enter the reasons for your decision about telling people",
            ],
        ),
        (
            "ICO form",
            "Save",
            ["Enter the date submitted", "Enter the time submitted, for example 14:30"],
        ),
        (
            "people-told form",
            "Save",
            [
                "Select yes or no: have the people affected been told?",
                "Enter how they were told, or why not",
            ],
        ),
        (
            "action form",
            "Add the action",
            [
                "Select the type of action",
                "Describe the action",
                "Enter who will do it",
            ],
        ),
        (
            "close form",
            "Close the breach",
            ["Enter the lessons learned", "Enter what the reporter will be told"],
        ),
    ],
)
def test_review_forms_sent_empty_show_errors_with_no_axe_violations(
    sign_in, live_server, axe_violations, breach_pages, name, button, messages
):
    username, path = breach_pages["paths"][name]
    page = sign_in(username)
    page.goto(f"{live_server.url}{path}")
    page.get_by_role("button", name=button, exact=True).click()

    expect(error_summary(page)).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    for message in messages:
        expect(error_summary(page).get_by_role("link", name=message, exact=True)).to_be_visible()
    assert_no_axe_violations(axe_violations, name)
    # Only what the fixture made: the form sent empty saved nothing.
    assert (Assessment.objects.count(), IcoSubmission.objects.count()) == (2, 0)
    assert (PeopleTold.objects.count(), Action.objects.count(), Closure.objects.count()) == (
        1,
        1,
        1,
    )


REPORT_STEPS = [
    "page 1",
    "page 1 with errors",
    "page 2",
    "page 2 with errors",
    "page 3",
    "page 3 with errors",
    "confirmation",
]


@pytest.mark.parametrize("step", REPORT_STEPS)
def test_report_pages_have_no_axe_violations(sign_in, live_server, axe_violations, step):
    """Walk the report up to ``step`` (each earlier step answered properly), then run axe."""
    now = timezone.now()
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/breaches/report/")
    expect(h1(page)).to_have_text("Report a breach")
    if step == "page 1 with errors":
        continue_(page)
        expect(error_summary(page)).to_be_visible()
    elif step != "page 1":
        fill_what_happened(
            page, happened=now - timedelta(hours=5), discovered=now - timedelta(hours=2)
        )
        continue_(page)
        expect(h1(page)).to_have_text("Who and what is affected")
        if step == "page 2 with errors":
            page.get_by_label("How many other people are affected?").fill("")
            continue_(page)
            expect(error_summary(page)).to_contain_text("Select the information involved")
        elif step != "page 2":
            fill_who_and_what(page, rose_person())
            continue_(page)
            expect(h1(page)).to_have_text("Check your report")
            if step == "page 3 with errors":
                page.get_by_role("button", name="Submit the report").click()
                expect(error_summary(page)).to_contain_text(
                    "Select yes or no: do you want to report through whistleblowing?"
                )
            elif step == "confirmation":
                choose(page, WHISTLEBLOWING, SHOW_MY_NAME)
                page.get_by_role("button", name="Submit the report").click()
                expect(page.get_by_test_id("reference")).to_have_text(REFERENCE)
    assert axe_violations() == []
    assert BreachReport.objects.count() == (1 if step == "confirmation" else 0)


@pytest.mark.parametrize(
    ("submitted", "message"),
    [
        (timedelta(minutes=-30), "It cannot have been submitted before the breach was discovered"),
        (timedelta(hours=3), "The time it was submitted cannot be in the future"),
    ],
)
def test_an_impossible_ico_submission_time_is_explained_and_nothing_is_saved(
    sign_in, live_server, submitted, message
):
    breach = rose_breach(reporter=user("rose.carer"))
    assess_directly(breach, user("rose.manager"))
    page = sign_in("rose.manager")
    page.goto(f"{live_server.url}{breach.get_absolute_url()}")
    page.get_by_role("link", name="Record the ICO submission").click()

    fill_moment(page, "submitted", breach.discovered_at + submitted)
    page.get_by_label("ICO reference").fill("IC-1")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(error_summary(page).get_by_role("listitem")).to_have_count(1)
    expect(error_summary(page).get_by_role("link", name=message)).to_be_visible()
    expect(page.get_by_label("ICO reference")).to_have_value("IC-1")
    assert not IcoSubmission.objects.exists()


def test_a_late_ico_submission_needs_the_reason_for_the_delay(sign_in, live_server):
    breach = rose_breach(
        reporter=user("rose.carer"),
        occurred_at=timezone.now() - timedelta(days=5),
        discovered_at=timezone.now() - timedelta(days=4),
    )
    assess_directly(breach, user("rose.manager"))
    page = sign_in("rose.manager")
    page.goto(f"{live_server.url}{breach.get_absolute_url()}")
    expect(page.get_by_test_id("countdown")).to_have_text(re.compile(r"^Overdue by 2[45] hours"))
    expect(page.get_by_test_id("countdown")).to_have_class(re.compile("govuk-tag--red"))
    page.get_by_role("link", name="Record the ICO submission").click()

    submitted = to_the_minute(timezone.now())
    fill_moment(page, "submitted", submitted)
    page.get_by_label("ICO reference").fill("IC-98765")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(
        error_summary(page).get_by_role(
            "link",
            name="The report was made after the 72-hour deadline: enter the reason for the delay",
        )
    ).to_be_visible()
    assert not IcoSubmission.objects.exists()

    page.get_by_label("Reason for the delay").fill("Manager on leave; the deputy was not trained")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(success_banner(page)).to_contain_text("ICO submission saved")
    expect(page.get_by_test_id("ico")).to_contain_text(
        "Reason for the delay: Manager on leave; the deputy was not trained"
    )
    submission = IcoSubmission.objects.get()
    assert (submission.submitted_at, submission.ico_reference) == (submitted, "IC-98765")
    assert submission.delay_reason == "Manager on leave; the deputy was not trained"


# -- plain English, page order and the ICO clock wherever a breach appears ---------------------


def test_the_breach_page_names_the_information_involved(sign_in, live_server):
    breach = rose_breach(reporter=user("rose.carer"), information=["health", "contact_details"])
    page = sign_in("rose.manager")
    page.goto(f"{live_server.url}{breach.get_absolute_url()}")
    expect(summary_value(page, "Information involved")).to_contain_text(HEALTH, timeout=2000)


def test_the_register_shows_each_status_in_plain_english(sign_in, live_server):
    breach = rose_breach(reporter=user("rose.carer"))
    assess_directly(breach, user("rose.manager"))
    page = sign_in("rose.manager")
    page.goto(f"{live_server.url}/breaches/")
    row = page.get_by_test_id("register").locator("tbody tr").filter(has_text=breach.reference)
    # The status, then the ICO clock beneath it while the breach is open.
    expect(row.locator("td").nth(3)).to_contain_text("Under review", timeout=2000)
    expect(row.locator("td").nth(3)).not_to_contain_text("Under_review")


def test_the_register_shows_the_ico_countdown_of_each_open_breach(sign_in, live_server):
    breach = rose_breach(reporter=user("rose.carer"))
    page = sign_in("rose.manager")
    page.goto(f"{live_server.url}/breaches/")
    row = page.get_by_test_id("register").locator("tbody tr").filter(has_text=breach.reference)
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("countdown")).to_have_text(ABOUT_70_HOURS_LEFT, timeout=2000)


def test_people_with_the_same_name_can_be_told_apart(sign_in, live_server):
    rose = Service.objects.get(name="Rose House")
    for born in (date(1941, 3, 2), date(1950, 7, 9)):
        PersonFactory(service=rose, given_name="Mary", family_name="Smith", date_of_birth=born)
    now = timezone.now()
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/breaches/report/")
    fill_what_happened(page, happened=now - timedelta(hours=5), discovered=now - timedelta(hours=2))
    continue_(page)

    people = page.get_by_role("group", name="Which people the service supports are affected?")
    marys = people.locator(".govuk-checkboxes__item").filter(has_text="Mary Smith")
    expect(marys).to_have_count(2)
    labels = [label.strip() for label in marys.locator("label").all_inner_texts()]
    assert labels[0] != labels[1], labels


def test_the_ico_forms_error_summary_follows_the_page_order(sign_in, live_server):
    breach = rose_breach(reporter=user("rose.carer"))
    assess_directly(breach, user("rose.manager"))
    page = sign_in("rose.manager")
    page.goto(f"{live_server.url}/breaches/{breach.pk}/ico/")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(error_summary(page).get_by_role("link")).to_have_text(
        [
            "Enter the date submitted",
            "Enter the time submitted, for example 14:30",
            "Enter the ICO reference",
        ],
        timeout=2000,
    )


def test_the_action_form_asks_for_the_due_date_in_plain_english(sign_in, live_server):
    breach = rose_breach(reporter=user("rose.carer"))
    page = sign_in("rose.manager")
    page.goto(f"{live_server.url}/breaches/{breach.pk}/actions/new/")
    page.get_by_role("button", name="Add the action").click()

    due = error_summary(page).get_by_role("link").filter(has_text=re.compile("due", re.I))
    expect(due).to_have_text(re.compile(r"^Enter the (due date|date it is due)"), timeout=2000)


def test_a_breach_reported_to_the_ico_in_time_is_not_shown_as_overdue(sign_in, live_server):
    manager = user("rose.manager")
    breach = rose_breach(
        reporter=user("rose.carer"),
        occurred_at=timezone.now() - timedelta(days=5),
        discovered_at=timezone.now() - timedelta(days=4),
    )
    assess_directly(breach, manager)
    services.record_ico_submission(
        breach=breach,
        user=manager,
        submission=IcoSubmission(
            submitted_at=breach.discovered_at + timedelta(hours=20), ico_reference="IC-2"
        ),
    )
    page = sign_in("rose.manager")
    open_breaches = page.get_by_test_id("open-breaches")
    expect(open_breaches.get_by_role("link", name=breach.reference)).to_be_visible()
    expect(open_breaches).not_to_contain_text("Overdue", timeout=2000)
