"""Sharing requests and decision records (models arrive with them)."""
