"""The movement planner: route, convoy timing, states crossed and permission deadlines.

``plan(request)`` is pure: the network, the catalogue and the parameters are
inputs (defaults: the shipped ones), the departure date is an input, and
nothing reads today's date.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import Any

from accord.errors import InputError, Problem
from accord.rules.parameters import ParameterNotInForce, ParameterSet

from . import localtime, timing
from .carriage import (
    EVERYTHING,
    TRANSPORTER,
    Movement,
    Relaxation,
    edge_carriage,
    movement_for,
)
from .network import Network, shipped_network
from .permissions import REGIMES, lead_time, submission_deadline
from .routing import ROUTE_MODES, Step, build_graph, candidate_routes, shortest_route
from .rules import PlanningRules, mobility_parameters, planning_rules
from .vehicles import Catalogue, Vehicle, load_catalogue, parse_vehicle_list

PLANNING_YEARS = (1990, 2200)  # input bounds, not a rule: calendars and time zones are defined well inside them
EARLIEST_DEPARTURE_SEARCH_DAYS = 400  # search horizon, not a rule: a year of departures and some margin


@dataclass(frozen=True)
class PlanRequest:
    origin: str
    destination: str
    depart: dt.date | dt.datetime
    vehicles: str | list[tuple[Vehicle, int]]
    mode: str = "any"
    regime: str = "current"
    emergency: bool = False
    filed_on: dt.date | None = None
    requesting_state: str | None = None
    pre_authorised: frozenset[str] = field(default_factory=frozenset)
    avoid_states: frozenset[str] = field(default_factory=frozenset)  # e.g. a state that refused
    allow_sea: bool = False  # with mode "rail": may a sea leg be used?


_CATALOGUE: list[Catalogue] = []


def shipped_catalogue() -> Catalogue:
    if not _CATALOGUE:
        _CATALOGUE.append(load_catalogue())
    return _CATALOGUE[0]


def default_network(params: ParameterSet, on: dt.date) -> Network:
    return shipped_network(dict(params.value("mobility.network.detour_factor", on)))


def plan(
    request: PlanRequest,
    *,
    network: Network | None = None,
    catalogue: Catalogue | None = None,
    params: ParameterSet | None = None,
) -> dict[str, Any]:
    params = params or mobility_parameters()
    catalogue = catalogue or shipped_catalogue()
    problems: list[Problem] = []
    depart_day = request.depart.date() if isinstance(request.depart, dt.datetime) else request.depart
    if not isinstance(depart_day, dt.date) or not (PLANNING_YEARS[0] <= depart_day.year <= PLANNING_YEARS[1]):
        raise InputError(
            Problem(f"Enter a departure date between {PLANNING_YEARS[0]} and {PLANNING_YEARS[1]}", field="depart")
        )
    try:
        rules = planning_rules(params, depart_day)
    except ParameterNotInForce:
        first = max(
            params[name].values[0][0]
            for name in params.names("mobility.convoy.")
            + params.names("mobility.network.")
            + params.names("mobility.timing.")
        )
        raise InputError(
            Problem(
                f"Planning figures are recorded from {first.day} {first:%B %Y}; "
                f"enter a departure on or after that date",
                field="depart",
            )
        ) from None
    network = network or default_network(params, depart_day)
    problems += validate_parts(
        network, catalogue, request.origin, request.destination, None, request.mode, request.regime
    )
    origin_country = network.node(request.origin).country if request.origin in network.index else ""
    # A departure is given in the local time of the origin; the engine computes in UTC.
    if isinstance(request.depart, dt.datetime):
        depart = localtime.to_utc(
            request.depart.replace(tzinfo=localtime.zone(origin_country))
            if request.depart.tzinfo is None
            else request.depart
        )
    else:
        depart = localtime.from_local(request.depart, rules.default_start_time, origin_country)
    countries = set(network.countries())
    for state in sorted(request.pre_authorised):
        if state not in countries:
            problems.append(Problem("not a state of the network", field="pre_authorised", item=state))
    if request.requesting_state and request.requesting_state not in countries:
        problems.append(Problem("not a state of the network", field="requesting_state", item=request.requesting_state))
    ends = {network.node(x).country for x in (request.origin, request.destination) if x in network.index}
    for state in sorted(request.avoid_states & ends):
        problems.append(
            Problem(
                "the origin or destination lies in this state, so the route cannot avoid it",
                field="avoid_states",
                item=state,
            )
        )
    vehicles: list[tuple[Vehicle, int]] = []
    try:
        vehicles = (
            parse_vehicle_list(request.vehicles, catalogue)
            if isinstance(request.vehicles, str)
            else list(request.vehicles)
        )
    except InputError as exc:
        problems += exc.problems
    if problems:
        raise InputError(problems)

    driving_limits = not _emers_waives_driving_time(params, request, depart_day)
    requesting = request.requesting_state or origin_country
    if request.pre_authorised:
        problems += _low_impact_problems(vehicles, request, rules, catalogue, requesting)
    if problems:
        raise InputError(problems)
    packets, alternatives = _plan_packets(
        network, catalogue, rules, request, vehicles, depart, driving_limits, requesting, params
    )
    states = _merge_states(packets)
    permissions = _permissions(params, states, requesting, request, rules=rules)
    result: dict[str, Any] = {
        "request": {
            "from": request.origin,
            "to": request.destination,
            "depart": depart.isoformat(timespec="minutes"),
            "vehicles": [{"name": v.name, "count": c} for v, c in vehicles],
            "mode": request.mode,
            "regime": request.regime,
            "emergency": request.emergency,
            "filed_on": request.filed_on.isoformat() if request.filed_on else None,
            "requesting_state": requesting,
            "pre_authorised": sorted(request.pre_authorised),
            "avoid_states": sorted(request.avoid_states),
            "allow_sea": request.allow_sea,
        },
        "network_version": network.version,
        "scenario": params.scenario,
        "times_are": "local time of each place, with its UTC offset (IANA time zones)",
        "departure": localtime.iso_local(depart, origin_country),
        "arrival": max(packets, key=lambda p: p["_arrival"])["arrival"],
        "driving_limits_applied": driving_limits,
        "packets": [_public(p) for p in packets],
        "alternatives": alternatives,
        "states": [_state_out(s, permissions.get(s["state"])) for s in states],
        "assumptions": _assumptions(packets, rules, params, depart_day),
    }
    if request.filed_on is not None:
        result["filing"] = _filing(params, states, requesting, request, depart, rules)
    return result


def _public(packet: dict) -> dict:
    return {k: v for k, v in packet.items() if not k.startswith("_")}


def _low_impact_problems(
    vehicles, request: PlanRequest, rules: PlanningRules, catalogue: Catalogue, requesting: str
) -> list[Problem]:
    """EDA pre-authorisation covers only low-impact movements (criteria: ``mobility.permissions.current.low_impact_criteria``)."""
    c = rules.low_impact
    why = []
    total = sum(n for _, n in vehicles)
    if total > int(c["max_vehicles"]):
        why.append(f"{total} vehicles (at most {c['max_vehicles']})")
    for v, _ in vehicles:
        if v.kind == "tracked" and not c.get("tracked_allowed"):
            why.append(f"{v.name} is a tracked vehicle")
        if v.mass_t is not None and v.mass_t > float(c["max_mass_t"]):
            why.append(f"{v.name} weighs {v.mass_t:g} t (at most {c['max_mass_t']:g} t)")
        if v.height_m is not None and v.height_m > float(c["max_height_m"]):
            why.append(f"{v.name} is {v.height_m:g} m high (at most {c['max_height_m']:g} m)")
        if v.width_m is not None and v.width_m > float(c["max_width_m"]):
            why.append(f"{v.name} is {v.width_m:g} m wide (at most {c['max_width_m']:g} m)")
    if not why:
        return []
    return [
        Problem(
            "an EDA pre-authorisation covers only low-impact movements, and this one is not: "
            + "; ".join(why)
            + ". Each state crossed needs a full request.",
            field="pre_authorised",
            item=",".join(sorted(request.pre_authorised)),
        )
    ]


# --- inputs ---------------------------------------------------------------------------------


def validate_parts(
    network: Network, catalogue: Catalogue, origin: str, destination: str, vehicles: str | None, mode: str, regime: str
) -> list[Problem]:
    """Problems with the nodes, vehicles, mode and regime of a request (all of them, not just the first)."""
    problems: list[Problem] = []
    for field_name, node_id in (("from", origin), ("to", destination)):
        if node_id not in network.index:
            problems.append(Problem(_unknown_node_message(network, node_id), field=field_name, item=node_id))
    if origin == destination and origin in network.index:
        problems.append(Problem("origin and destination are the same node", field="to", item=destination))
    if mode not in ROUTE_MODES:
        problems.append(Problem(f"mode must be one of {', '.join(ROUTE_MODES)}", field="mode", item=mode))
    if regime not in REGIMES:
        problems.append(Problem(f"regime must be one of {', '.join(REGIMES)}", field="regime", item=regime))
    if vehicles is not None:
        try:
            parse_vehicle_list(vehicles, catalogue)
        except InputError as exc:
            problems += exc.problems
    return problems


def _unknown_node_message(network: Network, node_id: str) -> str:
    names = network.suggestion_table(str(node_id))
    close = difflib.get_close_matches(str(node_id).lower(), list(names), n=3, cutoff=0.6)
    hint = (
        f"; did you mean {', '.join(sorted({names[c] for c in close}))}?"
        if close
        else "; see `accord network export --json`"
    )
    return f"unknown node {node_id!r}{hint}"


def _emers_waives_driving_time(params: ParameterSet, request: PlanRequest, on: dt.date) -> bool:
    """Proposed regulation: EMERS, activated in an emergency, waives driving and rest-time rules."""
    if request.regime != "proposed-2025" or not request.emergency:
        return False
    try:
        return bool(params.value("mobility.permissions.proposed_2025.emers_waives_driving_time", on))
    except ParameterNotInForce as exc:
        raise InputError(
            Problem(f"regime 'proposed-2025' is not defined on {on.isoformat()}: {exc}", field="regime")
        ) from None


# --- routing and timing per packet ------------------------------------------------------------

ALTERNATIVES = 2  # routes offered besides the best (issue: "the best and up to two alternatives")


CLOSURE_WINDOW_DAYS = 60  # closures this far after departure shape the candidate routes (longer than any plan)


def _graph(
    network, rules, request: PlanRequest, movement, driving_limits, relax=Relaxation(), mode=None, closed=frozenset()
):
    return build_graph(
        network,
        movement,
        rules,
        mode or request.mode,
        driving_limits,
        relax,
        ends=(request.origin, request.destination),
        avoid=request.avoid_states,
        allow_sea=request.allow_sea or (mode or request.mode) != "rail",
        closed=closed,
    )


def _closure_hit(network: Network, packet: dict) -> str | None:
    """The first closure a scheduled route runs into (a leg on a closed edge or node while it is closed)."""
    for leg in packet["legs"]:
        if leg["kind"] != "leg":
            continue
        start, end = leg["start"].value, leg["end"].value
        for c in network.closures:
            if (c.element == "edge" and c.target != leg["edge"]) or (
                c.element == "node" and c.target not in (leg["from"], leg["to"])
            ):
                continue
            country = network.node(leg["from"] if c.element == "edge" else c.target).country
            shut = localtime.from_local(c.start, dt.time(0, 0), country)
            reopen = localtime.from_local(c.end + dt.timedelta(days=1), dt.time(0, 0), country)
            if start < reopen and end > shut:
                return (
                    f"{leg['name']} ({c.element} {c.target}) is closed from {c.start.isoformat()} to "
                    f"{c.end.isoformat()}: {c.reason or 'closure'} ({c.source_title})"
                )
    return None


def _plan_packets(network, catalogue, rules, request, vehicles, depart, driving_limits, nation, params=None):
    """Each packet on the candidate route with the earliest arrival; the plan's alternatives."""
    groups: dict[Movement, list[tuple[Vehicle, int]]] = {}
    for vehicle, count in vehicles:
        groups.setdefault(movement_for(vehicle, catalogue, rules, nation), []).append((vehicle, count))
    packets = []
    options: list[list[dict]] = []
    problems = []
    for number, (movement, members) in enumerate(groups.items(), start=1):
        graph = _graph(network, rules, request, movement, driving_limits)
        routes = candidate_routes(network, graph, request.origin, request.destination, ALTERNATIVES + 2)
        if not routes:
            problems.append(_explain_no_route(network, rules, request, movement, members, driving_limits))
            continue
        closed = network.closed_during(depart.date(), depart.date() + dt.timedelta(days=CLOSURE_WINDOW_DAYS))
        if closed:
            # Closures as data: candidates that avoid every closed element as well, then only routes
            # that do not run into a closure while it is closed are kept.
            around = _graph(network, rules, request, movement, driving_limits, closed=closed)
            routes += candidate_routes(network, around, request.origin, request.destination, ALTERNATIVES + 2)
        count = sum(c for _, c in members)
        # The route cost is the time the force arrives: every candidate is scheduled with its port calls,
        # transfers, loading and rests, and the earliest arrival wins.
        scheduled = [
            _schedule(network, rules, steps, members, count, movement, depart, driving_limits, number)
            for steps in _unique(routes)
        ]
        if request.filed_on is not None and params is not None:
            # With the filing date known, a route through states with long lead times may have to leave
            # later: its cost is the arrival after the earliest departure its deadlines allow.
            for p in scheduled:
                p["_arrival_if_filed"] = p["_arrival"] + _filing_delay(params, p, nation, request, depart, rules)
            scheduled.sort(key=lambda p: p["_arrival_if_filed"])
        else:
            scheduled.sort(key=lambda p: p["_arrival"])
        if network.closures:
            hits = [_closure_hit(network, p) for p in scheduled]
            if all(hits):
                names = ", ".join(v.name for v, _ in members)
                problems.append(
                    Problem(
                        f"no route from {request.origin} to {request.destination} avoids the closures: {hits[0]}",
                        field="depart",
                        item=names,
                    )
                )
                continue
            scheduled = [p for p, hit in zip(scheduled, hits, strict=False) if not hit]
        scheduled = [_render(p) for p in scheduled[: max(1, ALTERNATIVES + 1)]]
        packets.append(scheduled[0])
        options.append(scheduled)
    if problems:
        raise InputError(problems)
    binding = max(range(len(packets)), key=lambda i: packets[i]["_arrival"])
    alternatives = [_alternative_summary(p) for p in options[binding][1 : ALTERNATIVES + 1]]
    return packets, alternatives


