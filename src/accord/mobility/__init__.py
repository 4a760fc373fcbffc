"""Mobility capability."""
