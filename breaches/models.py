"""Breach reports and their review.

A report is permanent once submitted. Everything that happens afterwards — a status change, the
manager's grading and decision, the ICO submission, telling the people affected, actions,
closure — is a new timestamped row with who, when and why. The database refuses to change or
delete any of them.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from carehub.models import Person, Service
from carehub.vocabulary import InformationCategory

from . import grading


class Category(models.TextChoices):
    DEVICE_LOST_OR_STOLEN = "device", "Theft or loss of a phone, tablet or computer"
    RECORD_LOST = "record_lost", "Loss of a record or document"
    SHARED_WITHOUT_NEED = "shared_without_need", "Shared with someone who did not need to know"
    SHARED_WITHOUT_CONSENT = (
        "shared_without_consent",
        "Shared without consent or good reason",
    )
    SOCIAL_MEDIA = "social_media", "Image or video posted on social media"
    RECORD_LEFT_OPEN = "record_left_open", "Electronic record left open"
    PAPER_LEFT_OUT = "paper_left_out", "Paper records left lying around"
    VIRUS_OR_HACK = "virus_or_hack", "Virus or hack"
    OTHER = "other", "Something else"


class Status(models.TextChoices):
    REPORTED = "reported", "Reported"
    UNDER_REVIEW = "under_review", "Under review"
    CLOSED = "closed", "Closed"


class BreachReport(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.PositiveIntegerField(unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="breaches")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confidential = models.BooleanField(
        "Report through whistleblowing",
        default=False,
        help_text="Your name is hidden from the service's managers.",
    )
    near_miss = models.BooleanField(default=False)
    what_happened = models.TextField()
    category = models.CharField(max_length=32, choices=Category.choices)
    category_other = models.CharField(max_length=200, blank=True)
    occurred_at = models.DateTimeField("When it happened")
    discovered_at = models.DateTimeField("When it was discovered")
    people = models.ManyToManyField(Person, blank=True, related_name="breaches")
    other_people_count = models.PositiveIntegerField(default=0)
    information = ArrayField(models.CharField(max_length=32, choices=InformationCategory.choices))
    containment = models.TextField("What has been done already", blank=True)
    decision = models.ForeignKey(
        "decisions.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breaches",
    )
    reported_at = models.DateTimeField(default=timezone.now, editable=False)
    submission_key = models.UUIDField(unique=True, editable=False)

    class Meta:
        ordering = ["-reported_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discovered_at__gte=F("occurred_at")),
                name="breach_discovered_after_it_happened",
            ),
            models.CheckConstraint(condition=~Q(what_happened=""), name="breach_described"),
            models.CheckConstraint(
                condition=~Q(category="other") | ~Q(category_other=""),
                name="breach_other_category_described",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("breaches:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"BR-{self.number:05d}"

    @property
    def became_aware_at(self):
        """The service became aware when any of its staff discovered the breach: the anchor of
        the ICO clock (the earliest, and so the safer, reading)."""
        return self.discovered_at

    @property
    def ico_deadline(self):
        return grading.ico_deadline(self.became_aware_at)

    def countdown(self, now=None):
        return grading.countdown(self.became_aware_at, now or timezone.now())

    def clock(self, now=None) -> dict:
        """Where the breach stands against the ICO deadline: reported, decided not reportable,
        or counting down (and overdue) until one of those is recorded."""
        submission = IcoSubmission.objects.filter(breach=self).first()
        if submission is not None:
            late = submission.submitted_at > self.ico_deadline
            return {
                "kind": "reported",
                "deadline": self.ico_deadline,
                "late": late,
                "text": f"Reported to the ICO{' late' if late else ''}",
            }
        latest = self.latest("assessments")
        if latest is not None and not latest.notify_ico:
            return {
                "kind": "not_reportable",
                "deadline": self.ico_deadline,
                "text": "Decided not reportable to the ICO",
            }
        countdown = self.countdown(now)
        return {
            "kind": "countdown",
            "deadline": countdown.deadline,
            "overdue": countdown.overdue,
            "text": countdown.text,
        }

    def information_labels(self) -> list[str]:
        return [InformationCategory(code).label for code in self.information]

    @property
    def involves_people_supported(self) -> bool:
        return self.other_people_count > 0 or self.people.exists()

    @property
    def special_category(self) -> bool:
        return bool({"health", "care_plan", "test_results"} & set(self.information))

    def one(self, related: str):
        """The breach's one-to-one entry (``ico_submission``, ``closure``), or None."""
        try:
            return getattr(self, related)
        except models.ObjectDoesNotExist:
            return None

    def latest(self, related: str):
        return getattr(self, related).order_by("-recorded_at").first()

    @property
    def status(self) -> str:
        event = self.latest("status_events")
        return event.status if event else Status.REPORTED

    @property
    def status_label(self) -> str:
        return Status(self.status).label


