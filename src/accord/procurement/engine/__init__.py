"""Procurement engine: pure Python, imports no Django."""
