"""The "when to share" wizard, driven through the browser: record a request, answer one question
per page, check the answers and the recommendation, take advice, record the decision and what
follows it (police, sign-off, addenda).

Each journey types and clicks as a member of staff would, then checks what the database holds.
"""

import re
import uuid
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from carehub.models import Person, User
from decisions import services
from decisions.models import (
    Addendum,
    Advice,
    Decision,
    PoliceNotification,
    SharingRequest,
    SignOff,
)
from decisions.questions import QUESTIONS
from tests.factories import (
    CapacityAssessmentFactory,
    DecisionFactory,
    RepresentativeVerificationFactory,
    SharingAgreementFactory,
    SharingRequestFactory,
)

FAMILY_ASKS = "A family member, carer or friend asks"
ATTORNEY_ASKS = "An attorney or deputy asks"
SAFEGUARDING = "A safeguarding concern: we are considering raising it"
ATTORNEY = "David Clarke, Attorney: Lasting Power of Attorney for health and welfare"

LEGITIMATE_PURPOSE = QUESTIONS["legitimate_purpose"].text
CAPACITY = QUESTIONS["person_has_capacity"].text
CONSENT = QUESTIONS["consent"].text
AUTHORITY = QUESTIONS["attorney_authority_covers_information"].text
ATTORNEY_BEST_INTERESTS = QUESTIONS["attorney_deems_best_interests"].text
ENQUIRY = QUESTIONS["enquiry_or_investigation"].text
HARM = QUESTIONS["harm"].text
CRIMINAL = QUESTIONS["criminal"].text

YOUR_DECISION = "Your decision"
RATIONALE = "Why? Give the reasons for your decision"
JUSTIFICATION = "Why does your decision differ from the recommendation?"
REQUESTER_TOLD = "Has the person who asked been told it will not be shared?"
PERSON_TOLD = "Has the person been told about this decision?"
HOW_PERSON_TOLD = "How was the person told, or why not?"
HOW_REQUESTER_TOLD = "How was the person who asked told, or why not?"
PRINCIPLES = ["Necessary and proportionate", "Relevant", "Adequate", "Accurate", "Timely", "Secure"]
PRINCIPLE_KEYS = [
    "necessary_and_proportionate",
    "relevant",
    "adequate",
    "accurate",
    "timely",
    "secure",
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


def option(page: Page, legend: str, label: str):
    return page.get_by_role("group", name=legend, exact=True).get_by_label(label, exact=True)


def success_banner(page: Page):
    return page.locator(".govuk-notification-banner--success")


def error_summary(page: Page):
    return page.locator(".govuk-error-summary")


def h1(page: Page):
    return page.get_by_role("heading", level=1)


def open_person_page(page: Page, live_server, person: Person) -> None:
    page.goto(f"{live_server.url}/people/{person.pk}/")
    expect(h1(page)).to_have_text(person.full_name)


def fill_request(
    page: Page,
    *,
    route: str,
    name: str,
    role: str,
    contact: str,
    information: str,
    detail: str,
    recipient: str,
    how: str,
    organisation: str = "",
    representative: str | None = None,
) -> None:
    """Every field of the "Record a request for information" form."""
    expect(h1(page)).to_have_text("Record a request for information")
    choose(page, "Who is asking, or why are you considering sharing?", route)
    if representative:
        choose(page, "Which attorney or deputy?", representative)
    page.get_by_label("Their name").fill(name)
    page.get_by_label("Relationship to the person, or role").fill(role)
    if organisation:
        page.get_by_label("Organisation", exact=True).fill(organisation)
    page.get_by_role("textbox", name="Contact details").fill(contact)
    choose(page, "Information asked for", information)
    page.get_by_label("What exactly is asked for?").fill(detail)
    choose(page, "Who would receive it", recipient)
    fill_date(page, "Date received", today())
    choose(page, "How it was received", how)
    page.get_by_role("button", name="Continue").click()


def answer(page: Page, question: str, reply: str) -> None:
    """On the page asking ``question`` (its h1), choose ``reply`` and continue."""
    expect(h1(page)).to_have_text(question)
    choose(page, question, reply)
    page.get_by_role("button", name="Continue").click()


def tell_the_person(page: Page, told: str, note: str) -> None:
    telling = page.get_by_role("group", name="Telling the person", exact=True)
    telling.get_by_role("group", name=PERSON_TOLD, exact=True).get_by_label(
        told, exact=True
    ).check()
    telling.get_by_label(HOW_PERSON_TOLD, exact=True).fill(note)


def fill_withhold(page: Page, *, rationale: str, requester_note: str, person_note: str) -> None:
    choose(page, YOUR_DECISION, "Withhold")
    page.get_by_label(RATIONALE).fill(rationale)
    withholding = page.get_by_role("group", name="If you are withholding", exact=True)
    withholding.get_by_role("group", name=REQUESTER_TOLD, exact=True).get_by_label(
        "Yes", exact=True
    ).check()
    withholding.get_by_label(HOW_REQUESTER_TOLD, exact=True).fill(requester_note)
    tell_the_person(page, "Yes", person_note)


def fill_principles(page: Page) -> None:
    for label in PRINCIPLES:
        page.get_by_label(f"{label}: I have checked this", exact=True).check()
        page.get_by_label(f"{label}: how", exact=True).fill(f"Checked: {label.lower()}")


def fill_share(
    page: Page,
    *,
    rationale: str,
    article6: str,
    article9: str,
    what: str,
    method: str,
    recipient: str,
    person_told: str = "No",
    person_note: str = "Telling her now could put her at greater risk",
    principles: bool = True,
) -> None:
    """The share half of the decision form (and telling the person); ``principles=False``
    leaves the six principles unticked and blank."""
    choose(page, YOUR_DECISION, "Share")
    page.get_by_label(RATIONALE).fill(rationale)
    choose(page, "Lawful basis (UK GDPR Article 6)", article6)
    choose(page, "Condition for health or care information (UK GDPR Article 9)", article9)
    page.get_by_label("What exactly was shared?").fill(what)
    fill_date(page, "Date shared", today())
    page.get_by_label("Time shared").fill("14:30")
    choose(page, "How was it shared?", method)
    page.get_by_label("Shared with (name)").fill(recipient)
    if principles:
        fill_principles(page)
    tell_the_person(page, person_told, person_note)


def record_decision(page: Page) -> None:
    page.get_by_role("button", name="Record the decision").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_test_id("header-user")).to_have_count(0)