class BreachRecord(models.Model):
    """What every entry after the report carries: the breach, who and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["recorded_at"]


class StatusEvent(BreachRecord):
    breach = models.ForeignKey(BreachReport, on_delete=models.PROTECT, related_name="status_events")
    status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.TextField()

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.reason}"


class Assessment(BreachRecord):
    """The manager's grading and decisions: report to the ICO? tell the people affected?"""

    breach = models.ForeignKey(BreachReport, on_delete=models.PROTECT, related_name="assessments")
    # Sent twice, saved once (empty on assessments recorded before keys were kept).
    submission_key = models.UUIDField(unique=True, editable=False, null=True)
    likelihood = models.PositiveSmallIntegerField(choices=list(grading.LIKELIHOOD.items()))
    severity = models.PositiveSmallIntegerField(choices=list(grading.SEVERITY.items()))
    suggested_reportable = models.BooleanField()
    notify_ico = models.BooleanField("Report to the ICO?")
    reasons = models.TextField("Reasons")
    departure_justification = models.TextField(blank=True)
    suggested_tell_people = models.BooleanField()
    tell_people = models.BooleanField("Tell the people affected?")
    tell_people_reasons = models.TextField("Reasons")

    class Meta(BreachRecord.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, severity__gte=1, severity__lte=5),
                name="assessment_scores_on_the_scales",
            ),
            models.CheckConstraint(
                condition=Q(notify_ico=F("suggested_reportable")) | ~Q(departure_justification=""),
                name="assessment_departure_is_justified",
            ),
        ]

    def __str__(self) -> str:
        return f"Likelihood {self.likelihood}, severity {self.severity}"


class IcoSubmission(BreachRecord):
    breach = models.OneToOneField(
        BreachReport, on_delete=models.PROTECT, related_name="ico_submission"
    )
    submitted_at = models.DateTimeField("When it was submitted")
    ico_reference = models.CharField("ICO reference", max_length=100)
    delay_reason = models.TextField("Reason for the delay", blank=True)

    def __str__(self) -> str:
        return f"ICO {self.ico_reference}"


class PeopleTold(BreachRecord):
    breach = models.ForeignKey(BreachReport, on_delete=models.PROTECT, related_name="people_told")
    submission_key = models.UUIDField(unique=True, editable=False, null=True)
    told = models.BooleanField("Have the people affected been told?")
    told_on = models.DateField("When", null=True, blank=True)
    how_or_why_not = models.TextField("How, or why not")

    def __str__(self) -> str:
        return "Told" if self.told else "Not told"


class Action(BreachRecord):
    breach = models.ForeignKey(BreachReport, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(
        max_length=16,
        choices=[
            ("containment", "Containment"),
            ("recovery", "Recovery"),
            ("prevention", "Prevention"),
        ],
    )
    description = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    submission_key = models.UUIDField(unique=True, editable=False)

    def __str__(self) -> str:
        return self.description


class Closure(BreachRecord):
    breach = models.OneToOneField(BreachReport, on_delete=models.PROTECT, related_name="closure")
    lessons_learned = models.TextField()
    outcome_for_reporter = models.TextField()

    def __str__(self) -> str:
        return f"Closed {self.recorded_at:%d %b %Y}"