class _Local(tuple):
    """A naive UTC time and the country whose local time shows it; rendered as ISO 8601 with the offset."""

    __slots__ = ()

    def __new__(cls, value: dt.datetime, country: str):
        return tuple.__new__(cls, (value, country))

    @property
    def value(self) -> dt.datetime:
        return self[0]


def _render(obj):
    """Replace every ``_Local`` in a scheduled packet by its ISO 8601 text (local time with UTC offset)."""
    if isinstance(obj, _Local):
        return localtime.iso_local(obj[0], obj[1])
    if isinstance(obj, dict):
        return {k: (v if k.startswith("_") else _render(v)) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_render(v) for v in obj]
    return obj


def _filing_delay(
    params, packet: dict, requesting: str, request: PlanRequest, depart: dt.datetime, rules: PlanningRules
) -> dt.timedelta:
    """How much later than requested this route could leave, its requests being filed on ``filed_on``."""
    states = [{"state": c, "entry": e, "exit": x} for c, e, x in packet["_states"]]

    def feasible(day: dt.date) -> bool:
        shift = dt.datetime.combine(day, depart.time()) - depart
        return not any(
            _too_late(d, state, request.filed_on)
            for state, (_, d) in _permissions(params, states, requesting, request, shift, rules=rules).items()
        )

    if feasible(depart.date()):
        return dt.timedelta(0)
    earliest = _earliest_feasible(feasible, depart.date())
    if earliest is None:
        return dt.timedelta(days=EARLIEST_DEPARTURE_SEARCH_DAYS)
    return dt.datetime.combine(earliest, depart.time()) - depart


