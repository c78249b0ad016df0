"""Words shared by every app: what information, and to whom. Stored as short codes."""

from django.db import models


class InformationCategory(models.TextChoices):
    HEALTH = "health", "Health and medical information"
    CARE_PLAN = "care_plan", "Care plan and daily care notes"
    FINANCES = "finances", "Finances"
    CONTACT_DETAILS = "contact_details", "Contact details"
    TEST_RESULTS = "test_results", "Test results"
    IMAGES_VIDEO = "images_video", "Photographs and video"
    OTHER = "other", "Other information (describe it)"


class RecipientClass(models.TextChoices):
    FAMILY = "family", "Family member"
    FRIEND = "friend", "Friend or unpaid carer"
    GP = "gp", "GP"
    HEALTH_PROFESSIONAL = "health_professional", "Other health professional or hospital"
    LOCAL_AUTHORITY = "local_authority", "Local authority (social services)"
    POLICE = "police", "Police"
    OTHER_ORGANISATION = "other_organisation", "Other organisation"
