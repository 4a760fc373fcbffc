"""The CSDP mission register: reference records, their status on a date,
and totals computed from them, kept apart from the EEAS published headline.

Pure Python. The date is always an argument.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from accord.parties.model import (
    Source,  # the same titled, linked source as the parties data
)
from accord.rules.parameters import ParameterSet, load_parameters
from accord.values import to_date

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MISSION_TYPES = ("civilian", "military", "civilian-military")
CONFIDENCE_LEVELS = ("quoted", "secondary", "inferred")
HEADLINE_PARAMETER = "missions.published.eeas_headline"


class RegisterError(ValueError):
    """The register file is malformed (a bug in reference data, not user input)."""


@dataclass(frozen=True)
class Mission:
    acronym: str
    name: str
    type: str  # one of MISSION_TYPES
    kind: str  # "mission" or "operation"
    theatre: str
    region: str
    host_countries: tuple[str, ...]
    established: dt.date
    launched: dt.date | None
    mandate_end: dt.date | None  # last end date known to the register
    closed: bool  # the Council decided to end it
    legal_basis: Source
    source: Source
    confidence: str
    strength: int | None = None  # unknown stays unknown
    mandate_end_source: Source | None = None
    note: str | None = None

    @property
    def slug(self) -> str:
        """URL-safe form of the acronym ("EUNAVFOR MED IRINI" -> "eunavfor-med-irini")."""
        return "-".join(self.acronym.lower().split())

    def status_on(self, on: dt.date) -> str:
        return mission_status(self, on)

    def as_dict(self, on: dt.date | None = None) -> dict[str, Any]:
        data = {
            "acronym": self.acronym,
            "slug": self.slug,
            "name": self.name,
            "type": self.type,
            "kind": self.kind,
            "theatre": self.theatre,
            "region": self.region,
            "host_countries": list(self.host_countries),
            "established": self.established.isoformat(),
            "launched": self.launched.isoformat() if self.launched else None,
            "mandate_end": self.mandate_end.isoformat() if self.mandate_end else None,
            "mandate_end_source": self.mandate_end_source.as_dict() if self.mandate_end_source else None,
            "closed": self.closed,
            "legal_basis": self.legal_basis.as_dict(),
            "strength": self.strength,
            "source": self.source.as_dict(),
            "confidence": self.confidence,
            "note": self.note,
        }
        if on is not None:
            data["status"] = self.status_on(on)
            data["status_on"] = on.isoformat()
        return data


# Status of a mission on a date. A mandate end in the past on a mission the
# Council has not closed is reported as "mandate_lapsed_unless_renewed": the
# register may simply not know the latest extension.
STATUS_NOT_YET = "not_yet_established"
STATUS_ONGOING = "ongoing"
STATUS_CLOSED = "closed"
STATUS_LAPSED = "mandate_lapsed_unless_renewed"


def mission_status(mission: Mission, on: dt.date) -> str:
    if on < mission.established:
        return STATUS_NOT_YET
    if mission.mandate_end is None or on <= mission.mandate_end:
        return STATUS_ONGOING
    return STATUS_CLOSED if mission.closed else STATUS_LAPSED


@dataclass(frozen=True)
class Register:
    as_of: dt.date
    source: Source
    missions: tuple[Mission, ...]
    by_acronym: Mapping[str, Mission] = field(repr=False, default_factory=dict)

    def get(self, acronym_or_slug: str) -> Mission | None:
        key = " ".join(acronym_or_slug.replace("-", " ").split()).upper()
        return self.by_acronym.get(key)

    def current(self, on: dt.date) -> list[Mission]:
        """Missions ongoing on ``on`` as far as the register knows."""
        return [m for m in self.missions if mission_status(m, on) == STATUS_ONGOING]

    def filter(
        self,
        *,
        on: dt.date | None = None,
        type: str | None = None,
        region: str | None = None,
        include_closed: bool = False,
    ) -> list[Mission]:
        result = []
        for m in self.missions:
            if type and m.type != type:
                continue
            if region and m.region != region:
                continue
            if on is not None and not include_closed and mission_status(m, on) != STATUS_ONGOING:
                continue
            result.append(m)
        return sorted(result, key=lambda m: (MISSION_TYPES.index(m.type), m.acronym))

    def regions(self) -> list[str]:
        return sorted({m.region for m in self.missions})


def computed_totals(missions: Iterable[Mission]) -> dict[str, Any]:
    """Counts and known strength computed from register records.

    Strength is summed over the records that have one; ``strength_unknown``
    counts the rest, so a partial sum is never mistaken for a total.
    """
    missions = list(missions)
    by_type = {t: sum(1 for m in missions if m.type == t) for t in MISSION_TYPES}
    known = [m.strength for m in missions if m.strength is not None]
    return {
        "missions": len(missions),
        "civilian": by_type["civilian"],
        "military": by_type["military"],
        "civilian_military": by_type["civilian-military"],
        "strength_known_sum": sum(known) if known else None,
        "strength_known_missions": len(known),
        "strength_unknown_missions": len(missions) - len(known),
    }


def published_headline(on: dt.date, params: ParameterSet | None = None) -> dict[str, Any]:
    """The EEAS headline in force on ``on``, with its date and reference."""
    params = params or load_parameters("missions")
    parameter = params[HEADLINE_PARAMETER]
    figures = dict(parameter.at(on))
    return {
        "figures": figures,
        "published_on": parameter.in_force_from(on).isoformat(),
        "reference": [r.as_dict() for r in parameter.references],
        "confidence": parameter.confidence,
        "note": parameter.note,
    }


def compare_with_headline(register: Register, on: dt.date, params: ParameterSet | None = None) -> dict[str, Any]:
    """Register counts on the headline's own date and on ``on``, side by side."""
    headline = published_headline(on, params)
    published_on = dt.date.fromisoformat(headline["published_on"])
    return {
        "published": headline,
        "register_on_published_date": computed_totals(register.current(published_on)),
        "register_on_date": computed_totals(register.current(on)),
        "date": on.isoformat(),
        "register_as_of": register.as_of.isoformat(),
    }