# -- the journeys ------------------------------------------------------------------------------


def test_family_member_asks_and_the_person_refuses(sign_in, live_server):
    person = rose_person()
    carer = User.objects.get(username="rose.carer")
    page = sign_in("rose.carer")
    open_person_page(page, live_server, person)
    expect(page.get_by_test_id("chronology")).to_have_count(0)

    page.get_by_role("link", name="Record a request for information").click()
    fill_request(
        page,
        route=FAMILY_ASKS,
        name="Susan Clarke",
        role="Daughter",
        contact="07700 900456",
        information="Test results",
        detail="Her blood test results from last week",
        recipient="Family member",
        how="Phone",
    )
    sharing_request = SharingRequest.objects.get()
    expect(page).to_have_url(
        f"{live_server.url}/requests/{sharing_request.pk}/questions/legitimate_purpose/"
    )
    expect(page.get_by_text(f"{person.full_name}: question 1")).to_be_visible()
    expect(page.get_by_test_id("from-records")).to_have_count(0)
    answer(page, LEGITIMATE_PURPOSE, "Yes")
    answer(page, CAPACITY, "Yes, they can decide")
    answer(page, CONSENT, "No, they refuse")

    expect(page).to_have_url(f"{live_server.url}/requests/{sharing_request.pk}/check/")
    expect(h1(page)).to_have_text("Check your answers")
    answers = page.get_by_test_id("answers")
    expect(answers.locator(".govuk-summary-list__row")).to_have_count(3)
    expect(answers).to_contain_text("No, they refuse")
    expect(page.get_by_test_id("recommendation")).to_have_text("Recommendation: do not share")
    expect(page.get_by_test_id("reasons")).to_contain_text("Rule 5")
    expect(page.get_by_test_id("reasons")).to_contain_text("has refused their consent")

    page.get_by_role("link", name="Continue to record the decision").click()
    expect(h1(page)).to_have_text("Record the decision")
    expect(option(page, YOUR_DECISION, "Withhold")).to_be_checked()  # the recommendation
    fill_withhold(
        page,
        rationale="Margaret said clearly she does not want Susan told",
        requester_note="Told Susan by phone that Margaret has asked us not to share it",
        person_note="Told Margaret this afternoon",
    )
    record_decision(page)

    expect(success_banner(page)).to_contain_text("Decision recorded")
    decision = Decision.objects.get()
    expect(page).to_have_url(f"{live_server.url}/decisions/{decision.pk}/")
    expect(h1(page)).to_have_text("Decision: withhold")
    expect(page.get_by_test_id("sign-off")).to_have_count(0)
    expect(page.get_by_test_id("police")).to_have_count(0)
    withhold = page.get_by_test_id("withhold")
    expect(withhold).to_contain_text("Told Susan by phone")
    summary = page.get_by_test_id("decision")
    expect(summary).to_contain_text("Do not share")  # the recommendation
    expect(summary).to_contain_text("Margaret said clearly she does not want Susan told")
    expect(summary).to_contain_text(carer.get_full_name())

    page.get_by_role("link", name=f"Back to {person.full_name}").click()
    chronology = page.get_by_test_id("chronology")
    expect(chronology.locator("tbody tr")).to_have_count(1)
    expect(chronology).to_contain_text(FAMILY_ASKS)
    expect(chronology).to_contain_text("Susan Clarke: test results")
    expect(chronology.get_by_role("link", name="Withheld")).to_have_attribute(
        "href", decision.get_absolute_url()
    )

    assert (decision.person, decision.decided_by, decision.request) == (
        person,
        carer,
        sharing_request,
    )
    assert (decision.recommendation, decision.final, decision.needs_sign_off) == (
        "withhold",
        "withhold",
        False,
    )
    assert decision.actions == []
    assert decision.facts == {
        "requester": "family_carer_friend",
        "legitimate_purpose": True,
        "person_has_capacity": True,
        "consent": "refused",
    }
    assert [step["fact"] for step in decision.answer_path] == [
        "legitimate_purpose",
        "person_has_capacity",
        "consent",
    ]
    assert (decision.requester_told, decision.person_told) == (True, True)
    assert decision.requester_told_note.startswith("Told Susan by phone")
    assert (decision.article6_basis, decision.method, decision.shared_at) == ("", "", None)
    assert (sharing_request.created_by, sharing_request.received_how) == (carer, "phone")
    assert (sharing_request.information_category, sharing_request.recipient_class) == (
        "test_results",
        "family",
    )
    assert sharing_request.received_on == today()


