"""Boundaries, borders and places: the shipped reference data and queries on it."""
