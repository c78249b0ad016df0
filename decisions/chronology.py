"""The decisions app's entries in a person's chronology."""

from carehub.chronology import Entry

from .models import Addendum, Decision, PoliceNotification, SharingRequest, SignOff


def entries(person):
    for item in SharingRequest.objects.filter(person=person).select_related("created_by"):
        yield Entry(
            item.created_at,
            "Request for information",
            f"{item.get_route_display()}: {item.requester_name}, "
            f"{item.get_information_category_display().lower()}",
            item.created_by,
            item.get_absolute_url(),
        )
    for decision in Decision.objects.filter(person=person).select_related("decided_by"):
        yield Entry(
            decision.decided_at,
            f"Decision: {decision.get_final_display().lower()}",
            decision.rationale,
            decision.decided_by,
            decision.get_absolute_url(),
        )
    for addendum in Addendum.objects.filter(decision__person=person).select_related(
        "decision", "recorded_by"
    ):
        yield Entry(
            addendum.recorded_at,
            "Addendum to a decision",
            addendum.text,
            addendum.recorded_by,
            addendum.decision.get_absolute_url(),
        )
    for sign_off in SignOff.objects.filter(decision__person=person).select_related(
        "decision", "signed_by"
    ):
        yield Entry(
            sign_off.signed_at,
            "Decision signed off",
            sign_off.get_outcome_display(),
            sign_off.signed_by,
            sign_off.decision.get_absolute_url(),
        )
    for notice in PoliceNotification.objects.filter(decision__person=person).select_related(
        "decision", "recorded_by"
    ):
        yield Entry(
            notice.notified_at,
            "Police told",
            f"{notice.police_force}, reference {notice.reference}",
            notice.recorded_by,
            notice.decision.get_absolute_url(),
        )
