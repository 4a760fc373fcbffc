"""The CSDP mission register: reference records, their status on a date,
and totals computed from them, kept apart from the EEAS published headline.

Pure Python. The date is always an argument.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

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
MANDATE_REVIEW_PARAMETER = "missions.register.mandate_review_days"
# Dated facts a register record may carry, each with its own date and source.
FACT_KINDS = ("mandate", "strength", "headquarters", "commander", "budget")
FACT_LABELS = {
    "mandate": "Mandate",
    "strength": "Strength",
    "headquarters": "Headquarters",
    "commander": "Commander",
    "budget": "Budget",
}


class RegisterError(ValueError):
    """The register file is malformed (a bug in reference data, not user input)."""


@dataclass(frozen=True)
class Renewal:
    """A Council decision that extended (or set) a mandate: dated, with its act."""

    decided_on: dt.date
    mandate_end: dt.date | None
    decision: Source
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "decided_on": self.decided_on.isoformat(),
            "mandate_end": self.mandate_end.isoformat() if self.mandate_end else None,
            "decision": self.decision.as_dict(),
            "note": self.note,
        }


@dataclass(frozen=True)
class Fact:
    """One published figure or name about a mission, true as of ``on``, with its source.

    ``value`` is a whole number for strength and budget (euros), text for the
    mandate (as the act words it), headquarters and commander; ``qualifier`` keeps "about" or "over" as published.
    """

    kind: str  # one of FACT_KINDS
    value: Any
    on: dt.date
    source: Source
    qualifier: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": FACT_LABELS[self.kind],
            "value": self.value,
            "on": self.on.isoformat(),
            "qualifier": self.qualifier,
            "source": self.source.as_dict(),
            "note": self.note,
        }


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
    renewals: tuple[Renewal, ...] = ()
    facts: tuple[Fact, ...] = ()
    part_of: str | None = None  # a cell inside another mission (EU RACC Sahel in EUCAP Sahel Mali)
    # Dates known only to their month or year: (("launched", "month"), ...). Such a
    # date is held as the LAST day of its month or year (see _partial_date), and
    # said in words as "June 2008", never with an invented day.
    precision: tuple[tuple[str, str], ...] = ()

    def precision_of(self, name: str) -> str:
        return dict(self.precision).get(name, "day")

    @property
    def started(self) -> dt.date:
        """The day the mission began: its launch where recorded, else its establishing act."""
        return self.launched or self.established

    def date_in_words(self, name: str) -> str | None:
        """A register date in words at the precision it is known to ("June 2008")."""
        value = getattr(self, name)
        return in_words(value, self.precision_of(name)) if value else None

    @property
    def slug(self) -> str:
        """URL-safe form of the acronym ("EUNAVFOR MED IRINI" -> "eunavfor-med-irini",
        "EUFOR TCHAD/RCA" -> "eufor-tchad-rca")."""
        return slugify(self.acronym)

    def status_on(self, on: dt.date, params: ParameterSet | None = None) -> str:
        return mission_status(self, on, params)

    def renewals_by(self, on: dt.date) -> list[Renewal]:
        """The renewals decided on or before ``on``: what was known on that date."""
        return sorted((r for r in self.renewals if r.decided_on <= on), key=lambda r: r.decided_on)

    def mandate_end_on(self, on: dt.date) -> dt.date | None:
        """The mandate end in force on ``on``: the latest renewal decided by then, else the
        end recorded with the establishing act."""
        known = [r for r in self.renewals_by(on) if r.mandate_end is not None]
        if known:
            return known[-1].mandate_end
        return self.mandate_end

    def last_decision_on(self, on: dt.date) -> dt.date:
        """The date of the latest Council decision on the mandate taken by ``on``."""
        decided = self.renewals_by(on)
        return decided[-1].decided_on if decided else self.established

    def fact_on(self, kind: str, on: dt.date) -> Fact | None:
        """The latest fact of ``kind`` dated on or before ``on`` (None: unknown on that date)."""
        dated = [f for f in self.facts if f.kind == kind and f.on <= on]
        return max(dated, key=lambda f: f.on) if dated else None

    def strength_on(self, on: dt.date | None) -> int | None:
        fact = self.fact_on("strength", on) if on is not None else None
        return fact.value if fact is not None else self.strength

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
            "part_of": self.part_of,
            "renewals": [r.as_dict() for r in sorted(self.renewals, key=lambda r: r.decided_on)],
            "precision": {name: self.precision_of(name) for name in DATED_FIELDS},
            "dates_in_words": {name: self.date_in_words(name) for name in DATED_FIELDS},
        }
        if on is not None:
            status = self.status_on(on)
            end = self.mandate_end_on(on)
            data["status"] = status
            data["status_label"] = STATUS_LABELS[status]
            data["status_explanation"] = status_explanation(self, on, status)
            data["status_on"] = on.isoformat()
            data["mandate_end"] = end.isoformat() if end else None
            if end is not None and end != self.mandate_end:
                data["dates_in_words"]["mandate_end"] = in_words(end, "day")
            data["strength"] = self.strength_on(on)
            data["facts"] = {
                kind: (fact.as_dict() if (fact := self.fact_on(kind, on)) else None) for kind in FACT_KINDS
            }
        return data


# Status of a mission on a date, from what the register knew on that date:
# - "ongoing": within a recorded mandate, or the last Council decision on the
#   mandate is recent (within the parameter missions.register.mandate_review_days);
# - "mandate_end_unknown": no mandate end recorded and the last decision older
#   than that parameter: the mission may well continue, the register cannot say;
# - "lapsed_unless_renewed": the recorded mandate end has passed and no closure
#   is recorded: the register may simply not know the latest extension;
# - "closed": the Council ended it (the recorded end has passed).
STATUS_NOT_YET = "not_yet_established"
# Established by its Council act but not yet launched (force generation runs then):
# not counted among missions in being, as the EEAS counts launched missions.
STATUS_NOT_LAUNCHED = "not_yet_launched"
NOT_BEGUN = (STATUS_NOT_YET, STATUS_NOT_LAUNCHED)
STATUS_ONGOING = "ongoing"
STATUS_END_UNKNOWN = "mandate_end_unknown"
STATUS_LAPSED = "lapsed_unless_renewed"
STATUS_CLOSED = "closed"
# Not known to have ended: listed by default and counted in the register's totals.
IN_BEING = (STATUS_ONGOING, STATUS_END_UNKNOWN, STATUS_LAPSED)
STATUS_LABELS = {
    STATUS_NOT_YET: "Not yet established",
    STATUS_NOT_LAUNCHED: "Established, not yet launched",
    STATUS_ONGOING: "Ongoing",
    STATUS_END_UNKNOWN: "Mandate end unknown",
    STATUS_LAPSED: "Lapsed unless renewed",
    STATUS_CLOSED: "Closed",
}


def mandate_review_days(on: dt.date, params: ParameterSet | None = None) -> int:
    params = params or load_parameters("missions")
    return int(params.value(MANDATE_REVIEW_PARAMETER, on))


def mission_status(mission: Mission, on: dt.date, params: ParameterSet | None = None) -> str:
    if on < mission.established:
        return STATUS_NOT_YET
    if on < mission.started:
        return STATUS_NOT_LAUNCHED
    end = mission.mandate_end_on(on)
    if end is not None:
        if on <= end:
            return STATUS_ONGOING
        # Closed only once past the end the Council finally set (mandate_end): an earlier
        # renewal's end passing, with no later one recorded, means only "lapsed unless renewed".
        final = mission.mandate_end
        return STATUS_CLOSED if mission.closed and (final is None or on > final) else STATUS_LAPSED
    if mission.closed:
        return STATUS_CLOSED
    age = (on - mission.last_decision_on(on)).days
    return STATUS_ONGOING if age <= mandate_review_days(on, params) else STATUS_END_UNKNOWN


def status_explanation(mission: Mission, on: dt.date, status: str) -> str:
    """The status in a sentence a reader can check against the sources."""
    end = mission.mandate_end_on(on)
    last = mission.last_decision_on(on)
    if status == STATUS_NOT_YET:
        return f"Established on {mission.date_in_words('established')}."
    if status == STATUS_NOT_LAUNCHED:
        return (
            f"Established on {mission.date_in_words('established')}; launched on {mission.date_in_words('launched')}."
        )
    if status == STATUS_CLOSED:
        if end is None:
            return "Ended by the Council."
        words = mission.date_in_words("mandate_end") if end == mission.mandate_end else _long(end)
        return f"Ended by the Council; its last mandate ran to {words}."
    if status == STATUS_LAPSED:
        return (
            f"Its last recorded mandate ran to {_long(end)}; no later renewal or closure is recorded, "
            "so it has lapsed unless renewed."
        )
    if status == STATUS_END_UNKNOWN:
        return (
            f"No mandate end is recorded and the last recorded Council decision dates from {_long(last)}: "
            "whether it continues is not known to this register."
        )
    if end is not None:
        return f"Mandate runs to {_long(end)}."
    return f"No mandate end is recorded; the last recorded Council decision dates from {_long(last)}."


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens, any other character a separator."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def in_words(day: dt.date, precision: str = "day") -> str:
    """ "12 February 2008", "June 2008" or "2008", as precisely as the date is known."""
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{day:%B %Y}"
    return _long(day)


@dataclass(frozen=True)
class Register:
    as_of: dt.date
    source: Source
    missions: tuple[Mission, ...]
    by_acronym: Mapping[str, Mission] = field(repr=False, default_factory=dict)

    def get(self, acronym_or_slug: str) -> Mission | None:
        found = self.by_acronym.get(" ".join(acronym_or_slug.split()).upper())
        if found is None:
            slug = slugify(acronym_or_slug)
            found = next((m for m in self.missions if m.slug == slug), None)
        return found

    def current(self, on: dt.date) -> list[Mission]:
        """Missions not known to have ended on ``on`` (ongoing, mandate end unknown,
        lapsed unless renewed); cells inside another mission are left to their mission."""
        return [m for m in self.missions if m.part_of is None and mission_status(m, on) in IN_BEING]

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
            if on is not None and mission_status(m, on) in NOT_BEGUN:
                continue
            if on is not None and not include_closed and mission_status(m, on) not in IN_BEING:
                continue
            result.append(m)
        return sorted(result, key=lambda m: (MISSION_TYPES.index(m.type), m.acronym))

    def regions(self) -> list[str]:
        return sorted({m.region for m in self.missions})


def computed_totals(missions: Iterable[Mission], on: dt.date | None = None) -> dict[str, Any]:
    """Counts and known strength computed from register records (on ``on`` when given).

    A cell inside another mission (``part_of``) is not counted as a mission of
    its own, as the EEAS does not. Strength is summed over the records that
    have a figure; ``strength_unknown`` counts the rest, so a partial sum is
    never mistaken for a total.
    """
    missions = [m for m in missions if m.part_of is None]
    by_type = {t: sum(1 for m in missions if m.type == t) for t in MISSION_TYPES}
    figures = [m.strength_on(on) for m in missions]
    known = [s for s in figures if s is not None]
    by_status = {}
    if on is not None:
        for m in missions:
            status = m.status_on(on)
            by_status[status] = by_status.get(status, 0) + 1
    return {
        "by_status": by_status,
        "missions": len(missions),
        "civilian": by_type["civilian"],
        "military": by_type["military"],
        "civilian_military": by_type["civilian-military"],
        "strength_known_sum": sum(known) if known else None,
        "strength_known_missions": len(known),
        "strength_unknown_missions": len(missions) - len(known),
    }


def launched_totals(missions: Iterable[Mission], on: dt.date) -> dict[str, Any]:
    """Missions and operations launched on or before ``on`` since the first (2003), by
    type: the figure the Council and the EEAS publish as "launched since 2003".
    Cells inside another mission are not counted, as the EEAS does not."""
    launched = [m for m in missions if m.part_of is None and m.started <= on]
    by_type = {t: sum(1 for m in launched if m.type == t) for t in MISSION_TYPES}
    return {
        "missions": len(launched),
        "civilian": by_type["civilian"],
        "military": by_type["military"],
        "civilian_military": by_type["civilian-military"],
    }


def load_published_counts(path: Path | str | None = None) -> list[dict[str, Any]]:
    """Counts published by the Council or the EU on known dates (data/published_counts.yaml),
    each with its source and, where the register differs, why."""
    with open(path or DATA_DIR / "published_counts.yaml", encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    rows = []
    for i, row in enumerate(data["counts"]):
        rows.append(
            {**row, "on": _date(row["date"], f"counts[{i}].date"), "source": _source(row["source"], f"counts[{i}]")}
        )
    return rows


def published_headline(on: dt.date, params: ParameterSet | None = None) -> dict[str, Any] | None:
    """The EEAS headline in force on ``on``, with its date and reference; None before the
    first published figure the register records (it is then said so, never an error)."""
    params = params or load_parameters("missions")
    parameter = params[HEADLINE_PARAMETER]
    if parameter.in_force_from(on) is None:
        return None
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
    published_on = dt.date.fromisoformat(headline["published_on"]) if headline else None
    return {
        "published": headline,
        "first_published_on": first_headline_date(params).isoformat(),
        "register_on_published_date": (
            computed_totals(register.current(published_on), published_on) if published_on else None
        ),
        "register_on_date": computed_totals(register.current(on), on),
        "date": on.isoformat(),
        "register_as_of": register.as_of.isoformat(),
    }


def first_headline_date(params: ParameterSet | None = None) -> dt.date:
    """The date of the first EEAS headline the register records ("No figure before ...")."""
    params = params or load_parameters("missions")
    return params[HEADLINE_PARAMETER].values[0][0]


# --------------------------------------------------------------- loading


def _date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return to_date(value)
    except ValueError:
        raise RegisterError(f"{where}: {value!r} is not a date") from None


DATED_FIELDS = ("established", "launched", "mandate_end")
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _partial_date(value: Any, where: str) -> tuple[dt.date | None, str]:
    """A date and the precision it is known to. "2008-06" (month) and "2008" (year) are
    held as the last day of the month or year: a start so known is never counted
    before it surely happened, an end never shown before it surely came."""
    if value is None:
        return None, "day"
    text = str(value).strip()
    if m := _YEAR.match(text):
        return dt.date(int(m[1]), 12, 31), "year"
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise RegisterError(f"{where}: {value!r} is not a date")
        return dt.date(year, month, calendar.monthrange(year, month)[1]), "month"
    return _date(value, where), "day"


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
    dates, precision = {}, []
    for name in DATED_FIELDS:
        dates[name], known_to = _partial_date(raw.get(name), f"{where}.{name}")
        if known_to != "day":
            precision.append((name, known_to))
    established = dates["established"]
    if dates["launched"] is not None and dates["launched"] < established:
        raise RegisterError(f"{where}: launched before it was established")
    renewals = []
    for i, r in enumerate(raw.get("renewals") or ()):
        at = f"{where}.renewals[{i}]"
        if not isinstance(r, Mapping) or r.get("decided_on") is None:
            raise RegisterError(f"{at}: a renewal needs decided_on and a decision")
        renewals.append(
            Renewal(
                decided_on=_date(r["decided_on"], f"{at}.decided_on"),
                mandate_end=_date(r.get("mandate_end"), f"{at}.mandate_end"),
                decision=_source(r.get("decision"), f"{at}.decision"),
                note=r.get("note"),
            )
        )
    facts = []
    for i, f in enumerate(raw.get("facts") or ()):
        at = f"{where}.facts[{i}]"
        if not isinstance(f, Mapping) or f.get("kind") not in FACT_KINDS:
            raise RegisterError(f"{at}: kind must be one of {', '.join(FACT_KINDS)}")
        value = f.get("value")
        if f["kind"] in ("strength", "budget") and (not isinstance(value, int) or value < 0):
            raise RegisterError(f"{at}: {f['kind']} must be a whole number")
        if f["kind"] in ("mandate", "headquarters", "commander") and not (isinstance(value, str) and value.strip()):
            raise RegisterError(f"{at}: {f['kind']} must be a name")
        if f.get("as_of") is None:
            raise RegisterError(f"{at}: a fact needs the date it was true on")
        facts.append(
            Fact(
                kind=f["kind"],
                value=value,
                on=_date(f["as_of"], f"{at}.as_of"),
                source=_source(f.get("source"), f"{at}.source"),
                qualifier=f.get("qualifier"),
                note=f.get("note"),
            )
        )
    return Mission(
        acronym=str(raw["acronym"]),
        name=str(raw["name"]),
        type=raw["type"],
        kind=str(raw.get("kind", "mission")),
        theatre=str(raw["theatre"]),
        region=str(raw["region"]),
        host_countries=tuple(raw.get("host_countries") or ()),
        established=established,
        launched=dates["launched"],
        mandate_end=dates["mandate_end"],
        closed=bool(raw.get("closed", False)),
        legal_basis=_source(raw["legal_basis"], f"{where}.legal_basis"),
        source=_source(raw["source"], f"{where}.source"),
        confidence=confidence,
        strength=strength,
        mandate_end_source=(
            _source(raw["mandate_end_source"], f"{where}.mandate_end_source") if raw.get("mandate_end_source") else None
        ),
        note=raw.get("note"),
        renewals=tuple(sorted(renewals, key=lambda r: r.decided_on)),
        facts=tuple(facts),
        part_of=raw.get("part_of"),
        precision=tuple(precision),
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