def test_safeguarding_without_consent_about_a_crime_is_shared_told_to_police_and_signed_off(
    sign_in, live_server
):
    person = rose_person()
    carer = User.objects.get(username="rose.carer")
    manager = User.objects.get(username="rose.manager")
    page = sign_in("rose.carer")
    open_person_page(page, live_server, person)

    page.get_by_role("link", name="Record a request for information").click()
    fill_request(
        page,
        route=SAFEGUARDING,
        name="Adult safeguarding duty team",
        role="Local authority safeguarding",
        organisation="Westshire County Council",
        contact="safeguarding@westshire.gov.uk",
        information="Health and medical information",
        detail="The bruising seen on her arms this morning and what she said about it",
        recipient="Local authority (social services)",
        how="Raised by staff (no request received)",
    )
    answer(page, ENQUIRY, "No")
    answer(page, CAPACITY, "Yes, they can decide")
    answer(page, CONSENT, "No, they refuse")
    answer(page, HARM, "Serious")
    answer(page, CRIMINAL, "Yes")

    expect(h1(page)).to_have_text("Check your answers")
    expect(page.get_by_test_id("recommendation")).to_have_text("Recommendation: share")
    reasons = page.get_by_test_id("reasons")
    expect(reasons).to_contain_text("Rule 7")
    expect(reasons).to_contain_text("serious harm")
    expect(page.locator("main .govuk-warning-text")).to_contain_text("The police must also be told")

    page.get_by_role("link", name="Continue to record the decision").click()
    expect(option(page, YOUR_DECISION, "Share")).to_be_checked()
    expect(page.get_by_label("Shared with (name)")).to_have_value("Adult safeguarding duty team")
    fill_share(
        page,
        rationale="Serious harm: unexplained bruising, and she fears the visitor",
        article6="Article 6(1)(d) vital interests",
        article9="Safeguarding of individuals at risk (DPA 2018 Schedule 1 paragraph 18)",
        what="The bruising seen this morning and what she said",
        method="Secure portal",
        recipient="Duty social worker",
    )
    record_decision(page)

    expect(success_banner(page)).to_contain_text("Decision recorded")
    expect(h1(page)).to_have_text("Decision: share")
    expect(page.get_by_test_id("sign-off")).to_contain_text("Awaiting sign-off")
    expect(page.get_by_test_id("police")).to_have_text(
        re.compile(r"Follow-up needed: the police must be told")
    )
    expect(page.get_by_role("link", name="Sign off", exact=True)).to_have_count(0)  # its maker
    share = page.get_by_test_id("share")
    expect(share).to_contain_text("Secure portal")
    expect(share).to_contain_text(f"{today().day} {today():%B %Y}, 14:30")
    expect(share).to_contain_text("Checked: necessary and proportionate")

    page.get_by_role("link", name="Record that the police were told").click()
    expect(h1(page)).to_have_text("Record that the police were told")
    fill_date(page, "Date the police were told", today())
    page.get_by_label("Police force").fill("Westshire Police")
    page.get_by_label("Crime or incident reference").fill("CR/123/26")
    page.get_by_label("Officer or team").fill("PC 1234 Jones")
    page.get_by_role("button", name="Save").click()

    expect(success_banner(page)).to_contain_text("Police notification saved")
    expect(page.get_by_test_id("police")).to_contain_text("reference CR/123/26")
    expect(page.get_by_test_id("police")).to_contain_text("Westshire Police")
    expect(page.get_by_role("link", name="Record that the police were told")).to_have_count(0)
    decision_url = page.url

    sign_out(page)
    page = sign_in("rose.manager")
    page.goto(f"{live_server.url}/decisions/queue/")
    awaiting = page.get_by_test_id("awaiting-sign-off")
    expect(awaiting.get_by_role("listitem")).to_have_count(1)
    awaiting.get_by_role("link", name=f"{person.full_name}: share").click()
    expect(page).to_have_url(decision_url)

    page.get_by_role("link", name="Sign off", exact=True).click()
    expect(h1(page)).to_have_text("Sign off this decision")
    choose(page, "Do you agree with this decision?", "Agreed")
    page.get_by_role("button", name="Sign off").click()

    expect(success_banner(page)).to_contain_text("Decision signed off")
    sign_off = page.get_by_test_id("sign-off")
    expect(sign_off).to_contain_text(f"Signed off by {manager.get_full_name()}")
    expect(sign_off).to_contain_text("Agreed")
    expect(page.get_by_role("link", name="Sign off", exact=True)).to_have_count(0)
    page.goto(f"{live_server.url}/decisions/queue/")
    expect(page.get_by_test_id("nothing-awaiting")).to_be_visible()

    decision = Decision.objects.get()
    assert (decision.recommendation, decision.final, decision.needs_sign_off) == (
        "share",
        "share",
        True,
    )
    assert decision.actions == ["notify_police"]
    assert decision.facts == {
        "requester": "safeguarding",
        "enquiry_or_investigation": False,
        "person_has_capacity": True,
        "consent": "refused",
        "harm": "serious",
        "criminal": True,
    }
    assert (decision.article6_basis, decision.article9_condition, decision.method) == (
        "vital_interests",
        "safeguarding",
        "secure_portal",
    )
    assert decision.recipient_name == "Duty social worker"
    assert timezone.localtime(decision.shared_at).replace(tzinfo=None) == datetime.combine(
        today(), time(14, 30)
    )
    assert decision.principles == {
        key: f"Checked: {label.lower()}"
        for key, label in zip(PRINCIPLE_KEYS, PRINCIPLES, strict=True)
    }
    assert (decision.person_told, decision.requester_told) == (False, None)
    assert decision.decided_by == carer
    police = PoliceNotification.objects.get()
    assert (police.decision, police.recorded_by) == (decision, carer)
    assert (police.police_force, police.reference, police.officer) == (
        "Westshire Police",
        "CR/123/26",
        "PC 1234 Jones",
    )
    assert timezone.localdate(police.notified_at) == today()
    sign_off_row = SignOff.objects.get()
    assert (sign_off_row.decision, sign_off_row.signed_by, sign_off_row.outcome) == (
        decision,
        manager,
        "agreed",
    )


