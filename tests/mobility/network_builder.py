"""Small networks written by the tests themselves, in the shipped CSV format."""

from __future__ import annotations

import csv
from pathlib import Path

from accord.mobility.engine.network import (
    CLOSURE_COLUMNS,
    EDGE_COLUMNS,
    NODE_COLUMNS,
    OPTIONAL_EDGE_COLUMNS,
    load_network,
)

DETOUR = {"road": 1.0, "rail": 1.0, "sea": 1.0}


def node(id, country, lat, lon, **flags):
    return {
        "id": id,
        "name": id.title(),
        "country": country,
        "lat": lat,
        "lon": lon,
        "kind": flags.pop("kind", "city"),
        "rail_terminal": "yes" if flags.pop("rail", False) else "no",
        "port": "yes" if flags.pop("port", False) else "no",
        "gauge_transfer": "yes" if flags.pop("gauge_transfer", False) else "no",
        "tunnel_terminal": "no",
        "source_title": "test fixture",
        "source_url": "",
        "note": "",
    }


def edge(id, mode, a, b, length, **attrs):
    row = {c: "" for c in EDGE_COLUMNS + OPTIONAL_EDGE_COLUMNS}
    row.update(
        {
            "id": id,
            "mode": mode,
            "from": a,
            "to": b,
            "length_km": length,
            "name": attrs.pop("name", id),
            "source_title": "test fixture",
            "road_class": attrs.pop("road_class", "motorway" if mode == "road" else ""),
        }
    )
    row.update({k: v for k, v in attrs.items()})
    return row


def write(directory: Path, nodes, edges, closures=()):
    directory.mkdir(parents=True, exist_ok=True)
    if closures:
        with (directory / "closures.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=CLOSURE_COLUMNS, lineterminator="\n")
            w.writeheader()
            w.writerows({"source_title": "test fixture", "source_url": "", "reason": "works", **c} for c in closures)
    for name, cols, rows in (
        ("nodes.csv", NODE_COLUMNS, nodes),
        ("edges.csv", EDGE_COLUMNS + OPTIONAL_EDGE_COLUMNS, edges),
    ):
        with (directory / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    return load_network(directory, detour=DETOUR)


def future_departure(days: int = 150) -> str:
    """A departure far enough ahead that every lead time (45 days at most) can still be met when filed today.

    Submitting is dated by the server, so tests that submit depart relative to today, not on a fixed date.
    """
    import datetime as dt

    return (dt.date.today() + dt.timedelta(days=days)).isoformat()
