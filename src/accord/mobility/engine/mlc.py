"""Military Load Classification (STANAG 2021), as parameters say.

The tonnage table (``mobility.mlc.tonnage_equivalents``) maps a class to the
mass a tracked or a wheeled vehicle of that class may have.
"""

from __future__ import annotations

from collections.abc import Mapping


def class_for_mass(mass_t: float, kind: str, table: Mapping) -> int | None:
    """The lowest class whose tonnage for ``kind`` covers ``mass_t`` (STANAG 2021 table).

    Rounding up is the safe side: a 66 t tracked tank is treated as MLC 80, not 70.
    ``None`` when the mass exceeds the highest class of the table.
    """
    for mlc in sorted(int(k) for k in table):
        if float(table[mlc][kind]) >= mass_t:
            return mlc
    return None


def vehicle_fits_class(vehicle_mlc: int, route_mlc: float) -> bool:
    """A vehicle may cross a bridge whose class is at least its own (STANAG 2021)."""
    return vehicle_mlc <= route_mlc


def route_class(edge_classes) -> float | None:
    """The lowest bridge class on a route sets the route's class (STANAG 2021)."""
    classes = [c for c in edge_classes if c is not None]
    return min(classes) if classes else None
