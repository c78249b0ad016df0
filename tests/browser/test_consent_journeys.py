"""Consent, capacity, best-interests and representative pages, driven through the browser.

Each journey types and clicks as a member of staff would, then checks what the database holds.
"""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from carehub.models import Person, User
from consent.models import (
    BestInterestsDecision,
    CapacityAssessment,
    ConsentRecord,
    ConsentWithdrawal,
    Representative,
    RepresentativeVerification,
)
from tests.factories import (
    BestInterestsDecisionFactory,
    CapacityAssessmentFactory,
    ConsentRecordFactory,
    RepresentativeFactory,
    RepresentativeVerificationFactory,
)

LACKS = "Lacks capacity to make this decision"
NOT_VERIFIED = "Not verified: do not rely on their authority until it is checked"
OPG_SERVICE = (
    "Office of the Public Guardian 'use a lasting power of attorney' service (access code)"
)
UNDERSTAND = "Can they understand the information relevant to the decision?"
RETAIN = "Can they retain that information long enough to decide?"
USE_OR_WEIGH = "Can they use or weigh that information as part of deciding?"
COMMUNICATE = "Can they communicate their decision, by any means?"
STAGE_TWO = [UNDERSTAND, RETAIN, USE_OR_WEIGH, COMMUNICATE]  # in the form's order
IMPAIRMENT_QUESTION = (
    "Does the person have an impairment of, or a disturbance in the functioning of, the mind "
    "or brain?"
)
RECORD_BUTTONS = [
    "Record consent",
    "Record consent for photographs and video",
    "Record a capacity assessment",
    "Record a best-interests decision",
    "Add an attorney or deputy",
]


def rose_person() -> Person:
    return Person.objects.filter(service__name="Rose House", is_active=True).order_by("pk").first()


def today() -> date:
    return timezone.localdate()


def fill_date(page: Page, legend: str, day: date) -> None:
    """Type a date into the GOV.UK date input whose fieldset legend is ``legend``."""
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def choose(page: Page, legend: str, option: str) -> None:
    """Check the radio or checkbox labelled ``option`` in the fieldset ``legend``."""
    page.get_by_role("group", name=legend, exact=True).get_by_label(option, exact=True).check()


def success_banner(page: Page):
    return page.locator(".govuk-notification-banner--success")


