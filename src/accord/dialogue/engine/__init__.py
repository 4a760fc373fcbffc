"""Dialogue engine: pure Python, imports no Django."""