def _unique(routes: list) -> list:
    seen, out = set(), []
    for steps in routes:
        key = tuple((s.kind, s.edge, s.node_from, s.node_to) for s in steps)
        if key not in seen:
            seen.add(key)
            out.append(steps)
    return out


def _alternative_summary(packet: dict) -> dict:
    legs = [one_leg for one_leg in packet["legs"] if one_leg["kind"] == "leg"]
    return {
        "arrival": packet["arrival"],
        "distance_km": packet["distance_km"],
        "states_crossed": len(packet["states"]),
        "states": [s["state"] for s in packet["states"]],
        "via": [one_leg["name"] for one_leg in legs if one_leg["mode"] in ("sea", "tunnel")],
        "modes": sorted({one_leg["mode"] for one_leg in legs}),
    }


def _schedule(
    network: Network,
    rules: PlanningRules,
    steps: list[Step],
    members,
    count: int,
    movement: Movement,
    depart: dt.datetime,
    driving_limits: bool,
    number: int,
) -> dict:
    """Schedule a route; night rests that fall at a node which is not a staging area move back to the
    last staging area passed within ``rules.staging_lookback_h`` of driving that day (a few passes)."""
    stops: frozenset[int] = frozenset()
    for _ in range(4):
        packet = _schedule_pass(network, rules, steps, members, count, movement, depart, driving_limits, number, stops)
        earlier = _staging_stops(network, rules, packet.pop("_road_log"), packet.pop("_node_rests"))
        if earlier <= stops:
            return packet
        stops = stops | earlier
    return packet


