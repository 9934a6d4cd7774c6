"""Cleaning: raw article text to a clean body with its metadata and removed lines."""