def open_person_page(page: Page, live_server, person: Person) -> None:
    page.goto(f"{live_server.url}/people/{person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(person.full_name)


def fill_capacity_assessment(
    page: Page, *, impairment: str, answers: dict[str, str], outcome: str
) -> None:
    """Every field of the capacity assessment form; ``answers`` maps each stage 2 question to
    "Yes" or "No"."""
    choose(page, "Which information is the decision about?", "Test results")
    choose(page, "Sharing it with whom?", "Family member")
    page.get_by_label("Describe the decision", exact=True).fill(
        "Whether to share her blood test results with her son"
    )
    fill_date(page, "Date of the assessment", today() - timedelta(days=1))
    page.get_by_label("What was done to help the person decide?").fill(
        "Explained in the morning, in plain words, with her glasses and hearing aid"
    )
    choose(page, IMPAIRMENT_QUESTION, impairment)
    page.get_by_label("Evidence: an impairment").fill(
        "Vascular dementia, diagnosed by her GP in 2023"
    )
    stage_two = page.get_by_role("group", name="Stage 2: can the person make this decision?")
    for number, question in enumerate(STAGE_TWO):
        stage_two.get_by_role("group", name=question, exact=True).get_by_label(
            answers[question], exact=True
        ).check()
        about = question[0].lower() + question[1:].rstrip("?")
        stage_two.get_by_label(f"Evidence: {about}", exact=True).fill(
            f"Evidence for question {number + 1}"
        )
    choose(page, "Outcome", outcome)
    fill_date(page, "Review date", today() + timedelta(days=90))


def test_care_worker_records_consent_then_withdraws_it(sign_in, live_server):
    person = rose_person()
    carer = User.objects.get(username="rose.carer")
    page = sign_in("rose.carer")
    open_person_page(page, live_server, person)

    page.get_by_role("link", name="Record consent", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record consent")
    expect(page.get_by_test_id("consent-scope")).to_contain_text(
        "It never counts as consent to other information, another recipient or a later occasion"
    )

    review_by = today() + timedelta(days=180)
    choose(page, "What information is this about?", "Test results")
    choose(page, "Who would it be shared with?", "Family member")
    page.get_by_label("Recipient's name").fill("David Clarke")
    page.get_by_label("Purpose", exact=True).fill("So her son can support her at appointments")
    choose(page, "What did the person say?", "Consent given")
    choose(page, "How the answer was given", "In person")
    fill_date(page, "Review date", review_by)
    page.get_by_role("button", name="Save consent").click()

    expect(success_banner(page)).to_contain_text("Consent saved")
    expect(page).to_have_url(re.compile(rf"/people/{person.pk}/consents/[0-9a-f-]{{36}}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Consent: Test results")
    record = page.get_by_test_id("consent-record")
    expect(record).to_contain_text("David Clarke (Family member)")
    expect(record).to_contain_text(f"{review_by.day} {review_by:%B %Y}")
    expect(page.locator("main .govuk-tag")).to_have_text("Given")

    page.get_by_role("link", name="Withdraw consent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw consent")
    reason = "She told me on the phone she no longer wants her son to see her results"
    page.get_by_label("Why is it being withdrawn?").fill(reason)
    page.get_by_role("button", name="Withdraw", exact=True).click()

    expect(success_banner(page)).to_contain_text("Consent withdrawn")
    expect(page.locator("main .govuk-tag")).to_have_text("Withdrawn")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text(f"withdrawn by {carer.get_full_name()}. Reason: {reason}")
    expect(page.get_by_role("link", name="Withdraw consent")).to_have_count(0)

    consent = ConsentRecord.objects.get()
    assert (consent.person, consent.recorded_by) == (person, carer)
    assert (consent.information_category, consent.recipient_class) == ("test_results", "family")
    assert (consent.recipient_name, consent.status, consent.how_obtained) == (
        "David Clarke",
        "given",
        "in_person",
    )
    assert consent.review_date == review_by
    withdrawal = ConsentWithdrawal.objects.get()
    assert (withdrawal.consent, withdrawal.reason, withdrawal.withdrawn_by) == (
        consent,
        reason,
        carer,
    )


def test_consent_form_explains_every_mistake_and_saves_nothing(
    sign_in, live_server, axe_violations
):
    person = rose_person()
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/people/{person.pk}/consents/new/")

    fill_date(page, "Review date", today() - timedelta(days=1))
    page.get_by_role("button", name="Save consent").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    for message in [
        "Select what information this is about",
        "Select who it would be shared with",
        "Enter the purpose of sharing",
        "Select what the person said",
        "Select how the person gave their answer",
        "The review date must be today or in the future",
    ]:
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    review = page.get_by_role("group", name="Review date", exact=True)
    expect(review.locator(".govuk-error-message")).to_contain_text(
        "The review date must be today or in the future"
    )
    assert not ConsentRecord.objects.exists()
    assert axe_violations() == []


def test_manager_records_capacity_assessment_then_best_interests_decision(sign_in, live_server):
    person = rose_person()
    manager = User.objects.get(username="rose.manager")
    page = sign_in("rose.manager")
    open_person_page(page, live_server, person)

    page.get_by_role("link", name="Record a capacity assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a capacity assessment")
    fill_capacity_assessment(
        page,
        impairment="Yes",
        answers={UNDERSTAND: "No", RETAIN: "No", USE_OR_WEIGH: "Yes", COMMUNICATE: "Yes"},
        outcome=LACKS,
    )
    page.get_by_role("button", name="Save assessment").click()

    expect(success_banner(page)).to_contain_text("Capacity assessment saved")
    expect(page.get_by_role("heading", level=1)).to_have_text("Capacity assessment")
    expect(page.get_by_test_id("outcome")).to_have_text(LACKS)
    assessment = CapacityAssessment.objects.get()
    assert (assessment.person, assessment.recorded_by, assessment.outcome) == (
        person,
        manager,
        "lacks_capacity",
    )
    assert (assessment.impairment, assessment.can_understand, assessment.can_retain) == (
        True,
        False,
        False,
    )
    assert (assessment.can_use_or_weigh, assessment.can_communicate) == (True, True)
    assert assessment.understand_evidence == "Evidence for question 1"

    page.get_by_role("link", name=f"Back to {person.full_name}").click()
    page.get_by_role("link", name="Record a best-interests decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a best-interests decision")
    expect(page.get_by_test_id("no-assessments")).to_have_count(0)
    assessed = assessment.assessed_on
    choose(
        page,
        "Which capacity assessment showed they lack capacity?",
        "Whether to share her blood test results with her son "
        f"(assessed {assessed.day} {assessed:%B %Y}, test results to family member)",
    )
    page.get_by_label("The decision", exact=True).fill("Share her blood test results with her son")
    fill_date(page, "Date of the decision", today())
    choose(page, "Who was consulted", "The person themselves")
    choose(page, "Who was consulted", "Family")
    page.get_by_label("What they said", exact=True).fill("Her son has always been told")
    page.get_by_label("The person's past and present wishes and feelings").fill(
        "She always asked for her son to be kept informed"
    )
    page.get_by_label("The person's beliefs and values").fill("Family matters most to her")
    choose(page, "Could the person regain capacity for this decision?", "No")
    page.get_by_label("The least restrictive option considered").fill(
        "Share only the results, by phone"
    )
    choose(
        page,
        "Is sharing this information with this recipient in the person's best interests?",
        "Yes, sharing is in their best interests",
    )
    page.get_by_label("Reasons", exact=True).fill("Matches her long-held wishes")
    fill_date(page, "Review date", today() + timedelta(days=60))
    page.get_by_role("button", name="Save best-interests decision").click()

    expect(success_banner(page)).to_contain_text("Best-interests decision saved")
    expect(page.get_by_test_id("outcome")).to_have_text("Sharing is in the person's best interests")
    expect(page.get_by_test_id("best-interests-record")).to_contain_text(
        "The person themselves, Family"
    )

    page.get_by_role("link", name=f"Back to {person.full_name}").click()
    capacity_table = page.get_by_test_id("capacity-assessments")
    expect(capacity_table.locator("tbody tr")).to_have_count(1)
    expect(capacity_table).to_contain_text("Whether to share her blood test results with her son")
    expect(capacity_table).to_contain_text(LACKS)
    decisions_table = page.get_by_test_id("best-interests-decisions")
    expect(decisions_table.locator("tbody tr")).to_have_count(1)
    expect(decisions_table).to_contain_text("Share her blood test results with her son")
    expect(decisions_table.get_by_role("cell", name="Share", exact=True)).to_be_visible()

    decision = BestInterestsDecision.objects.get()
    assert (decision.person, decision.recorded_by, decision.capacity_assessment) == (
        person,
        manager,
        assessment,
    )
    assert decision.consulted == ["person", "family"]
    assert (decision.could_regain_capacity, decision.sharing_in_best_interests) == ("no", True)
    # The decision is about what the assessment was about, whatever the form said.
    assert (decision.information_category, decision.recipient_class) == ("test_results", "family")
    assert (decision.decided_on, decision.review_date) == (today(), today() + timedelta(days=60))


def test_capacity_outcome_that_contradicts_the_answers_is_refused(sign_in, live_server):
    person = rose_person()
    page = sign_in("rose.manager")
    page.goto(f"{live_server.url}/people/{person.pk}/capacity/new/")

    fill_capacity_assessment(
        page,
        impairment="No",
        answers={UNDERSTAND: "No", RETAIN: "Yes", USE_OR_WEIGH: "Yes", COMMUNICATE: "Yes"},
        outcome=LACKS,
    )
    page.get_by_role("button", name="Save assessment").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("listitem")).to_have_count(1)
    expect(summary).to_contain_text("The outcome does not match the answers")
    outcome_error = page.get_by_role("group", name="Outcome", exact=True).locator(
        ".govuk-error-message"
    )
    expect(outcome_error).to_contain_text("The outcome does not match the answers")
    # What was typed is kept, so the manager corrects the outcome rather than starting again.
    expect(
        page.get_by_role("group", name=IMPAIRMENT_QUESTION, exact=True).get_by_label(
            "No", exact=True
        )
    ).to_be_checked()
    assert not CapacityAssessment.objects.exists()


def test_manager_adds_a_representative_and_verifies_them(sign_in, live_server):
    person = rose_person()
    manager = User.objects.get(username="rose.manager")
    page = sign_in("rose.manager")
    open_person_page(page, live_server, person)

    page.get_by_role("link", name="Add an attorney or deputy").click()
    choose(page, "Type", "Attorney: Lasting Power of Attorney for health and welfare")
    page.get_by_label("Full name").fill("David Clarke")
    page.get_by_label("Relationship to the person").fill("Son")
    page.get_by_role("textbox", name="Contact details").fill("07700 900123")
    choose(page, "Information their authority covers", "Health and medical information")
    fill_date(page, "Valid from", date(2022, 4, 1))
    page.get_by_role("button", name="Save representative").click()

    expect(success_banner(page)).to_contain_text("Representative saved")
    expect(page.get_by_role("heading", level=1)).to_have_text("David Clarke")
    expect(page.get_by_test_id("representative-flag")).to_have_text(NOT_VERIFIED)
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "Do not treat a request from David Clarke as the person's own"
    )
    representative = Representative.objects.get()
    assert (representative.person, representative.recorded_by) == (person, manager)
    assert (representative.kind, representative.covers) == ("lpa_health_welfare", ["health"])
    assert (representative.valid_from, representative.valid_to) == (date(2022, 4, 1), None)

    page.get_by_role("link", name=f"Back to {person.full_name}").click()
    expect(page.get_by_test_id("representative-flag")).to_have_text(NOT_VERIFIED)
    page.goto(f"{live_server.url}/consent/reviews/")
    unverified = page.get_by_test_id("unverified-representatives")
    expect(unverified.locator("tbody tr")).to_have_count(1)
    expect(unverified).to_contain_text(person.full_name)
    unverified.get_by_role("link", name=re.compile("^David Clarke")).click()

    page.get_by_role("link", name="Record verification").click()
    choose(page, "How it was checked", OPG_SERVICE)
    page.get_by_label("Reference", exact=True).fill("V-1234-5678-9012")
    fill_date(page, "Date checked", today())
    page.get_by_role("button", name="Save verification").click()

    expect(success_banner(page)).to_contain_text("Verification saved")
    expect(page.get_by_test_id("representative-flag")).to_have_count(0)
    expect(page.locator(".govuk-warning-text")).to_have_count(0)
    expect(page.locator("main .govuk-tag")).to_have_text("Verified")
    expect(page.get_by_test_id("history")).to_contain_text("reference V-1234-5678-9012")
    expect(page.get_by_role("link", name="Record verification")).to_have_count(0)

    verification = RepresentativeVerification.objects.get()
    assert (verification.representative, verification.verified_by) == (representative, manager)
    assert (verification.method, verification.verified_on) == ("opg_use_an_lpa", today())

    page.get_by_role("link", name=f"Back to {person.full_name}").click()
    representatives = page.get_by_test_id("representatives")
    expect(representatives.get_by_text("Verified", exact=True)).to_be_visible()
    expect(page.get_by_test_id("representative-flag")).to_have_count(0)
    page.goto(f"{live_server.url}/consent/reviews/")
    expect(page.get_by_test_id("unverified-representatives")).to_have_count(0)
    expect(page.get_by_test_id("no-unverified")).to_be_visible()


def test_care_worker_may_record_consent_but_not_capacity_or_representatives(sign_in, live_server):
    person = rose_person()
    page = sign_in("rose.carer")
    open_person_page(page, live_server, person)

    expect(page.get_by_role("link", name="Record consent", exact=True)).to_be_visible()
    expect(
        page.get_by_role("link", name="Record consent for photographs and video")
    ).to_be_visible()
    for name in RECORD_BUTTONS[2:]:
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)

    for path in ["capacity/new/", "best-interests/new/", "representatives/new/"]:
        response = page.goto(f"{live_server.url}/people/{person.pk}/{path}")
        assert response.status == 403, path


