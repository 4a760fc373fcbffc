"""Commitments capability."""