def _staging_stops(network: Network, rules: PlanningRules, road_log: list, node_rests: list) -> frozenset[int]:
    """Steps before which to rest instead: for each rest at a node that is not a staging area."""
    out = set()
    driven = {i: h for i, _, h in road_log}
    for k, node_id in node_rests:
        if network.node(node_id).kind in rules.staging_kinds:
            continue
        for j, start_node, before in reversed([r for r in road_log if r[0] < k]):
            if before <= 0 or driven[k] - before > rules.staging_lookback_h:
                break  # the day began there, or too far back
            if network.node(start_node).kind in rules.staging_kinds:
                out.add(j)
                break
    return frozenset(out)


def _schedule_pass(
    network: Network,
    rules: PlanningRules,
    steps: list[Step],
    members,
    count: int,
    movement: Movement,
    depart: dt.datetime,
    driving_limits: bool,
    number: int,
    stops: frozenset[int],
) -> dict:
    clock = timing.DrivingClock(rules, limits=driving_limits)
    road_log: list[tuple[int, str, float]] = []  # (step, start node, hours driven that day before the leg)
    node_rests: list[tuple[int, str]] = []  # (step, node) of each rest taken at the start of a leg

    def _iso(value: dt.datetime, country: str) -> _Local:
        return _Local(value, country)  # formatted only for the routes kept (see _render)

    t = depart
    tail = 0.0  # hours between the lead and the last vehicle at the current point
    legs: list[dict] = []
    visits: list[tuple[str, dt.datetime, dt.datetime, str]] = []  # (country, entry, exit, how)
    previous_carriage = None
    distance = 0.0
    for index, step in enumerate(steps):
        if step.kind == "transfer":
            start = t + dt.timedelta(hours=tail)
            end = start + dt.timedelta(hours=step.hours)
            clock.rest(step.hours + tail)
            here = network.node(step.node_from).country
            legs.append(
                {
                    "kind": "transfer",
                    "at": step.node_from,
                    "at_name": network.node(step.node_from).name,
                    "country": here,
                    "what": step.transfer,
                    "start": _iso(start, here),
                    "end": _iso(end, here),
                    "hours": round(step.hours, 2),
                }
            )
            t, tail = end, 0.0
            previous_carriage = None
            continue
        edge = network.edges[step.edge]
        a, b = network.node(step.node_from), network.node(step.node_to)
        carriage = step.carriage
        if carriage == TRANSPORTER and previous_carriage != TRANSPORTER:
            start = t + dt.timedelta(hours=tail)
            end = start + dt.timedelta(hours=rules.transporter_loading_h)
            legs.append(
                {
                    "kind": "transfer",
                    "at": a.id,
                    "at_name": a.name,
                    "country": a.country,
                    "what": f"load onto transporters ({movement.transporter})",
                    "start": _iso(start, a.country),
                    "end": _iso(end, a.country),
                    "hours": rules.transporter_loading_h,
                }
            )
            clock.rest(rules.transporter_loading_h + tail)
            t, tail = end, 0.0
        start = t
        if edge.mode == "road":
            rests_before = len(clock.rest_places)
            road_log.append((index, a.id, clock.today_h))
            end = clock.drive(
                start,
                timing.road_leg_hours(edge.length_km, edge.road_class, rules),
                a.country,
                a.id,
                rest_first=index in stops,
            )
            at_node = [r for r in clock.rest_places[rests_before:] if r[0] == a.id]
            if at_node:
                # The convoy rested at this node before the leg: the leg starts after the rest.
                _, rest_start, rest_end = at_node[0]
                node_rests.append((index, a.id))
                legs.append(
                    {
                        "kind": "transfer",
                        "at": a.id,
                        "at_name": a.name,
                        "country": a.country,
                        "what": "night rest" if driving_limits else "crew rest",
                        "start": _iso(rest_start, a.country),
                        "end": _iso(rest_end, a.country),
                        "hours": round((rest_end - rest_start).total_seconds() / 3600, 2),
                    }
                )
                start = rest_end
            tail = timing.column_pass_hours(count, edge.road_class, rules)
        elif edge.mode == "rail":
            hours = timing.rail_leg_hours(edge.length_km, rules)
            end = start + dt.timedelta(hours=hours)
            tail = timing.rail_tail_hours(count, rules)
            clock.rest(hours)
        elif edge.mode == "sea":
            hours = edge.length_km / rules.sea_speed_kmh
            end = start + dt.timedelta(hours=hours)
            tail = 0.0  # one sailing assumed (ship capacity is not modelled)
            clock.rest(hours)
        else:  # tunnel shuttle
            hours = edge.length_km / rules.tunnel_speed_kmh
            end = start + dt.timedelta(hours=hours)
            tail = 0.0
        last = end + dt.timedelta(hours=tail)
        distance += edge.length_km
        legs.append(
            {
                "kind": "leg",
                "mode": edge.mode,
                "edge": edge.id,
                "name": edge.name,
                "from": a.id,
                "from_name": a.name,
                "from_country": a.country,
                "to": b.id,
                "to_name": b.name,
                "to_country": b.country,
                "distance_km": round(edge.length_km, 1),
                "length_computed": edge.length_computed,
                "road_class": edge.road_class,
                "gauge_mm": edge.gauge_mm,
                "carriage": carriage,
                "transporter": movement.transporter if carriage and TRANSPORTER in carriage else None,
                "start": _iso(start, a.country),
                "end": _iso(end, b.country),
                "last_vehicle_arrival": _iso(last, b.country),
                "assumed": _assumed_attributes(edge, movement, carriage),
                "source": {"title": edge.source_title, "href": edge.source_url},
            }
        )
        if a.country != b.country:
            # Entry: land legs count from the start of the leg (the safe side for deadlines); sea legs on arrival.
            entry = end if edge.mode == "sea" else start
            exit_ = start if edge.mode == "sea" else last
            visits.append((a.country, None, exit_, edge.mode))
            visits.append((b.country, entry, None, edge.mode))
        previous_carriage = carriage
        t = end
    arrival = t + dt.timedelta(hours=tail)
    first_country = network.node(steps[0].node_from).country
    last_country = network.node(steps[-1].node_to).country
    states = _states_from_visits(first_country, depart, visits, arrival, last_country)
    return {
        "packet": number,
        "vehicles": [
            {
                "name": v.name,
                "count": c,
                "kind": v.kind,
                "mass_t": v.mass_t,
                "mlc": v.load_class(rules.mlc_table)[0],
                "mlc_basis": v.load_class(rules.mlc_table)[1],
            }
            for v, c in members
        ],
        "vehicle_count": count,
        "march_units": timing.march_units(count, rules),
        "trains": timing.trains_needed(count, rules) if any(one_leg.get("mode") == "rail" for one_leg in legs) else 0,
        "transporter": movement.transporter
        if any((one_leg.get("carriage") or "").endswith(TRANSPORTER) for one_leg in legs)
        else None,
        "distance_km": round(distance, 1),
        "departure": _iso(depart, first_country),
        "arrival": _iso(arrival, last_country),
        "halts": clock.halts,
        "night_rests": clock.night_rests,
        "rests_mid_road": sum(1 for node, _, _ in clock.rest_places if node is None),
        "legs": legs,
        "states": [{"state": c, "entry": _iso(e, c), "exit": _iso(x, c)} for c, e, x in states],
        "_states": states,
        "_arrival": arrival,
        "_road_log": road_log,
        "_node_rests": node_rests,
    }