def test_attorney_with_verified_authority_while_the_person_lacks_capacity(sign_in, live_server):
    person = rose_person()
    attorney = RepresentativeVerificationFactory(
        representative__person=person, representative__covers=["test_results", "health"]
    ).representative
    CapacityAssessmentFactory(
        person=person, information_category="test_results", recipient_class="family"
    )
    page = sign_in("rose.carer")
    open_person_page(page, live_server, person)

    page.get_by_role("link", name="Record a request for information").click()
    fill_request(
        page,
        route=ATTORNEY_ASKS,
        representative=ATTORNEY,
        name="David Clarke",
        role="Son, attorney for health and welfare",
        contact="07700 900123",
        information="Test results",
        detail="Her blood test results from last week",
        recipient="Family member",
        how="In person",
    )

    expect(h1(page)).to_have_text(CAPACITY)
    from_records = page.get_by_test_id("from-records")
    expect(from_records).to_contain_text("From the records:")
    expect(from_records).to_contain_text("Lacks capacity to make this decision")
    expect(from_records.get_by_role("link", name="See the record")).to_be_visible()
    lacks = option(page, CAPACITY, "No, they lack capacity for this decision")
    expect(lacks).to_be_checked()
    page.get_by_role("button", name="Continue").click()

    expect(h1(page)).to_have_text(AUTHORITY)
    expect(page.get_by_test_id("from-records")).to_contain_text("their authority covers this")
    expect(option(page, AUTHORITY, "Yes")).to_be_checked()
    page.get_by_role("button", name="Continue").click()

    answer(page, ATTORNEY_BEST_INTERESTS, "Yes")

    expect(h1(page)).to_have_text("Check your answers")
    expect(page.get_by_test_id("recommendation")).to_have_text("Recommendation: share")
    expect(page.get_by_test_id("reasons")).to_contain_text("Rule 4")
    expect(page.get_by_test_id("answers")).to_contain_text(
        "No, they lack capacity for this decision"
    )
    page.get_by_role("link", name="Continue to record the decision").click()
    fill_share(
        page,
        rationale="Her attorney's verified authority covers test results; she lacks capacity",
        article6="Article 6(1)(c) legal obligation",
        article9="Article 9(2)(h) health or social care (DPA 2018 Schedule 1 paragraph 2)",
        what="The blood test results of last week",
        method="In person",
        recipient="David Clarke",
        person_told="Yes",
        person_note="Explained to her in simple words",
    )
    record_decision(page)

    expect(success_banner(page)).to_contain_text("Decision recorded")
    expect(h1(page)).to_have_text("Decision: share")
    expect(page.get_by_test_id("sign-off")).to_have_count(0)
    expect(page.get_by_test_id("police")).to_have_count(0)
    expect(page.get_by_test_id("request-summary")).to_contain_text(ATTORNEY)

    decision = Decision.objects.get()
    assert (decision.recommendation, decision.final, decision.needs_sign_off) == (
        "share",
        "share",
        False,
    )
    assert decision.actions == []
    assert decision.facts == {
        "requester": "attorney_or_deputy",
        "person_has_capacity": False,
        "attorney_authority_covers_information": True,
        "attorney_deems_best_interests": True,
    }
    assert (decision.article6_basis, decision.article9_condition, decision.method) == (
        "legal_obligation",
        "health_or_social_care",
        "in_person",
    )
    assert decision.request.representative == attorney
    assert decision.person_told is True


def test_unclear_harm_asks_the_local_authority_then_withholds(sign_in, live_server):
    person = rose_person()
    carer = User.objects.get(username="rose.carer")
    page = sign_in("rose.carer")
    open_person_page(page, live_server, person)

    page.get_by_role("link", name="Record a request for information").click()
    fill_request(
        page,
        route=SAFEGUARDING,
        name="Adult safeguarding duty team",
        role="Local authority safeguarding",
        contact="01632 960000",
        information="Care plan and daily care notes",
        detail="Notes about a fall and a later argument with a visitor",
        recipient="Local authority (social services)",
        how="Raised by staff (no request received)",
    )
    answer(page, ENQUIRY, "No")
    answer(page, CAPACITY, "Yes, they can decide")
    answer(page, CONSENT, "Consent could not be obtained")
    answer(page, HARM, "Not clear")

    expect(h1(page)).to_have_text("Check your answers")
    expect(page.get_by_test_id("recommendation")).to_have_text(
        "Recommendation: ask the local authority for advice"
    )
    expect(page.get_by_test_id("reasons")).to_contain_text("without giving personal details")
    expect(page.get_by_role("link", name="Record the decision")).to_have_count(0)
    expect(page.get_by_role("link", name="Continue to record the decision")).to_have_count(0)

    page.get_by_role("link", name="Record the advice").click()
    expect(h1(page)).to_have_text("Record the local authority's advice")
    page.get_by_label("Local authority", exact=True).fill("Westshire County Council")
    page.get_by_label("Team or role of the adviser").fill("Adult safeguarding duty team")
    fill_date(page, "Date of the advice", today())
    page.get_by_label("The advice given").fill("Monitor, record any further incident, call back")
    page.get_by_role("button", name="Save the advice").click()

    # Not without confirming the person's details were not given.
    expect(error_summary(page)).to_contain_text(
        "Advice is asked for without giving personal details: confirm you did not give them"
    )
    assert not Advice.objects.exists()
    expect(page.get_by_label("The advice given")).to_have_value(
        "Monitor, record any further incident, call back"
    )
    page.get_by_label(
        "I did not give the person's name or other details that identify them"
    ).check()
    page.get_by_role("button", name="Save the advice").click()

    expect(success_banner(page)).to_contain_text("Advice saved. Now record your decision.")
    expect(h1(page)).to_have_text("Check your answers")
    advice = page.get_by_test_id("advice")
    expect(advice).to_contain_text("Westshire County Council (Adult safeguarding duty team)")
    expect(advice).to_contain_text("Monitor, record any further incident, call back")
    expect(page.get_by_role("link", name="Record the advice")).to_have_count(0)

    page.get_by_role("link", name="Record the decision").click()
    expect(h1(page)).to_have_text("Record the decision")
    # Advice is not a recommendation to share or withhold: nothing is chosen for the worker.
    expect(option(page, YOUR_DECISION, "Share")).not_to_be_checked()
    expect(option(page, YOUR_DECISION, "Withhold")).not_to_be_checked()
    fill_withhold(
        page,
        rationale="The local authority advised monitoring; she did not agree to a referral",
        requester_note="Nobody asked: raised by staff",
        person_note="Told her we will keep an eye on things and why",
    )
    record_decision(page)

    expect(success_banner(page)).to_contain_text("Decision recorded")
    expect(h1(page)).to_have_text("Decision: withhold")
    expect(page.get_by_test_id("decision")).to_contain_text("Ask the local authority for advice")

    decision = Decision.objects.get()
    assert (decision.recommendation, decision.final, decision.needs_sign_off) == (
        "seek_advice",
        "withhold",
        False,
    )
    assert decision.departure_justification == ""
    assert decision.facts == {
        "requester": "safeguarding",
        "enquiry_or_investigation": False,
        "person_has_capacity": True,
        "consent": "not_obtained",
        "harm": "unclear",
    }
    stored = Advice.objects.get()
    assert (stored.request, stored.recorded_by) == (decision.request, carer)
    assert (stored.organisation, stored.asked_on) == ("Westshire County Council", today())
    assert stored.no_personal_details_given is True


