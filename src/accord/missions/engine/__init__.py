"""Missions engine: pure Python, imports no Django."""
