"""A demo breach for `make run`: an open one, so the ICO clock shows on the manager's home
page. Idempotent: a fixed submission key finds the first on a second load."""

import uuid
from datetime import timedelta

from django.utils import timezone

from carehub.models import User

from .models import BreachReport, Status, StatusEvent
from .services import _next_number

NAMESPACE = uuid.UUID("8c2b7d4e-1f0a-4b6c-9e3d-5a7f2c1b0d94")


def load(service) -> None:
    submission_key = uuid.uuid5(NAMESPACE, str(service.pk))
    if BreachReport.objects.filter(submission_key=submission_key).exists():
        return
    carer = User.objects.get(username=f"{service.name.split()[0].lower()}.carer")
    now = timezone.now()
    report = BreachReport.objects.create(
        number=_next_number(),
        service=service,
        reporter=carer,
        submission_key=submission_key,
        what_happened="A handover sheet listing medication was left in the visitors' lounge",
        category="paper_left_out",
        occurred_at=now - timedelta(hours=14),
        discovered_at=now - timedelta(hours=10),
        other_people_count=4,
        information=["health", "care_plan"],
        containment="Sheet collected and shredded",
    )
    StatusEvent.objects.create(
        breach=report, status=Status.REPORTED, reason="Report submitted", recorded_by=carer
    )
