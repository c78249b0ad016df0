"""Breaches that affected the person, in their chronology. Never who reported them: a
whistleblower's name must not surface here."""

from carehub.chronology import Entry

from .models import BreachReport


def entries(person):
    for breach in BreachReport.objects.filter(people=person):
        yield Entry(
            breach.discovered_at,
            "Breach of confidentiality" if not breach.near_miss else "Near miss",
            f"{breach.reference}: {breach.get_category_display()}",
            None,
            breach.get_absolute_url(),
        )
