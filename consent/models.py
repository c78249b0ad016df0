"""Consent, capacity, best-interests and representative records (models arrive with them)."""