def _states_from_visits(first_country, depart, visits, arrival, last_country) -> list[dict]:
    """Each state in order of first entry, with its entry and final exit (the destination's exit is the arrival)."""
    order: list[str] = [first_country]
    entry: dict[str, dt.datetime] = {first_country: depart}
    exit_: dict[str, dt.datetime] = {}
    for country, entered, left, _ in visits:
        if entered is not None and country not in entry:
            order.append(country)
            entry[country] = entered
        if left is not None:
            exit_[country] = left
    exit_[last_country] = arrival
    return [(c, entry[c], exit_.get(c, arrival)) for c in order]


def _assumed_attributes(edge, movement: Movement, carriage: str | None) -> list[str]:
    out = []
    if edge.mode in ("road", "tunnel"):
        kind = "wheeled" if carriage and TRANSPORTER in carriage else movement.kind
        if (edge.mlc_tracked if kind == "tracked" else edge.mlc_wheeled) is None:
            out.append("mlc")
        if edge.max_height_m is None:
            out.append("height")
    if edge.length_computed:
        out.append("length")
    return out


def _explain_no_route(network, rules, request, movement, members, driving_limits) -> Problem:
    names = ", ".join(v.name for v, _ in members)
    where = f"from {request.origin} to {request.destination}"
    everything = EVERYTHING
    relaxed_graph = _graph(network, rules, request, movement, driving_limits, everything)
    if shortest_route(network, relaxed_graph, request.origin, request.destination) is None:
        if not movement.own_on_roads and movement.transporter is None:
            nation = f" of {movement.nation}" if movement.nation else ""
            return Problem(
                f"no route {where} for {names}: tracked vehicles do not drive on public roads "
                f"(parameter mobility.network.tracked_self_propelled_on_roads) and no transporter{nation} "
                f"with a known payload can carry them",
                field="vehicles",
                item=names,
            )
        if request.mode != "any":
            any_graph = _graph(network, rules, request, movement, driving_limits, everything, mode="any")
            if shortest_route(network, any_graph, request.origin, request.destination) is not None:
                return Problem(
                    f"no route {where} using mode {request.mode!r} "
                    f"(road-only excludes rail; rail-only allows road legs up to "
                    f"{rules.rail_mode_road_access_km:g} km); try --mode any",
                    field="mode",
                    item=names,
                )
        return Problem(f"no route {where}: the network does not connect them", field="to", item=names)
    for label, relax in (
        ("load class (MLC)", Relaxation(load_class=True)),
        ("height limit", Relaxation(height=True)),
        ("weight limit", Relaxation(weight=True)),
        ("width limit", Relaxation(width=True)),
        ("axle-load limit", Relaxation(axle=True)),
        ("load class, height, weight, width and axle-load limits", everything),
    ):
        graph = _graph(network, rules, request, movement, driving_limits, relax)
        steps = shortest_route(network, graph, request.origin, request.destination)
        if steps is None:
            continue
        strict = edge_carriage(network, movement, rules)
        blocking = [network.edges[s.edge] for s in steps if s.kind == "leg" and strict[s.edge] == ""]
        detail = "; ".join(_describe_block(e, movement, rules) for e in blocking[:3])
        own = f"MLC {movement.mlc} {movement.kind}" if movement.mlc is not None else "beyond MLC 120"
        nation = f" of {movement.nation}" if movement.nation else ""
        carried = (
            f", on {movement.transporter} MLC {movement.transport_mlc} wheeled"
            if movement.transporter
            else f", no transporter{nation} with a known payload can carry it"
        )
        if not movement.own_on_roads:
            carried += "; tracked vehicles do not drive on public roads (parameter mobility.network.tracked_self_propelled_on_roads)"
        return Problem(
            f"no feasible route {where} for {names} ({own}{carried}): blocked by {label} "
            f"at {len(blocking)} edge(s) with no alternative: {detail}",
            field="vehicles",
            item=names,
        )
    return Problem(f"no feasible route {where}", field="vehicles", item=names)


