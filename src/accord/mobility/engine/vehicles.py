"""The vehicle catalogue and the ``"Challenger 3:14,MAN HX60:40"`` vehicle list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from accord.errors import InputError, Problem

from .mlc import class_for_mass
from .network import DATA_DIR

KINDS = ("tracked", "wheeled")
MAX_COUNT = 20_000  # input bound, not a rule: more than the vehicles of a division, and within datetime range


@dataclass(frozen=True)
class Vehicle:
    name: str
    kind: str  # tracked | wheeled
    mass_t: float | None
    mlc: int | None = None  # published class, if any
    height_m: float | None = None
    width_m: float | None = None
    length_m: float | None = None
    axle_load_t: float | None = None  # heaviest axle; None for tracked vehicles and where unknown
    nation: str = ""  # the army that operates it; "" = any (test catalogues)
    as_of: str = ""  # date the figures were published or checked
    role: str = ""
    aliases: tuple[str, ...] = ()
    transporter: bool = False
    payload_t: float | None = None
    tare_t: float | None = None
    deck_height_m: float | None = None
    confidence: str = "quoted"
    note: str = ""
    source_title: str = ""
    source_href: str | None = None

    def load_class(self, table: Mapping) -> tuple[int | None, str]:
        """The vehicle's MLC and where it comes from (published, or from mass by the STANAG table)."""
        if self.mlc is not None:
            return self.mlc, "published"
        if self.mass_t is None:
            return None, "unknown"
        return class_for_mass(self.mass_t, self.kind, table), "from mass (STANAG 2021 tonnage table, rounded up)"

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["aliases"] = list(self.aliases)
        return d


@dataclass(frozen=True)
class Catalogue:
    vehicles: tuple[Vehicle, ...]

    def find(self, name: str) -> Vehicle | None:
        key = _norm(name)
        for v in self.vehicles:
            if _norm(v.name) == key or key in (_norm(a) for a in v.aliases):
                return v
        return None

    def transporters(self, nation: str | None = None) -> list[Vehicle]:
        """Transporters of ``nation`` (a transporter with no nation serves any); all when ``nation`` is None."""
        return [v for v in self.vehicles if v.transporter and (nation is None or not v.nation or v.nation == nation)]

    def with_vehicles(self, *extra: Vehicle) -> Catalogue:
        return Catalogue(self.vehicles + tuple(extra))


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def load_catalogue(path: Path | str = DATA_DIR / "vehicles.yaml") -> Catalogue:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    problems: list[Problem] = []
    vehicles = []
    for i, raw in enumerate(data.get("vehicles") or []):
        where = {"item": raw.get("name"), "field": f"vehicles[{i}]"}
        if raw.get("kind") not in KINDS:
            problems.append(Problem(f"kind must be one of {', '.join(KINDS)}", **where))
            continue
        source = raw.get("source") or {}
        if not source.get("title"):
            problems.append(Problem("every vehicle needs a source", **where))
        vehicles.append(
            Vehicle(
                name=raw["name"],
                kind=raw["kind"],
                mass_t=raw.get("mass_t"),
                mlc=raw.get("mlc"),
                height_m=raw.get("height_m"),
                width_m=raw.get("width_m"),
                length_m=raw.get("length_m"),
                axle_load_t=raw.get("axle_load_t"),
                nation=(raw.get("nation") or "").upper(),
                as_of=str(raw.get("as_of") or ""),
                role=raw.get("role", ""),
                aliases=tuple(raw.get("aliases") or ()),
                transporter=bool(raw.get("transporter")),
                payload_t=raw.get("payload_t"),
                tare_t=raw.get("tare_t"),
                deck_height_m=raw.get("deck_height_m"),
                confidence=raw.get("confidence", "quoted"),
                note=raw.get("note", ""),
                source_title=source.get("title", ""),
                source_href=source.get("href"),
            )
        )
    if problems:
        raise InputError(problems)
    return Catalogue(tuple(vehicles))


def parse_vehicle_list(text: str, catalogue: Catalogue, field: str = "vehicles") -> list[tuple[Vehicle, int]]:
    """Parse ``"Challenger 3:14,MAN HX60:40"``; every problem is reported, naming the item."""
    problems: list[Problem] = []
    result: dict[str, tuple[Vehicle, int]] = {}
    items = [p.strip() for p in (text or "").split(",") if p.strip()]
    if not items:
        raise InputError(Problem("give at least one vehicle as NAME:COUNT", field=field))
    for item in items:
        name, sep, count_text = item.rpartition(":")
        if not sep:
            name, count_text = item, "1"
        name = name.strip()
        try:
            count = int(count_text)
        except ValueError:
            problems.append(Problem(f"count {count_text[:20]!r} is not a whole number", field=field, item=item[:60]))
            continue
        if count < 1:
            problems.append(Problem("count must be at least 1", field=field, item=item))
            continue
        if count > MAX_COUNT:
            problems.append(
                Problem(f"count must be at most {MAX_COUNT:,} vehicles of one type", field=field, item=item[:60])
            )
            continue
        vehicle = catalogue.find(name)
        if vehicle is None:
            known = ", ".join(v.name for v in catalogue.vehicles)
            problems.append(Problem(f"unknown vehicle {name!r}; known vehicles: {known}", field=field, item=item))
            continue
        if vehicle.mass_t is None and vehicle.mlc is None:
            problems.append(
                Problem(f"{vehicle.name} has no known mass or load class; it cannot be planned", field=field, item=item)
            )
            continue
        prev = result.get(vehicle.name)
        result[vehicle.name] = (vehicle, count + (prev[1] if prev else 0))
    if problems:
        raise InputError(problems)
    return list(result.values())
