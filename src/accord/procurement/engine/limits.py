"""Input size limits for a SAFE case (operational settings, not law).

The defaults suit a laptop and the 1,000,000-item benchmark. Entry points may
pass their own ``Limits`` (the CLI reads ``ACCORD_SAFE_MAX_BOM_BYTES`` and
``ACCORD_SAFE_MAX_BOM_ITEMS``; the web app reads Django settings of the same
names).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from accord.errors import InputError

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bom_file_bytes: int = 100 * MEGABYTE  # a BOM file (CSV, XLSX, JSON)
    max_case_file_bytes: int = 100 * MEGABYTE  # a case JSON, which may hold its BOM inline
    max_bom_items: int = 2_000_000

    @classmethod
    def from_mapping(cls, settings: Mapping[str, object]) -> Limits:
        """Read overrides named ``ACCORD_SAFE_MAX_BOM_BYTES`` / ``..._ITEMS`` / ``..._CASE_BYTES``."""
        default = cls()

        def number(name: str, fallback: int) -> int:
            value = settings.get(name, fallback)
            try:
                return int(value)
            except (TypeError, ValueError):
                raise InputError(f"{name} must be a whole number, not {value!r}", field=name) from None

        return cls(
            max_bom_file_bytes=number("ACCORD_SAFE_MAX_BOM_BYTES", default.max_bom_file_bytes),
            max_case_file_bytes=number("ACCORD_SAFE_MAX_CASE_BYTES", default.max_case_file_bytes),
            max_bom_items=number("ACCORD_SAFE_MAX_BOM_ITEMS", default.max_bom_items),
        )

    @classmethod
    def from_environment(cls) -> Limits:
        return cls.from_mapping(os.environ)


DEFAULT_LIMITS = Limits()


def describe_bytes(size: int) -> str:
    if size >= MEGABYTE:
        return f"{size / MEGABYTE:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} kB"
    return f"{size} bytes"
