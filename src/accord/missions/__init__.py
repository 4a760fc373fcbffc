"""Missions capability."""