# -- bad input -----------------------------------------------------------------------------------


def carer_request(**kwargs) -> SharingRequest:
    return SharingRequestFactory(
        person=rose_person(), created_by=User.objects.get(username="rose.carer"), **kwargs
    )


SHARE_ANSWERS = {"legitimate_purpose": True, "person_has_capacity": True, "consent": "given"}
WITHHOLD_ANSWERS = {"legitimate_purpose": False}


def test_a_share_without_the_principles_is_explained_and_saves_nothing(sign_in, live_server):
    sharing_request = carer_request(answers=SHARE_ANSWERS)
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/requests/{sharing_request.pk}/decide/")
    expect(page.get_by_test_id("recommendation")).to_have_text("Recommendation: share")

    fill_share(
        page,
        rationale="She asked for her daughter to have the results",
        article6="Article 6(1)(a) consent",
        article9="Article 9(2)(a) explicit consent",
        what="The blood test results",
        method="Phone",
        recipient="Susan Clarke",
        person_told="Yes",
        person_note="She asked us to",
        principles=False,
    )
    record_decision(page)

    summary = error_summary(page)
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    expected = []
    for label in PRINCIPLES:
        expected += [
            f"Confirm the information is {label.lower()}",
            f"Enter how it is {label.lower()}",
        ]
    expect(summary.get_by_role("listitem")).to_have_text(expected)
    for key, label in zip(PRINCIPLE_KEYS, PRINCIPLES, strict=True):
        expect(page.locator(f"#div_id_{key}_confirmed .govuk-error-message")).to_contain_text(
            f"Confirm the information is {label.lower()}"
        )
        expect(page.locator(f"#div_id_{key}_note .govuk-error-message")).to_contain_text(
            f"Enter how it is {label.lower()}"
        )
    # What was typed is kept, so the worker only adds what is missing.
    expect(page.get_by_label(RATIONALE)).to_have_value(
        "She asked for her daughter to have the results"
    )
    expect(option(page, "How was it shared?", "Phone")).to_be_checked()
    assert not Decision.objects.exists()

    fill_principles(page)
    record_decision(page)
    expect(success_banner(page)).to_contain_text("Decision recorded")
    decision = Decision.objects.get()
    assert (decision.final, decision.method, decision.needs_sign_off) == ("share", "phone", False)
    assert set(decision.principles) == set(PRINCIPLE_KEYS)


def test_a_departure_from_the_recommendation_must_be_justified_and_is_signed_off(
    sign_in, live_server
):
    sharing_request = carer_request(answers=WITHHOLD_ANSWERS)
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/requests/{sharing_request.pk}/decide/")
    expect(page.get_by_test_id("recommendation")).to_have_text("Recommendation: do not share")
    expect(option(page, YOUR_DECISION, "Withhold")).to_be_checked()

    fill_share(
        page,
        rationale="Her GP asked for them urgently",
        article6="Article 6(1)(e) public task",
        article9="Article 9(2)(h) health or social care (DPA 2018 Schedule 1 paragraph 2)",
        what="The blood test results",
        method="Secure portal",
        recipient="Dr Patel",
    )
    record_decision(page)

    summary = error_summary(page)
    expect(summary.get_by_role("listitem")).to_have_text(
        ["Explain why your decision differs from the recommendation"]
    )
    justification = page.locator("#div_id_departure_justification")
    expect(justification).to_contain_text(
        "Explain why your decision differs from the recommendation"
    )
    assert not Decision.objects.exists()

    page.get_by_label(JUSTIFICATION).fill("The GP needs them today to adjust her medication")
    record_decision(page)
    expect(success_banner(page)).to_contain_text("Decision recorded")
    expect(page.get_by_test_id("sign-off")).to_contain_text("Awaiting sign-off")
    expect(page.get_by_test_id("decision")).to_contain_text(
        "The GP needs them today to adjust her medication"
    )
    decision = Decision.objects.get()
    assert (decision.recommendation, decision.final, decision.needs_sign_off) == (
        "withhold",
        "share",
        True,
    )
    assert decision.departure_justification == "The GP needs them today to adjust her medication"


def test_a_withhold_without_telling_anyone_is_explained_and_saves_nothing(sign_in, live_server):
    sharing_request = carer_request(answers=WITHHOLD_ANSWERS)
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/requests/{sharing_request.pk}/decide/")
    page.get_by_label(RATIONALE).fill("No legitimate purpose")
    record_decision(page)

    expect(error_summary(page).get_by_role("listitem")).to_have_text(
        [
            "Select whether the person who asked has been told",
            "Enter how they were told, or why not",
            "Select yes or no: has the person been told about this decision?",
            "Enter how the person was told, or why not",
        ]
    )
    assert not Decision.objects.exists()


def test_the_request_form_explains_every_mistake_and_saves_nothing(sign_in, live_server):
    person = rose_person()
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/people/{person.pk}/requests/new/")
    choose(page, "Who is asking, or why are you considering sharing?", ATTORNEY_ASKS)
    fill_date(page, "Date received", today() + timedelta(days=1))
    page.get_by_role("button", name="Continue").click()

    summary = error_summary(page)
    expect(page).to_have_title(re.compile("^Error: "))
    for message in [
        # The person has no attorney or deputy on record, so there is none to choose.
        "No attorney or deputy is recorded for this person: a registered manager adds them, "
        "with how their authority was checked, before their request is recorded",
        "Enter their name",
        "Enter their relationship to the person, or their role",
        "Enter their contact details",
        "Select the information asked for",
        "Enter what exactly is asked for",
        "Select who would receive it",
        "The date received must be today or in the past",
        "Select how the request was received",
    ]:
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(
        option(page, "Who is asking, or why are you considering sharing?", ATTORNEY_ASKS)
    ).to_be_checked()
    assert not SharingRequest.objects.exists()


