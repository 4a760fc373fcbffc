"""Dialogue capability."""
