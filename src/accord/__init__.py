"""Accord: tools for the UK-EU Security and Defence Partnership."""

__version__ = "0.1.0"