def _describe_block(edge, movement: Movement, rules: PlanningRules) -> str:
    """The edge and the figure that stops the vehicle (or the vehicle on its transporter)."""
    reasons = []
    for what, load, kind, height, width, mass, axle in (
        (
            "on its own " + ("tracks" if movement.kind == "tracked" else "wheels"),
            movement.mlc,
            movement.kind,
            movement.height_m,
            movement.width_m,
            movement.mass_t,
            movement.axle_load_t,
        ),
        (
            f"on {movement.transporter}",
            movement.transport_mlc,
            "wheeled",
            movement.transport_height_m,
            movement.transport_width_m,
            movement.transport_gross_t,
            None,
        ),
    ):
        if what.startswith("on its own") and not movement.own_on_roads and edge.mode in ("road", "tunnel"):
            continue
        if load is None and what.startswith("on ") and movement.transporter is None:
            continue
        bridge = edge.mlc_tracked if kind == "tracked" else edge.mlc_wheeled
        assumed = bridge is None
        bridge = float(rules.unknown_road_mlc[kind]) if assumed else bridge
        if load is None or load > bridge:
            reasons.append(
                f"{what}: MLC {load if load is not None else 'beyond 150'} over a {kind} class of "
                f"{bridge:g}{' (assumed: not published)' if assumed else ''}"
            )
        if height is not None and edge.max_height_m is not None and height > edge.max_height_m:
            reasons.append(f"{what}: {height:g} m high under a {edge.max_height_m:g} m clearance")
        if width is not None and edge.max_width_m is not None and width > edge.max_width_m:
            reasons.append(f"{what}: {width:g} m wide on a road limited to {edge.max_width_m:g} m")
        if mass is not None and edge.max_weight_t is not None and mass > edge.max_weight_t:
            reasons.append(f"{what}: {mass:g} t on a {edge.max_weight_t:g} t weight limit")
        if axle is not None and edge.max_axle_load_t is not None and axle > edge.max_axle_load_t:
            reasons.append(f"{what}: {axle:g} t per axle on a {edge.max_axle_load_t:g} t axle-load limit")
    return f"{edge.name} ({edge.a}–{edge.b}, {edge.id}): {'; '.join(reasons) or 'closed to this vehicle'}"


