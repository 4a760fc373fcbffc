"""Deploying a whole force against real capacity (pure: no Django).

``deploy(force, ...)`` turns a force list into columns, asks the movement
planner for each column's route options and timing, schedules every column
against the capacity of ships, trains, transporters, ports, railheads, border
crossings, convoy support centres and road space, and returns the plan:
``units`` (arrival, lateness and what bound it), ``schedule`` (every leg of
every column), ``lifts`` (sailings and trains), ``node_load`` (per node and
day) and ``permissions`` (per state, for the whole force).

The greedy baseline (``greedy.py``) places columns in priority order; the
solver (``solver.py``, OR-Tools CP-SAT) starts from it and keeps its answer
only when it is at least as good, so the plan is never worse than greedy.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accord.errors import InputError, Problem
from accord.rules.parameters import ParameterNotInForce, ParameterSet

from .. import localtime
from ..network import Network
from ..planner import default_network, shipped_catalogue
from ..rules import mobility_parameters, planning_rules
from ..vehicles import Catalogue
from .capacity import Capacity, load_capacity
from .explain import Explainer
from .forcelist import ForceList, Unit
from .greedy import Placement, State, greedy, lane_metres
from .itinerary import Column, TemplateCache
from .output import Clock, lift_rows, node_load, permission_rows, schedule_rows

__all__ = ["deploy", "DeployResult", "load_capacity", "columns_of"]

Progress = Callable[[int, int | None], None]


@dataclass
class DeployResult:
    data: dict[str, Any]
    columns: list[Column]
    placements: dict[str, Placement]
    lifts: dict
    greedy_objective: float
    objective: float


def _ready_utc(unit: Unit, network: Network, start_time: dt.time) -> dt.datetime:
    country = network.node(unit.origin).country
    if isinstance(unit.ready, dt.datetime):
        moment = unit.ready if unit.ready.tzinfo else unit.ready.replace(tzinfo=localtime.zone(country))
        return localtime.to_utc(moment)
    return localtime.from_local(unit.ready, start_time, country)


def _due_utc(unit: Unit, network: Network) -> dt.datetime:
    """A due date means by the end of that day at the destination (local time)."""
    country = network.node(unit.destination).country
    if isinstance(unit.due, dt.datetime):
        moment = unit.due if unit.due.tzinfo else unit.due.replace(tzinfo=localtime.zone(country))
        return localtime.to_utc(moment)
    return localtime.from_local(unit.due + dt.timedelta(days=1), dt.time(0, 0), country)


def columns_of(
    force: ForceList, cache: TemplateCache, march_unit_size: int, catalogue: Catalogue, capacity: Capacity
) -> tuple[list[Column], list[Problem]]:
    """Each unit's vehicles cut into march columns of at most ``march_unit_size``, with their route options."""
    columns: list[Column] = []
    problems: list[Problem] = []
    order = sorted(
        force.units,
        key=lambda u: (
            u.priority,
            u.due if isinstance(u.due, dt.datetime) else dt.datetime.combine(u.due, dt.time(23, 59)),
            u.ready if isinstance(u.ready, dt.datetime) else dt.datetime.combine(u.ready, dt.time(6)),
            u.line,
        ),
    )
    for unit in order:
        number = 0
        for vehicle, count in unit.vehicles:
            sizes = [march_unit_size] * (count // march_unit_size) + (
                [count % march_unit_size] if count % march_unit_size else []
            )
            for size in sizes:
                number += 1
                options, why = cache.options(unit, vehicle, size)
                if not options:
                    problems += [
                        Problem(f"{unit.name}: {p.message}", field=p.field, line=unit.line, item=unit.name)
                        for p in why[:1]
                    ]
                    break
                column = Column(f"{unit.name}#{number}", unit, vehicle, size, number, options)
                transporter = catalogue.find(options[0].transporter) if options[0].transporter else None
                column.lane_metres = lane_metres(column, transporter, capacity)
                columns.append(column)
    return columns, problems


def objective(
    columns: list[Column], placements: dict[str, Placement], due: dict[str, int], ready: dict[str, int]
) -> tuple[float, float]:
    """(weighted lateness in hours, total journey hours): the first is minimised, then the second."""
    late: dict[str, int] = {}
    weight: dict[str, int] = {}
    journey = 0
    for c in columns:
        p = placements.get(c.id)
        if p is None:
            continue
        late[c.unit.name] = max(late.get(c.unit.name, 0), max(0, p.arrival - due[c.id]))
        weight[c.unit.name] = c.unit.weight
        journey += p.arrival - ready[c.id]
    return sum(weight[u] * late[u] for u in late) / 60, journey / 60


