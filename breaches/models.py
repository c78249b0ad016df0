"""Breach reports and reviews (models arrive with them)."""