# --- states and permissions ------------------------------------------------------------------


def _merge_states(packets: list[dict]) -> list[dict]:
    """Each state once, from the first packet's entry to the last packet's exit (naive UTC)."""
    merged: dict[str, dict] = {}
    for packet in packets:
        for state, entry, exit_ in packet["_states"]:
            m = merged.setdefault(state, {"state": state, "entry": entry, "exit": exit_})
            m["entry"] = min(m["entry"], entry)
            m["exit"] = max(m["exit"], exit_)
    return sorted(merged.values(), key=lambda s: s["entry"])


def _permissions(
    params, states, requesting, request: PlanRequest, shift: dt.timedelta = dt.timedelta(0), *, rules: PlanningRules
) -> dict:
    """Lead time and deadline per state crossed, counted on that state's calendar and clock."""
    out = {}
    for s in states:
        if s["state"] == requesting:
            continue
        entry = localtime.local(s["entry"] + shift, s["state"])
        lead = lead_time(
            params,
            s["state"],
            entry.date(),
            regime=request.regime,
            emergency=request.emergency,
            pre_authorised=s["state"] in request.pre_authorised,
        )
        closed = rules.closure_categories.get(s["state"], ())
        out[s["state"]] = (lead, submission_deadline(s["state"], entry, lead, closed))
    return out


