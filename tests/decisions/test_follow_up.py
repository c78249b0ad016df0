"""What follows a decision: sign-off by a different manager, once; the police follow-up, once;
agreements edited without losing someone else's change."""

import pytest
from django.urls import reverse
from django.utils import timezone

from carehub.models import Role
from decisions import services
from decisions.models import PoliceNotification, SharingAgreement, SignOff
from tests.factories import DecisionFactory, SharingAgreementFactory


@pytest.fixture
def manager_a(make_user, service_a):
    return make_user(Role.REGISTERED_MANAGER, service_a, username="manager.a")


def test_a_manager_cannot_sign_off_their_own_decision(manager_a, person_a):
    decision = DecisionFactory(request__person=person_a, decided_by=manager_a)
    with pytest.raises(services.AlreadyDoneError, match="different manager"):
        services.sign_off(decision=decision, user=manager_a, sign_off=SignOff(outcome="agreed"))
    assert not SignOff.objects.exists()


def test_sign_off_happens_once(client, manager_a, person_a):
    decision = DecisionFactory(request__person=person_a)
    client.force_login(manager_a)
    url = reverse("decisions:sign_off", args=[decision.pk])
    client.post(url, {"outcome": "agreed"})
    response = client.post(url, {"outcome": "not_agreed", "note": "x"}, follow=True)
    assert SignOff.objects.get().outcome == "agreed"
    assert "already been signed off" in response.content.decode()


def test_disagreeing_needs_a_note(client, manager_a, person_a):
    decision = DecisionFactory(request__person=person_a)
    client.force_login(manager_a)
    response = client.post(
        reverse("decisions:sign_off", args=[decision.pk]), {"outcome": "not_agreed"}
    )
    assert "Enter what happens next" in response.context["form"].errors["note"]
    assert not SignOff.objects.exists()


def test_a_decision_that_needs_no_sign_off_has_no_sign_off_page(client, manager_a, person_a):
    decision = DecisionFactory(request__person=person_a, needs_sign_off=False)
    client.force_login(manager_a)
    assert client.get(reverse("decisions:sign_off", args=[decision.pk])).status_code == 404


def test_police_follow_up_only_where_the_rules_call_for_it(client, carer_a, person_a):
    decision = DecisionFactory(request__person=person_a, actions=[])
    client.force_login(carer_a)
    assert client.get(reverse("decisions:police", args=[decision.pk])).status_code == 404
    assert not PoliceNotification.objects.exists()


def test_queue_lists_what_awaits_the_manager(client, manager_a, person_a, person_b):
    pending = DecisionFactory(request__person=person_a)
    DecisionFactory(request__person=person_b)  # another service
    client.force_login(manager_a)
    response = client.get(reverse("decisions:queue"))
    assert list(response.context["awaiting"]) == [pending]
    assert list(response.context["police_due"]) == [pending]


def test_agreement_edits_from_an_old_page_are_refused(client, manager_a, service_a):
    agreement = SharingAgreementFactory(service=service_a)
    client.force_login(manager_a)
    url = reverse("decisions:agreement_edit", args=[agreement.pk])
    data = {
        "service": service_a.pk,
        "title": "Renamed",
        "partner_type": "local_authority",
        "parties": agreement.parties,
        "covers": ["health"],
        "purposes": agreement.purposes,
        "reference": agreement.reference,
        "review_date_0": agreement.review_date.day,
        "review_date_1": agreement.review_date.month,
        "review_date_2": agreement.review_date.year,
        "version": 1,
    }
    client.post(url, data)
    assert SharingAgreement.objects.get().version == 2
    response = client.post(url, {**data, "title": "Someone else's older edit"}, follow=True)
    assert "Someone else changed this agreement" in response.content.decode()
    assert SharingAgreement.objects.get().title == "Renamed"


def test_an_agreement_past_review_is_flagged_where_staff_share(
    client, carer_a, person_a, service_a
):
    from tests.factories import SharingRequestFactory

    SharingAgreementFactory(service=service_a, review_date=timezone.localdate().replace(year=2020))
    request = SharingRequestFactory(
        person=person_a, recipient_class="local_authority", answers={"legitimate_purpose": False}
    )
    client.force_login(carer_a)
    page = client.get(reverse("decisions:decide", args=[request.pk])).content.decode()
    assert "Westshire safeguarding information-sharing protocol" in page
    assert "Past its review date" in page