def test_a_question_must_be_answered(sign_in, live_server):
    sharing_request = carer_request()
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/requests/{sharing_request.pk}/")
    page.get_by_role("link", name="Continue").click()
    expect(h1(page)).to_have_text(LEGITIMATE_PURPOSE)
    page.get_by_role("button", name="Continue").click()

    expect(error_summary(page).get_by_role("listitem")).to_have_text(["Select an answer"])
    expect(page).to_have_title(re.compile("^Error: "))
    expect(h1(page)).to_have_text(LEGITIMATE_PURPOSE)
    sharing_request.refresh_from_db()
    assert (sharing_request.answers, sharing_request.version) == ({}, 1)


def test_changing_an_answer_on_the_check_page_changes_the_recommendation(sign_in, live_server):
    sharing_request = carer_request(
        answers={"legitimate_purpose": True, "person_has_capacity": True, "consent": "refused"}
    )
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/requests/{sharing_request.pk}/check/")
    expect(page.get_by_test_id("recommendation")).to_have_text("Recommendation: do not share")

    page.get_by_role("link", name=f"Change the answer to: {CONSENT}").click()
    expect(h1(page)).to_have_text(CONSENT)
    expect(option(page, CONSENT, "No, they refuse")).to_be_checked()  # the answer given
    answer(page, CONSENT, "Yes, they consent")

    expect(page.get_by_test_id("recommendation")).to_have_text("Recommendation: share")
    expect(page.get_by_test_id("answers")).to_contain_text("Yes, they consent")
    sharing_request.refresh_from_db()
    assert sharing_request.answers["consent"] == "given"
    assert sharing_request.version == 2


# -- accessibility -------------------------------------------------------------------------------

SAFEGUARDING_ADVICE_ANSWERS = {
    "enquiry_or_investigation": False,
    "person_has_capacity": True,
    "consent": "not_obtained",
    "harm": "unclear",
}


def withhold_decision(**kwargs) -> Decision:
    """A family member's request withheld, as recommended (no sign-off, no police)."""
    return DecisionFactory(
        **{
            "request__route": "family_carer_friend",
            "request__recipient_class": "family",
            "request__answers": WITHHOLD_ANSWERS,
            "recommendation": "withhold",
            "recommendation_reasons": ["Rule 5 (policy section 3): no legitimate purpose"],
            "actions": [],
            "final": "withhold",
            "rationale": "No legitimate purpose",
            "article6_basis": "",
            "article9_condition": "",
            "what_shared": "",
            "shared_at": None,
            "method": "",
            "recipient_name": "",
            "principles": {},
            "requester_told": True,
            "requester_told_note": "Told her by phone",
            "person_told": True,
            "person_told_note": "Told this afternoon",
            "needs_sign_off": False,
            **kwargs,
        }
    )


@pytest.fixture
def sharing_pages(demo_logins):
    """The path of every wizard page, with records (made directly) for each to show."""
    person = rose_person()
    carer = User.objects.get(username="rose.carer")
    manager = User.objects.get(username="rose.manager")
    mine = {"person": person, "created_by": carer}
    fresh = SharingRequestFactory(**mine)
    purpose_given = SharingRequestFactory(**mine, answers={"legitimate_purpose": True})
    to_share = SharingRequestFactory(**mine, answers=SHARE_ANSWERS)
    to_withhold = SharingRequestFactory(**mine, answers=WITHHOLD_ANSWERS)
    advice_needed = SharingRequestFactory(
        **mine,
        route="safeguarding",
        recipient_class="local_authority",
        answers=SAFEGUARDING_ADVICE_ANSWERS,
    )
    advised = SharingRequestFactory(
        **mine,
        route="safeguarding",
        recipient_class="local_authority",
        answers=SAFEGUARDING_ADVICE_ANSWERS,
    )
    Advice.objects.create(
        request=advised,
        organisation="Westshire County Council",
        contact_role="Adult safeguarding duty team",
        asked_on=today(),
        advice="Monitor and record",
        no_personal_details_given=True,
        recorded_by=carer,
    )
    SharingRequestFactory(  # the person's own request, overdue: for the deadlines lists
        **mine, route="person", received_on=today() - timedelta(days=40), due_on=today()
    )
    pending = DecisionFactory(request__person=person, request__created_by=carer, decided_by=carer)
    withheld = withhold_decision(
        request__person=person, request__created_by=carer, decided_by=carer
    )
    done = DecisionFactory(request__person=person, request__created_by=carer, decided_by=carer)
    SignOff.objects.create(decision=done, outcome="agreed", note="", signed_by=manager)
    PoliceNotification.objects.create(
        decision=done,
        notified_at=timezone.now(),
        police_force="Westshire Police",
        reference="CR/1/26",
        recorded_by=carer,
    )
    Addendum.objects.create(
        decision=done,
        text="The social worker's name was Sam Green",
        reason="Left out",
        recorded_by=carer,
        submission_key=uuid.uuid4(),
    )
    rose_house = person.service
    SharingAgreementFactory(service=rose_house, created_by=manager)
    SharingAgreementFactory(
        service=rose_house,
        created_by=manager,
        title="Westshire adult social care agreement",
        review_date=today() - timedelta(days=1),
    )
    questions = "/requests/{}/questions/{}/"
    return {
        "request form": f"/people/{person.pk}/requests/new/",
        "request page": fresh.get_absolute_url(),
        "question without records": questions.format(fresh.pk, "legitimate_purpose"),
        "question with records": questions.format(purpose_given.pk, "person_has_capacity"),
        "check page, share": f"/requests/{to_share.pk}/check/",
        "check page, withhold": f"/requests/{to_withhold.pk}/check/",
        "check page, seek advice": f"/requests/{advice_needed.pk}/check/",
        "check page, advice recorded": f"/requests/{advised.pk}/check/",
        "advice form": f"/requests/{advice_needed.pk}/advice/",
        "decision form, share": f"/requests/{to_share.pk}/decide/",
        "decision form, withhold": f"/requests/{to_withhold.pk}/decide/",
        "decision form, after advice": f"/requests/{advised.pk}/decide/",
        "decision page, sign-off and police pending": pending.get_absolute_url(),
        "decision page, withhold": withheld.get_absolute_url(),
        "decision page, signed off, police told, addendum": done.get_absolute_url(),
        "sign-off form": f"/decisions/{pending.pk}/sign-off/",
        "police form": f"/decisions/{pending.pk}/police/",
        "addendum form": f"/decisions/{pending.pk}/addenda/new/",
        "my open requests": "/requests/",
        "queue": "/decisions/queue/",
        "agreements": "/agreements/",
        "agreement form": "/agreements/new/",
        "person page with requests and decisions": f"/people/{person.pk}/",
    }


