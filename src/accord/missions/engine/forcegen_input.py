"""Force generation input: a statement of requirements and the offers.

Parsed from a mapping (JSON or YAML file, API body). Every problem is
collected and raised together as ``InputError``, each naming its field
(``offers[2].party``) and item id. Nothing here solves anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

from accord.errors import InputError, Problem
from accord.values import to_date

from .catalogues import CIVILIAN_POST, Catalogues, load_catalogues


class KnownParties(Protocol):
    def is_known(self, code: str) -> bool: ...

    def party(self, code: str) -> Any: ...

    def is_member(self, party: str, framework: str, *, on: dt.date) -> bool: ...


@dataclass(frozen=True)
class Requirement:
    """A line of the statement of requirements (EU Concept for Force Generation)."""

    id: str
    capability: str
    quantity: int
    needed_from: dt.date
    duration_days: int
    tasks: frozenset[str] = frozenset()
    area: str | None = None
    job_description: str | None = None  # for civilian posts
    personnel_per_unit: int = 1  # people one unit takes: caps weigh units by it
    priority: int = 1  # 1 is the highest: a unit of a higher priority is filled before any of a lower
    rotation: bool = False  # may be filled by successive contributions covering it without a gap

    @property
    def needed_until(self) -> dt.date:
        """Last day needed (inclusive)."""
        return self.needed_from + dt.timedelta(days=self.duration_days - 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "capability": self.capability,
            "job_description": self.job_description,
            "quantity": self.quantity,
            "needed_from": self.needed_from.isoformat(),
            "needed_until": self.needed_until.isoformat(),
            "duration_days": self.duration_days,
            "tasks": sorted(self.tasks),
            "area": self.area,
            "personnel_per_unit": self.personnel_per_unit,
            "priority": self.priority,
            "rotation": self.rotation,
        }


@dataclass(frozen=True)
class Offer:
    """A contribution offered by a state, with its caveats."""

    id: str
    party: str
    capability: str
    quantity: int
    available_from: dt.date
    available_until: dt.date | None = None  # last day available (inclusive)
    max_duration_days: int | None = None
    excluded_tasks: frozenset[str] = frozenset()
    excluded_areas: frozenset[str] = frozenset()
    job_description: str | None = None
    personnel_per_unit: int = 1
    reserve: bool = False  # held in reserve: listed against the requirements it could fill, never allocated

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "party": self.party,
            "capability": self.capability,
            "job_description": self.job_description,
            "quantity": self.quantity,
            "available_from": self.available_from.isoformat(),
            "available_until": self.available_until.isoformat() if self.available_until else None,
            "max_duration_days": self.max_duration_days,
            "excluded_tasks": sorted(self.excluded_tasks),
            "excluded_areas": sorted(self.excluded_areas),
            "personnel_per_unit": self.personnel_per_unit,
            "reserve": self.reserve,
        }


@dataclass(frozen=True)
class ForceGenerationInput:
    date: dt.date
    requirements: tuple[Requirement, ...]
    offers: tuple[Offer, ...]
    mission: str | None = None
    max_contributor_share: Fraction | None = None  # None: use the parameter
    # Third states invited to the mission (Member States take part by right); an
    # offer from any other third state is never allocated.
    invited: frozenset[str] = frozenset()


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, message: str, field: str, item: str | None = None) -> None:
        self.problems.append(Problem(message, field=field, item=item))

    def date(
        self, raw: Mapping[str, Any], key: str, where: str, item: str | None, required: bool = True
    ) -> dt.date | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.add("is required (a date, YYYY-MM-DD)", f"{where}.{key}", item)
            return None
        try:
            return to_date(value)
        except ValueError:
            self.add(f"“{value}” is not a date (write it as YYYY-MM-DD)", f"{where}.{key}", item)
            return None

    def whole(
        self, raw: Mapping[str, Any], key: str, where: str, item: str | None, *, minimum: int, required: bool = True
    ) -> int | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.add("is required (a whole number)", f"{where}.{key}", item)
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(f"“{value}” is not a whole number", f"{where}.{key}", item)
            return None
        if value < minimum:
            word = "negative" if value < 0 else "too small"
            self.add(f"{value} is {word}: it must be at least {minimum}", f"{where}.{key}", item)
            return None
        return value

    def words(self, raw: Mapping[str, Any], key: str, where: str, item: str | None) -> frozenset[str]:
        value = raw.get(key) or []
        if isinstance(value, str) or not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add("must be a list of names", f"{where}.{key}", item)
            return frozenset()
        return frozenset(v.strip() for v in value)

    def flag(self, raw: Mapping[str, Any], key: str, where: str, item: str | None) -> bool:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            self.add("must be true or false", f"{where}.{key}", item)
            return False
        return value


def _ids(c: _Collector, rows: list[Any], where: str) -> list[str | None]:
    seen: set[str] = set()
    ids: list[str | None] = []
    for i, raw in enumerate(rows):
        if not isinstance(raw, Mapping):
            c.add("must be a mapping", f"{where}[{i}]")
            ids.append(None)
            continue
        ident = raw.get("id")
        if not isinstance(ident, (str, int)) or str(ident).strip() == "":
            c.add("is required (an identifier)", f"{where}[{i}].id")
            ids.append(None)
            continue
        ident = str(ident)
        if ident in seen:
            c.add(f"the reference “{ident}” is used twice", f"{where}[{i}].id", ident)
        seen.add(ident)
        ids.append(ident)
    return ids


def _capability(
    c: _Collector, raw: Mapping[str, Any], where: str, item: str | None, cat: Catalogues
) -> tuple[str | None, str | None]:
    code = raw.get("capability")
    if not isinstance(code, str) or cat.capability(code) is None:
        known = ", ".join(sorted(cat.capabilities))
        message = "is required" if code in (None, "") else f"“{code}” is not a capability of the catalogue"
        c.add(f"{message}; known: {known}", f"{where}.capability", item)
        return None, None
    jd = raw.get("job_description")
    if code == CIVILIAN_POST:
        if not isinstance(jd, str) or cat.job_description(jd) is None:
            known = ", ".join(sorted(cat.job_descriptions))
            found = "none was given" if jd in (None, "") else f"“{jd}” is not one"
            c.add(
                f"a civilian post needs a known standard job description ({found}); known: {known}",
                f"{where}.job_description",
                item,
            )
            return code, None
        return code, jd
    if jd is not None:
        c.add(
            f"a standard job description applies only to civilian seconded posts (capability {CIVILIAN_POST})",
            f"{where}.job_description",
            item,
        )
    return code, None


def parse_forcegen(
    data: Any,
    *,
    registry: KnownParties,
    on: dt.date | None = None,
    catalogues: Catalogues | None = None,
    known_missions: Any = None,
) -> ForceGenerationInput:
    """Validate and parse a force generation file. ``on`` overrides the file's date.

    ``known_missions`` (optional) answers ``get(acronym)``: a named mission
    must then be in the register.
    """
    cat = catalogues or load_catalogues()
    c = _Collector()
    if not isinstance(data, Mapping):
        raise InputError("the file must be a mapping with 'requirements' and 'offers'", field="(file)")
    for key in sorted(set(data) - {"mission", "date", "max_contributor_share", "requirements", "offers", "invited"}):
        c.add("unknown field", key)

    date = on or c.date(data, "date", "(file)", None)
    mission = data.get("mission")
    if mission is not None and (
        not isinstance(mission, str) or (known_missions is not None and known_missions.get(mission) is None)
    ):
        c.add(f"“{mission}” is not a mission of the register", "mission")

    share = None
    if data.get("max_contributor_share") is not None:
        raw_share = data["max_contributor_share"]
        if isinstance(raw_share, bool) or not isinstance(raw_share, (int, float)) or not 0 < raw_share <= 1:
            c.add(f"“{raw_share}” must be a number greater than 0 and at most 1", "max_contributor_share")
        else:
            share = Fraction(str(raw_share))

    invited = data.get("invited") or []
    if not isinstance(invited, list) or not all(isinstance(v, str) and registry.is_known(v) for v in invited):
        c.add("must list the codes of the third states invited to the mission", "invited")
        invited = []

    requirements: list[Requirement] = []
    rows = data.get("requirements")
    if not isinstance(rows, list):
        c.add("is required (a list)", "requirements")
        rows = []
    for i, (raw, ident) in enumerate(zip(rows, _ids(c, rows, "requirements"), strict=False)):
        if not isinstance(raw, Mapping):
            continue
        where = f"requirements[{i}]"
        capability, jd = _capability(c, raw, where, ident, cat)
        quantity = c.whole(raw, "quantity", where, ident, minimum=0)
        needed_from = c.date(raw, "needed_from", where, ident)
        duration = c.whole(raw, "duration_days", where, ident, minimum=1)
        tasks = c.words(raw, "tasks", where, ident)
        area = raw.get("area")
        if area is not None and not isinstance(area, str):
            c.add("must be a name", f"{where}.area", ident)
        personnel = c.whole(raw, "personnel_per_unit", where, ident, minimum=1, required=False)
        priority = c.whole(raw, "priority", where, ident, minimum=1, required=False) or 1
        rotation = c.flag(raw, "rotation", where, ident)
        if None not in (ident, capability, quantity, needed_from, duration):
            requirements.append(
                Requirement(
                    ident,
                    capability,
                    quantity,
                    needed_from,
                    duration,
                    tasks,
                    area,
                    jd,
                    personnel or cat.capability(capability).personnel,
                    priority,
                    rotation,
                )
            )

    offers: list[Offer] = []
    rows = data.get("offers")
    if not isinstance(rows, list):
        c.add("is required (a list)", "offers")
        rows = []
    for i, (raw, ident) in enumerate(zip(rows, _ids(c, rows, "offers"), strict=False)):
        if not isinstance(raw, Mapping):
            continue
        where = f"offers[{i}]"
        party = raw.get("party")
        if not isinstance(party, str) or not registry.is_known(party):
            c.add(f"“{party}” is not a state known to the service", f"{where}.party", ident)
            party = None
        elif getattr(registry.party(party), "kind", "state") != "state":
            c.add(f"{party} is an institution; offers come from states", f"{where}.party", ident)
            party = None
        capability, jd = _capability(c, raw, where, ident, cat)
        quantity = c.whole(raw, "quantity", where, ident, minimum=0)
        available_from = c.date(raw, "available_from", where, ident)
        available_until = c.date(raw, "available_until", where, ident, required=False)
        if available_from and available_until and available_until < available_from:
            c.add("is before the first day the offer is available", f"{where}.available_until", ident)
        max_duration = c.whole(raw, "max_duration_days", where, ident, minimum=1, required=False)
        excluded_tasks = c.words(raw, "excluded_tasks", where, ident)
        excluded_areas = c.words(raw, "excluded_areas", where, ident)
        personnel = c.whole(raw, "personnel_per_unit", where, ident, minimum=1, required=False)
        reserve = c.flag(raw, "reserve", where, ident)
        if None not in (ident, party, capability, quantity, available_from):
            offers.append(
                Offer(
                    ident,
                    party,
                    capability,
                    quantity,
                    available_from,
                    available_until,
                    max_duration,
                    excluded_tasks,
                    excluded_areas,
                    jd,
                    personnel or cat.capability(capability).personnel,
                    reserve,
                )
            )

    if c.problems:
        raise InputError(c.problems)
    return ForceGenerationInput(
        date=date,
        requirements=tuple(requirements),
        offers=tuple(offers),
        mission=mission,
        max_contributor_share=share,
        invited=frozenset(invited),
    )