# --------------------------------------------------------------- loading


def _date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return to_date(value)
    except ValueError:
        raise RegisterError(f"{where}: {value!r} is not a date") from None


def _source(value: Any, where: str) -> Source:
    if not isinstance(value, Mapping) or not value.get("title"):
        raise RegisterError(f"{where}: a source needs a title")
    return Source(title=str(value["title"]), href=value.get("href"))


def parse_mission(raw: Mapping[str, Any], where: str) -> Mission:
    for key in ("acronym", "name", "type", "theatre", "region", "established", "legal_basis", "source"):
        if raw.get(key) in (None, ""):
            raise RegisterError(f"{where}: missing {key!r}")
    if raw["type"] not in MISSION_TYPES:
        raise RegisterError(f"{where}: type must be one of {', '.join(MISSION_TYPES)}")
    confidence = raw.get("confidence", "secondary")
    if confidence not in CONFIDENCE_LEVELS:
        raise RegisterError(f"{where}: confidence must be one of {', '.join(CONFIDENCE_LEVELS)}")
    strength = raw.get("strength")
    if strength is not None and (not isinstance(strength, int) or strength < 0):
        raise RegisterError(f"{where}: strength must be a whole number or null")
    established = _date(raw["established"], f"{where}.established")
    return Mission(
        acronym=str(raw["acronym"]),
        name=str(raw["name"]),
        type=raw["type"],
        kind=str(raw.get("kind", "mission")),
        theatre=str(raw["theatre"]),
        region=str(raw["region"]),
        host_countries=tuple(raw.get("host_countries") or ()),
        established=established,
        launched=_date(raw.get("launched"), f"{where}.launched"),
        mandate_end=_date(raw.get("mandate_end"), f"{where}.mandate_end"),
        closed=bool(raw.get("closed", False)),
        legal_basis=_source(raw["legal_basis"], f"{where}.legal_basis"),
        source=_source(raw["source"], f"{where}.source"),
        confidence=confidence,
        strength=strength,
        mandate_end_source=(
            _source(raw["mandate_end_source"], f"{where}.mandate_end_source")
            if raw.get("mandate_end_source")
            else None
        ),
        note=raw.get("note"),
    )


def parse_register(data: Any, where: str = "missions.yaml") -> Register:
    if not isinstance(data, Mapping) or not isinstance(data.get("missions"), list):
        raise RegisterError(f"{where}: needs a 'missions' list")
    missions = tuple(parse_mission(raw, f"{where}: missions[{i}]") for i, raw in enumerate(data["missions"]))
    by_acronym: dict[str, Mission] = {}
    for m in missions:
        if m.acronym.upper() in by_acronym:
            raise RegisterError(f"{where}: acronym {m.acronym!r} appears twice")
        by_acronym[m.acronym.upper()] = m
    return Register(
        as_of=_date(data.get("as_of"), f"{where}.as_of"),
        source=_source(data.get("source"), f"{where}.source"),
        missions=missions,
        by_acronym=by_acronym,
    )


@lru_cache(maxsize=4)
def _load_cached(path: str) -> Register:
    with open(path, encoding="utf-8") as fh:
        return parse_register(yaml.safe_load(fh), Path(path).name)


def load_register(path: Path | str | None = None) -> Register:
    """The register from ``data/missions.yaml`` (or ``path``); cached, immutable."""
    return _load_cached(str(Path(path or DATA_DIR / "missions.yaml").resolve()))