# (page, who looks at it): rose.manager unless the page is about the carer's own work.
SHARING_PAGES = [
    ("request form", "rose.carer"),
    ("request page", "rose.carer"),
    ("question without records", "rose.carer"),
    ("question with records", "rose.carer"),
    ("check page, share", "rose.carer"),
    ("check page, withhold", "rose.carer"),
    ("check page, seek advice", "rose.carer"),
    ("check page, advice recorded", "rose.carer"),
    ("advice form", "rose.carer"),
    ("decision form, share", "rose.carer"),
    ("decision form, withhold", "rose.carer"),
    ("decision form, after advice", "rose.carer"),
    ("decision page, sign-off and police pending", "rose.manager"),
    ("decision page, withhold", "rose.carer"),
    ("decision page, signed off, police told, addendum", "rose.carer"),
    ("sign-off form", "rose.manager"),
    ("police form", "rose.carer"),
    ("addendum form", "rose.carer"),
    ("my open requests", "rose.carer"),
    ("queue", "rose.manager"),
    ("agreements", "rose.manager"),
    ("agreement form", "rose.manager"),
    ("person page with requests and decisions", "rose.carer"),
]

# What each page must show, so axe checks the page with its content, not an empty one.
PAGE_CONTENT = {
    "question without records": lambda page: expect(
        page.get_by_test_id("from-records")
    ).to_have_count(0),
    "question with records": lambda page: expect(
        page.get_by_test_id("from-records")
    ).to_be_visible(),
    "check page, share": lambda page: expect(page.get_by_test_id("recommendation")).to_have_text(
        "Recommendation: share"
    ),
    "check page, withhold": lambda page: expect(page.get_by_test_id("recommendation")).to_have_text(
        "Recommendation: do not share"
    ),
    "check page, seek advice": lambda page: expect(
        page.get_by_test_id("recommendation")
    ).to_have_text("Recommendation: ask the local authority for advice"),
    "check page, advice recorded": lambda page: expect(
        page.get_by_test_id("advice")
    ).to_be_visible(),
    "decision form, share": lambda page: expect(page.get_by_test_id("agreements")).to_have_count(0),
    "decision form, after advice": lambda page: expect(
        page.get_by_test_id("agreements")
    ).to_contain_text("Westshire safeguarding information-sharing protocol"),
    "decision page, sign-off and police pending": lambda page: expect(
        page.get_by_role("link", name="Sign off", exact=True)
    ).to_be_visible(),
    "decision page, withhold": lambda page: expect(page.get_by_test_id("withhold")).to_be_visible(),
    "decision page, signed off, police told, addendum": lambda page: expect(
        page.get_by_test_id("addenda")
    ).to_be_visible(),
    "my open requests": lambda page: expect(page.get_by_test_id("open-requests")).to_be_visible(),
    "queue": lambda page: expect(page.get_by_test_id("awaiting-sign-off")).to_be_visible(),
    "agreements": lambda page: expect(page.get_by_test_id("agreements")).to_be_visible(),
    "person page with requests and decisions": lambda page: expect(
        page.get_by_test_id("chronology")
    ).to_be_visible(),
}


@pytest.mark.parametrize(("name", "username"), SHARING_PAGES)
def test_sharing_pages_have_no_axe_violations(
    sign_in, live_server, axe_violations, sharing_pages, name, username
):
    page = sign_in(username)
    response = page.goto(f"{live_server.url}{sharing_pages[name]}")
    assert response.status == 200
    expect(h1(page)).to_be_visible()
    if name in PAGE_CONTENT:
        PAGE_CONTENT[name](page)
    assert axe_violations() == []


@pytest.mark.parametrize(
    ("name", "username", "button"),
    [
        ("request form", "rose.carer", "Continue"),
        ("question without records", "rose.carer", "Continue"),
        ("advice form", "rose.carer", "Save the advice"),
        ("decision form, share", "rose.carer", "Record the decision"),
        ("decision form, after advice", "rose.carer", "Record the decision"),
        ("sign-off form", "rose.manager", "Sign off"),
        ("police form", "rose.carer", "Save"),
        ("addendum form", "rose.carer", "Add to the record"),
        ("agreement form", "rose.manager", "Save agreement"),
    ],
)
def test_sharing_forms_sent_empty_show_errors_with_no_axe_violations(
    sign_in, live_server, axe_violations, sharing_pages, name, username, button
):
    page = sign_in(username)
    page.goto(f"{live_server.url}{sharing_pages[name]}")
    page.get_by_role("button", name=button, exact=True).click()

    expect(error_summary(page)).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    assert axe_violations() == []


# -- who may do what ----------------------------------------------------------------------------