def deploy(
    force: ForceList,
    *,
    network: Network | None = None,
    catalogue: Catalogue | None = None,
    params: ParameterSet | None = None,
    capacity: Capacity | None = None,
    solver: bool = True,
    time_limit_s: float = 30.0,
    progress: Progress | None = None,
    regime: str = "current",
) -> DeployResult:
    params = params or mobility_parameters()
    catalogue = catalogue or shipped_catalogue()
    first_day = min(u.ready.date() if isinstance(u.ready, dt.datetime) else u.ready for u in force.units)
    try:
        rules = planning_rules(params, first_day)
    except ParameterNotInForce:
        raise InputError(
            Problem(
                f"no planning figures are recorded for {first_day.isoformat()}: enter a later ready date", field="ready"
            )
        ) from None
    network = network or default_network(params, first_day)
    capacity = capacity or load_capacity(network)
    started = time.perf_counter()
    cache = TemplateCache(network, catalogue, params, regime)
    columns, problems = columns_of(force, cache, rules.march_unit_size, catalogue, capacity)
    if problems:
        raise InputError(problems)
    ready_utc = {u.name: _ready_utc(u, network, rules.default_start_time) for u in force.units}
    epoch = min(ready_utc.values()).replace(hour=0, minute=0, second=0, microsecond=0)
    clock = Clock(epoch)

    def minutes(moment: dt.datetime) -> int:
        return round((moment - epoch).total_seconds() / 60)

    ready = {c.id: minutes(ready_utc[c.unit.name]) for c in columns}
    due = {c.id: minutes(_due_utc(c.unit, network)) for c in columns}
    state = State(network, capacity, ready)
    total = len(columns)
    report = (lambda done, _total: progress(done, total * 2)) if progress else None
    placements = greedy(columns, state, epoch, report)
    greedy_placements = placements
    greedy_score = objective(columns, placements, due, ready)
    score = greedy_score
    lifts = state.lifts
    solver_status = "not run"
    if solver and placements:
        from .solver import improve

        better, solver_status = improve(columns, placements, state, due, ready, epoch, time_limit_s)
        if better is not None:
            candidate = objective(columns, better[0], due, ready)
            if candidate <= greedy_score:
                placements, lifts, score = better[0], better[1], candidate
    if progress:
        progress(total * 2, total * 2)
    schedule = schedule_rows(columns, placements, lifts, clock)
    units = _unit_rows(force, columns, placements, lifts, state, due, ready, clock, network, capacity)
    data = {
        "times_are": "local time of each place, with its UTC offset (IANA time zones)",
        "network_version": network.version,
        "capacity_version": capacity.version,
        "capacity": capacity.as_dict(),
        "summary": {
            "units": len(force.units),
            "vehicles": force.vehicle_count,
            "columns": len(columns),
            "late_units": sum(1 for u in units if u["late_hours"] > 0),
            "weighted_late_hours": round(score[0], 1),
            "greedy_weighted_late_hours": round(greedy_score[0], 1),
            "journey_hours": round(score[1], 1),
            "greedy_journey_hours": round(greedy_score[1], 1),
            "solver": solver_status,
            "seconds": round(time.perf_counter() - started, 2),
            "plans_computed": cache.plans,
        },
        "units": units,
        "schedule": schedule,
        "lifts": lift_rows(lifts, placements, clock, network),
        "node_load": node_load(network, capacity, columns, placements, lifts, clock),
        "permissions": permission_rows(columns, placements, clock, schedule),
    }
    del greedy_placements
    return DeployResult(data, columns, placements, lifts, greedy_score[0], score[0])


def _unit_rows(force, columns, placements, lifts, state, due, ready, clock, network, capacity) -> list[dict]:
    by_unit: dict[str, list[Column]] = {}
    for c in columns:
        by_unit.setdefault(c.unit.name, []).append(c)
    rows = []
    explainer = None
    for unit in force.units:
        mine = by_unit.get(unit.name, [])
        dest = network.node(unit.destination).country
        placed = [c for c in mine if c.id in placements]
        due_min = due[mine[0].id] if mine else 0
        if len(placed) < len(mine) or not mine:
            rows.append(
                {
                    "unit": unit.name,
                    "state": unit.state,
                    "vehicles": unit.vehicle_count,
                    "priority": unit.priority,
                    "ready": clock.iso(ready[mine[0].id], network.node(unit.origin).country) if mine else None,
                    "arrival": None,
                    "due": clock.iso(due_min, dest) if mine else None,
                    "late_hours": None,
                    "binding": "no ship, train or transporter in the capacity data can carry this unit's "
                    "vehicles on its route (check the assets file)",
                }
            )
            continue
        last = max(placed, key=lambda c: placements[c.id].arrival)
        arrival = placements[last.id].arrival
        late = max(0, arrival - due_min)
        rows.append(
            {
                "unit": unit.name,
                "state": unit.state,
                "vehicles": unit.vehicle_count,
                "priority": unit.priority,
                "ready": clock.iso(ready[last.id], network.node(unit.origin).country),
                "arrival": clock.iso(arrival, dest),
                "due": clock.iso(due_min, dest),
                "late_hours": round(late / 60, 1) if late else 0,
                "binding": (
                    explainer := explainer or Explainer(columns, placements, lifts, network, capacity, clock, ready)
                ).why(last)
                if late
                else None,
            }
        )
    return rows