def _state_out(state: dict, permission) -> dict:
    out = {
        "state": state["state"],
        "entry": localtime.iso_local(state["entry"], state["state"]),
        "exit": localtime.iso_local(state["exit"], state["state"]),
        "time_zone": localtime.zone_name(state["state"]) or "UTC",
    }
    if permission is None:
        out["permission"] = None
        out["role"] = "requesting state"
        return out
    lead, deadline = permission
    out["role"] = "transit or host state"
    out["permission"] = {"lead_time": lead.as_dict(), **deadline.as_dict()}
    return out


def _too_late(deadline, state: str, filed_on: dt.date) -> bool:
    """Filed on ``filed_on`` (any time that day, local): is the deadline already past?"""
    if deadline.date_only:
        return deadline.latest_date() < filed_on
    filed = dt.datetime.combine(filed_on, dt.time(0, 0), tzinfo=localtime.zone(state))
    return deadline.latest_submission < filed


def _filing(params, states, requesting, request: PlanRequest, depart: dt.datetime, rules: PlanningRules) -> dict:
    """With requests filed on ``filed_on``: is the departure feasible, and the earliest one that is."""

    def feasible(shift: dt.timedelta) -> tuple[bool, list[str]]:
        late = [
            state
            for state, (_, d) in _permissions(params, states, requesting, request, shift, rules=rules).items()
            if _too_late(d, state, request.filed_on)
        ]
        return not late, late

    ok, late = feasible(dt.timedelta(0))
    earliest = _earliest_feasible(
        lambda day: feasible(dt.datetime.combine(day, depart.time()) - depart)[0], request.filed_on
    )
    earliest = dt.datetime.combine(earliest, depart.time()) if earliest else None
    origin_country = states[0]["state"] if states else requesting
    return {
        "filed_on": request.filed_on.isoformat(),
        "requested_departure_feasible": ok,
        "states_too_late": late,
        "earliest_departure": localtime.iso_local(earliest, origin_country) if earliest else None,
    }


def _earliest_feasible(feasible_on, first: dt.date) -> dt.date | None:
    """First day from ``first`` on which departing is feasible.

    Deadlines only move later when the departure moves later, so feasibility is
    monotone in the day: a galloping then binary search finds the first feasible
    day in O(log n) checks instead of one check per day.
    """
    if feasible_on(first):
        return first
    low, step = 0, 1  # day offset ``low`` is known infeasible
    while step <= EARLIEST_DEPARTURE_SEARCH_DAYS and not feasible_on(first + dt.timedelta(days=step)):
        low, step = step, step * 2
    high = min(step, EARLIEST_DEPARTURE_SEARCH_DAYS)
    if not feasible_on(first + dt.timedelta(days=high)):
        return None
    while high - low > 1:
        mid = (low + high) // 2
        if feasible_on(first + dt.timedelta(days=mid)):
            high = mid
        else:
            low = mid
    return first + dt.timedelta(days=high)


def _assumptions(packets, rules: PlanningRules, params: ParameterSet, on: dt.date) -> dict:
    legs = [one_leg for p in packets for one_leg in p["legs"] if one_leg["kind"] == "leg"]
    inferred = sorted(n for n in params.names("mobility.") if params[n].is_inferred)
    return {
        "legs_with_assumed_mlc": sum("mlc" in one_leg["assumed"] for one_leg in legs),
        "legs_with_unknown_height": sum("height" in one_leg["assumed"] for one_leg in legs),
        "legs_with_computed_length": sum("length" in one_leg["assumed"] for one_leg in legs),
        "unknown_road_mlc": dict(rules.unknown_road_mlc),
        "unknown_max_height_m": rules.unknown_max_height_m,
        "tracked_self_propelled_on_roads": rules.tracked_self_propelled_on_roads,
        "inferred_parameters": inferred,
    }
