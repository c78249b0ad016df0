"""Core records: services, the people they support, staff and their roles, and audit events."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .validators import normalise_nhs_number, validate_nhs_number


class Role(models.TextChoices):
    CARE_STAFF = "care_staff", "Care staff"
    REGISTERED_MANAGER = "registered_manager", "Registered manager"
    AUDITOR = "auditor", "Auditor"
    ADMIN = "admin", "Administrator"


class User(AbstractUser):
    """A member of staff who signs in. What they may do comes from their memberships."""

    class Meta:
        db_table = "carehub_user"
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Service(models.Model):
    """A care home or domiciliary-care branch registered with the CQC."""

    name = models.CharField(max_length=200, unique=True)
    cqc_location_id = models.CharField(
        "CQC location ID", max_length=20, blank=True, help_text="For example 1-123456789"
    )
    care_staff_use_two_step = models.BooleanField(
        "Care staff sign in with a code from an authenticator app",
        default=True,
        help_text=(
            "Registered managers, auditors and administrators always do. Turn this off only "
            "where care staff cannot carry a phone or security key at work."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one service. A user may hold several, in different services."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["service__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "service", "role"], name="membership_unique_role_per_service"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}, {self.service}"


class NHSNumberField(models.CharField):
    """Ten digits; the spaces and hyphens people type are removed before validation."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_nhs_number(value) if value else value


class Person(models.Model):
    """Someone a service supports. Identified in URLs by a random UUID, never a sequence."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="people")
    given_name = models.CharField("Given name", max_length=100)
    family_name = models.CharField("Family name", max_length=100)
    preferred_name = models.CharField(
        "Preferred name", max_length=100, blank=True, help_text="What the person likes to be called"
    )
    date_of_birth = models.DateField("Date of birth")
    nhs_number = NHSNumberField(
        "NHS number",
        max_length=10,
        blank=True,
        validators=[validate_nhs_number],
        help_text="Optional. 10 digits, for example 943 476 5919",
    )
    is_active = models.BooleanField(
        "Currently supported",
        default=True,
        help_text="Untick when the person has left the service; their records are kept.",
    )
    left_on = models.DateField("Date left", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "people"
        ordering = ["family_name", "given_name", "date_of_birth"]
        indexes = [
            models.Index(Lower("family_name"), Lower("given_name"), name="person_name_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "nhs_number"],
                condition=~models.Q(nhs_number=""),
                name="person_nhs_number_unique_in_service",
            ),
            models.CheckConstraint(
                condition=models.Q(nhs_number="") | models.Q(nhs_number__regex=r"^[0-9]{10}$"),
                name="person_nhs_number_ten_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(is_active=True, left_on__isnull=True)
                | models.Q(is_active=False),
                name="person_left_on_only_when_left",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def nhs_number_display(self) -> str:
        n = self.nhs_number
        return f"{n[:3]} {n[3:6]} {n[6:]}" if n else ""

    def clean(self) -> None:
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": "Date of birth must be in the past"})
        if self.is_active and self.left_on:
            raise ValidationError({"left_on": "Only give a date left for someone who has left"})


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are append-only")

    def delete(self):
        raise TypeError("Audit events are append-only")


class AuditEvent(models.Model):
    """An explicit entry in the audit trail: who did what (including reading a person's
    records), to whom, when. Written through ``carehub.audit``; never changed or deleted,
    which the database enforces with triggers as well as this model."""

    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        help_text="Empty for actions taken by the system itself",
    )
    action = models.CharField(max_length=100, help_text='Dotted name, e.g. "carehub.person.viewed"')
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"], name="auditevent_person_at_idx")]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only")
