"""Commitments engine: pure Python, imports no Django."""