def test_auditor_reads_the_consent_section_but_records_nothing(sign_in, live_server):
    person = rose_person()
    page = sign_in("rose.auditor")
    open_person_page(page, live_server, person)

    expect(page.get_by_role("heading", name="Consent", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Mental capacity")).to_be_visible()
    expect(page.get_by_role("heading", name="Attorneys and deputies")).to_be_visible()
    for name in RECORD_BUTTONS:
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)

    response = page.goto(f"{live_server.url}/people/{person.pk}/consents/new/")
    assert response.status == 403


def test_another_services_care_worker_cannot_open_a_consent_record(sign_in, live_server):
    person = rose_person()
    consent = ConsentRecordFactory(
        person=person, recorded_by=User.objects.get(username="rose.carer")
    )
    page = sign_in("oak.carer")

    response = page.goto(f"{live_server.url}{consent.get_absolute_url()}")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("body")).not_to_contain_text(person.family_name)
    expect(page.locator("body")).not_to_contain_text(consent.purpose)


@pytest.fixture
def consent_pages(demo_logins):
    """The path of every consent page, with records (made directly) for each to show."""
    person, other = Person.objects.filter(service__name="Rose House", is_active=True).order_by(
        "pk"
    )[:2]
    manager = User.objects.get(username="rose.manager")
    mine = {"person": person, "recorded_by": manager}
    consent = ConsentRecordFactory(**mine, review_date=today() + timedelta(days=10))
    image_consent = ConsentRecordFactory(
        **mine,
        information_category="images_video",
        recipient_class="other_organisation",
        image_subject="Photographs at the summer fete",
        image_benefit="She enjoys seeing them in the newsletter",
        use_in_care_record=True,
        use_on_internal_display=True,
    )
    ConsentWithdrawal.objects.create(
        consent=ConsentRecordFactory(**mine, recipient_class="gp"),
        withdrawn_by=manager,
        reason="Recorded in error",
    )
    assessment = CapacityAssessmentFactory(**mine)
    decision = BestInterestsDecisionFactory(capacity_assessment=assessment, recorded_by=manager)
    unverified = RepresentativeFactory(**mine)
    RepresentativeVerificationFactory(
        representative=RepresentativeFactory(**mine, name="Ann Clarke"), verified_by=manager
    )
    at = f"/people/{person.pk}/"
    return {
        "consent form": f"{at}consents/new/",
        "image consent form": f"{at}consents/new-images/",
        "consent record": consent.get_absolute_url(),
        "image consent record": image_consent.get_absolute_url(),
        "withdraw form": f"{at}consents/{consent.pk}/withdraw/",
        "capacity form": f"{at}capacity/new/",
        "capacity record": assessment.get_absolute_url(),
        "best-interests form, no assessment": f"/people/{other.pk}/best-interests/new/",
        "best-interests form": f"{at}best-interests/new/",
        "best-interests record": decision.get_absolute_url(),
        "representative form": f"{at}representatives/new/",
        "representative record": unverified.get_absolute_url(),
        "verification form": f"{at}representatives/{unverified.pk}/verify/",
        "ended form": f"{at}representatives/{unverified.pk}/end/",
        "reviews": "/consent/reviews/",
        "person page with records": at,
    }


