"""Mobility engine: pure Python, imports no Django."""
