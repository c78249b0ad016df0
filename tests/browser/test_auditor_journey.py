"""An auditor filters the decision history, opens a person's chronology and downloads a CSV
whose rows are the ones listed."""

import csv
import io

from playwright.sync_api import expect

from carehub.models import Person, User
from tests.factories import DecisionFactory


def test_auditor_filters_reads_a_chronology_and_downloads_the_rows(
    sign_in, live_server, axe_violations
):
    people = list(Person.objects.filter(service__name="Rose House", is_active=True)[:2])
    carer = User.objects.get(username="rose.carer")
    withheld = DecisionFactory(
        request__person=people[0],
        decided_by=carer,
        final="withhold",
        recommendation="withhold",
        requester_told=True,
        requester_told_note="Told by phone",
        needs_sign_off=False,
    )
    DecisionFactory(request__person=people[1], decided_by=carer)

    page = sign_in("rose.auditor")
    page.get_by_role("link", name="Decision history").click()
    expect(page.get_by_test_id("history").locator("tbody tr")).to_have_count(2)

    page.get_by_text("Filter and sort").click()
    page.get_by_label("Decision", exact=True).select_option("withhold")
    page.get_by_label("Person's name or NHS number").fill(people[0].full_name)
    page.get_by_role("button", name="Filter").click()
    rows = page.get_by_test_id("history").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(people[0].full_name)
    # The name is kept out of the address; the download link carries a token for it.
    assert "final=withhold" in page.url
    assert people[0].family_name.lower() not in page.url.lower()
    expect(page.get_by_label("Person's name or NHS number")).to_have_value(people[0].full_name)
    assert axe_violations() == []

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV (spreadsheet)").click()
    content = download_info.value.path().read_text(encoding="utf-8-sig")
    exported = list(csv.DictReader(io.StringIO(content)))
    assert [row["decision_id"] for row in exported] == [str(withheld.pk)]

    page.goto(f"{live_server.url}/people/{people[0].pk}/chronology/")
    chronology = page.get_by_test_id("chronology")
    expect(chronology).to_contain_text("Decision: withhold")
    expect(chronology).to_contain_text("Records viewed")
    assert axe_violations() == []

    # The audit trail shows the auditor's own reads and export, and exports the same rows.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Audit trail").click()
    page.locator("summary", has_text="Filter").click()
    page.get_by_label("Reads, exports and other events").check()
    page.get_by_label("By", exact=True).select_option(
        label=str(User.objects.get(username="rose.auditor"))
    )
    page.get_by_role("button", name="Filter").click()
    listed = page.get_by_test_id("audit-events").locator("tbody tr")
    expect(listed.first).to_be_visible()
    assert axe_violations() == []
    listed_actions = [row.locator("td").nth(2).inner_text() for row in listed.all()]
    assert "decisions.history.exported" in listed_actions
    assert "carehub.person.viewed" in listed_actions

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV (spreadsheet)").click()
    content = download_info.value.path().read_text(encoding="utf-8-sig")
    exported = list(csv.DictReader(io.StringIO(content)))
    assert [row["action"] for row in exported] == listed_actions