# The representative page puts its buttons in a <div> inside the history's <ol> (see
# templates/consent/representative_detail.html): axe's "list" rule, WCAG 1.3.1.
LIST_HOLDS_A_DIV = {"id": "list", "impact": "serious", "nodes": ["ol"]}
KNOWN_VIOLATIONS = {"representative record": [LIST_HOLDS_A_DIV]}

CONSENT_PAGES = [
    "consent form",
    "image consent form",
    "consent record",
    "image consent record",
    "withdraw form",
    "capacity form",
    "capacity record",
    "best-interests form, no assessment",
    "best-interests form",
    "best-interests record",
    "representative form",
    "representative record",
    "verification form",
    "ended form",
    "reviews",
    "person page with records",
]


def assert_no_axe_violations(axe_violations, name: str) -> None:
    """No violations. A page with a known, reported one fails (pytest.fail) on any other, and
    then asserts there are none: that assertion is the expected failure until it is fixed."""
    violations = axe_violations()
    unexpected = [v for v in violations if v not in KNOWN_VIOLATIONS.get(name, [])]
    if unexpected:
        pytest.fail(f"axe-core violations: {unexpected}")
    assert violations == []


@pytest.mark.parametrize("name", CONSENT_PAGES)
def test_consent_pages_have_no_axe_violations(
    sign_in, live_server, axe_violations, consent_pages, name
):
    page = sign_in("rose.manager")
    response = page.goto(f"{live_server.url}{consent_pages[name]}")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if name == "best-interests form, no assessment":
        expect(page.get_by_test_id("no-assessments")).to_be_visible()
        expect(page.locator("main form")).to_have_count(0)
    elif name == "best-interests form":
        expect(page.get_by_test_id("no-assessments")).to_have_count(0)
        expect(page.get_by_role("button", name="Save best-interests decision")).to_be_visible()
    elif name == "reviews":
        expect(page.get_by_test_id("due-consents")).to_be_visible()
        expect(page.get_by_test_id("unverified-representatives")).to_be_visible()
    elif name == "person page with records":
        for table in [
            "consents",
            "capacity-assessments",
            "best-interests-decisions",
            "representatives",
        ]:
            expect(page.get_by_test_id(table)).to_be_visible()
    assert_no_axe_violations(axe_violations, name)


@pytest.mark.parametrize(
    ("name", "button"),
    [
        ("consent form", "Save consent"),
        ("image consent form", "Save image and video consent"),
        ("withdraw form", "Withdraw"),
        ("capacity form", "Save assessment"),
        ("best-interests form", "Save best-interests decision"),
        ("representative form", "Save representative"),
        ("verification form", "Save verification"),
        ("ended form", "Record that it ended"),
    ],
)
def test_consent_forms_sent_empty_show_errors_with_no_axe_violations(
    sign_in, live_server, axe_violations, consent_pages, name, button
):
    page = sign_in("rose.manager")
    page.goto(f"{live_server.url}{consent_pages[name]}")
    page.get_by_role("button", name=button, exact=True).click()

    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_no_axe_violations(axe_violations, name)


def test_radio_questions_offer_only_real_answers(sign_in, live_server, consent_pages):
    page = sign_in("rose.manager")
    blank_options = {}
    for name in [
        "consent form",
        "image consent form",
        "capacity form",
        "best-interests form",
        "representative form",
        "verification form",
    ]:
        page.goto(f"{live_server.url}{consent_pages[name]}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        blank_options[name] = page.get_by_role("radio", name="---------").count()
    assert blank_options == dict.fromkeys(blank_options, 0)
