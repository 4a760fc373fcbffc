"""Parties reference data and their dated memberships, as a pure registry.

    reg = load_registry()
    reg.is_member("GB", "EU", on=dt.date(2020, 1, 31))   # True (end day inclusive)

No Django here: the platform's models load the same files
(``accord/parties/data``); engines take a ``PartyRegistry`` as input instead of
hard-coding country lists.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .loading import DEFAULT_DATA_DIR, PartyDataError, read_data
from .model import FRAMEWORK_KINDS, PARTY_KINDS, Framework, Membership, Party, Source
from .registry import PartyRegistry

__all__ = [
    "DEFAULT_DATA_DIR",
    "FRAMEWORK_KINDS",
    "PARTY_KINDS",
    "Framework",
    "Membership",
    "Party",
    "PartyDataError",
    "PartyRegistry",
    "Source",
    "load_registry",
]


def load_registry(data_dir: Path | str | None = None) -> PartyRegistry:
    """The registry of the packaged data (cached), or of ``data_dir`` (read afresh).

    Raises ``PartyDataError`` (a ValueError) naming each file and entry at fault.
    """
    if data_dir is None:
        return _packaged_registry()
    return PartyRegistry(*read_data(data_dir))


@lru_cache(maxsize=1)
def _packaged_registry() -> PartyRegistry:
    return PartyRegistry(*read_data(DEFAULT_DATA_DIR))