def test_auditor_reads_a_decision_but_records_nothing(sign_in, live_server):
    person = rose_person()
    carer = User.objects.get(username="rose.carer")
    decision = DecisionFactory(request__person=person, request__created_by=carer, decided_by=carer)
    page = sign_in("rose.auditor")

    page.goto(f"{live_server.url}{decision.get_absolute_url()}")
    expect(h1(page)).to_have_text("Decision: share")
    expect(page.get_by_test_id("sign-off")).to_contain_text("Awaiting sign-off")
    expect(page.get_by_test_id("police")).to_contain_text("the police must be told")
    for name in ["Add a correction or addition", "Sign off", "Record that the police were told"]:
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)

    open_person_page(page, live_server, person)
    expect(page.get_by_test_id("chronology")).to_be_visible()
    expect(page.get_by_role("link", name="Record a request for information")).to_have_count(0)

    for path in [
        f"/people/{person.pk}/requests/new/",
        f"/decisions/{decision.pk}/addenda/new/",
        f"/decisions/{decision.pk}/sign-off/",
        f"/decisions/{decision.pk}/police/",
        f"/requests/{decision.request.pk}/check/",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 403, path
    assert not SharingRequest.objects.exclude(pk=decision.request.pk).exists()


def test_another_services_care_worker_cannot_open_a_rose_house_decision(sign_in, live_server):
    person = rose_person()
    carer = User.objects.get(username="rose.carer")
    decision = DecisionFactory(request__person=person, request__created_by=carer, decided_by=carer)
    page = sign_in("oak.carer")

    for path in [
        decision.get_absolute_url(),
        decision.request.get_absolute_url(),
        f"/requests/{decision.request.pk}/check/",
        f"/people/{person.pk}/requests/new/",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404, path
        expect(h1(page)).to_have_text("Page not found")
        expect(page.locator("body")).not_to_contain_text(person.family_name)
        expect(page.locator("body")).not_to_contain_text(decision.rationale)


# -- stale pages and GOV.UK patterns ------------------------------------------------------------


def test_a_decision_on_answers_someone_else_changed_is_refused_and_saves_nothing(
    sign_in, live_server
):
    sharing_request = carer_request(answers=SHARE_ANSWERS)
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/requests/{sharing_request.pk}/decide/")
    expect(page.get_by_test_id("recommendation")).to_have_text("Recommendation: share")
    fill_share(
        page,
        rationale="She asked for her daughter to have the results",
        article6="Article 6(1)(a) consent",
        article9="Article 9(2)(a) explicit consent",
        what="The blood test results",
        method="Phone",
        recipient="Susan Clarke",
    )
    # Meanwhile a colleague records that she now refuses: the recommendation is now withhold.
    services.record_answer(request=sharing_request, fact="consent", value="refused", version=1)
    record_decision(page)

    expect(page.locator("main .govuk-notification-banner")).to_contain_text(
        "Someone else changed this request's answers after you opened the page"
    )
    expect(h1(page)).to_have_text("Check your answers")
    expect(page.get_by_test_id("recommendation")).to_have_text("Recommendation: do not share")
    assert not Decision.objects.exists()


def test_a_decision_on_answers_someone_else_reopened_says_why_nothing_was_saved(
    sign_in, live_server
):
    sharing_request = carer_request(answers=WITHHOLD_ANSWERS)
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/requests/{sharing_request.pk}/decide/")
    fill_withhold(
        page,
        rationale="No legitimate purpose",
        requester_note="Told her by phone",
        person_note="Told this afternoon",
    )
    # Meanwhile a colleague changes the first answer: a new question now needs answering.
    services.record_answer(
        request=sharing_request, fact="legitimate_purpose", value=True, version=1
    )
    record_decision(page)

    expect(h1(page)).to_have_text(CAPACITY)  # the question the new answer raises
    assert not Decision.objects.exists()
    # Everything the worker typed was thrown away: they must be told why.
    expect(page.locator("main .govuk-notification-banner")).to_contain_text(
        "Someone else changed this request's answers", timeout=2000
    )


@pytest.mark.parametrize(
    ("message", "target"),
    [
        ("Enter their name", lambda page: page.get_by_label("Their name")),
        pytest.param(
            "Select who is asking",
            lambda page: page.get_by_label("The person asks to see their own information"),
        ),
        pytest.param(
            "Enter the date received",
            lambda page: page.get_by_role("group", name="Date received").get_by_label("Day"),
        ),
    ],
)
def test_error_summary_links_move_focus_to_the_question(sign_in, live_server, message, target):
    """GOV.UK error summary: each link takes the keyboard to the answer it is about."""
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}/people/{rose_person().pk}/requests/new/")
    page.get_by_role("button", name="Continue").click()

    error_summary(page).get_by_role("link", name=message).click()

    expect(target(page)).to_be_focused(timeout=2000)


@pytest.mark.parametrize(
    "name",
    [
        "request form",
        "question without records",
        "decision form, share",
        "sign-off form",
        "agreement form",
    ],
)
def test_radio_questions_offer_only_real_answers(sign_in, live_server, sharing_pages, name):
    page = sign_in("rose.manager")
    page.goto(f"{live_server.url}{sharing_pages[name]}")
    expect(h1(page)).to_be_visible()
    radios = page.get_by_role("radio")
    expect(radios.first).to_be_attached()
    assert page.locator('input[type="radio"][value=""]').count() == 0
    expect(page.get_by_role("radio", name="---------")).to_have_count(0)


def test_the_decision_page_shows_each_answer_as_given(sign_in, live_server):
    person = rose_person()
    carer = User.objects.get(username="rose.carer")
    facts = {"legitimate_purpose": True, "person_has_capacity": True, "consent": "refused"}
    decision = withhold_decision(
        request__person=person,
        request__created_by=carer,
        request__answers=facts,
        decided_by=carer,
        answer_path=[
            {
                "fact": fact,
                "question": QUESTIONS[fact].text,
                "answer": value,
                "label": QUESTIONS[fact].label_for(value),
            }
            for fact, value in facts.items()
        ],
    )
    page = sign_in("rose.carer")
    page.goto(f"{live_server.url}{decision.get_absolute_url()}")
    answer_path = page.get_by_test_id("answer-path")
    expect(answer_path.locator(".govuk-summary-list__row")).to_have_count(3)

    consent_row = answer_path.locator(".govuk-summary-list__row").filter(has_text=CONSENT)
    expect(consent_row.locator("dd")).to_have_text(re.compile("refuse"), timeout=2000)
