"""Analyses over events and sites: exposure counts, density, weapon-range catalog."""
