"""Procurement capability."""
