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

from . import timing
from .carriage import TRANSPORTER, Movement, Relaxation, edge_carriage, movement_for
from .network import Network, shipped_network
from .permissions import REGIMES, lead_time, submission_deadline
from .routing import ROUTE_MODES, Step, build_graph, shortest_route
from .rules import PlanningRules, mobility_parameters, planning_rules
from .vehicles import Catalogue, Vehicle, load_catalogue, parse_vehicle_list

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


_CATALOGUE: list[Catalogue] = []


def shipped_catalogue() -> Catalogue:
    if not _CATALOGUE:
        _CATALOGUE.append(load_catalogue())
    return _CATALOGUE[0]


def default_network(params: ParameterSet, on: dt.date) -> Network:
    return shipped_network(dict(params.value("mobility.network.detour_factor", on)))


def plan(request: PlanRequest, *, network: Network | None = None, catalogue: Catalogue | None = None,
         params: ParameterSet | None = None) -> dict[str, Any]:
    params = params or mobility_parameters()
    catalogue = catalogue or shipped_catalogue()
    problems: list[Problem] = []
    depart_day = request.depart.date() if isinstance(request.depart, dt.datetime) else request.depart
    try:
        rules = planning_rules(params, depart_day)
    except ParameterNotInForce as exc:
        raise InputError(Problem(str(exc), field="depart")) from None
    network = network or default_network(params, depart_day)
    depart = (request.depart if isinstance(request.depart, dt.datetime)
              else dt.datetime.combine(request.depart, rules.default_start_time))
    problems += validate_parts(network, catalogue, request.origin, request.destination, None,
                               request.mode, request.regime)
    countries = set(network.countries())
    for state in sorted(request.pre_authorised):
        if state not in countries:
            problems.append(Problem("not a state of the network", field="pre_authorised", item=state))
    if request.requesting_state and request.requesting_state not in countries:
        problems.append(Problem("not a state of the network", field="requesting_state", item=request.requesting_state))
    vehicles: list[tuple[Vehicle, int]] = []
    try:
        vehicles = (parse_vehicle_list(request.vehicles, catalogue) if isinstance(request.vehicles, str)
                    else list(request.vehicles))
    except InputError as exc:
        problems += exc.problems
    if problems:
        raise InputError(problems)

    driving_limits = not _emers_waives_driving_time(params, request, depart_day)
    packets = _plan_packets(network, catalogue, rules, request, vehicles, depart, driving_limits)
    requesting = request.requesting_state or network.node(request.origin).country
    states = _merge_states(packets)
    permissions = _permissions(params, states, requesting, request)
    result: dict[str, Any] = {
        "request": {
            "from": request.origin, "to": request.destination, "depart": depart.isoformat(timespec="minutes"),
            "vehicles": [{"name": v.name, "count": c} for v, c in vehicles], "mode": request.mode,
            "regime": request.regime, "emergency": request.emergency,
            "filed_on": request.filed_on.isoformat() if request.filed_on else None,
            "requesting_state": requesting, "pre_authorised": sorted(request.pre_authorised),
        },
        "network_version": network.version,
        "scenario": params.scenario,
        "times_are": "UTC; time zones of the states are not modelled",
        "departure": depart.isoformat(timespec="minutes"),
        "arrival": max(p["arrival"] for p in packets),
        "driving_limits_applied": driving_limits,
        "packets": packets,
        "states": [_state_out(s, permissions.get(s["state"])) for s in states],
        "assumptions": _assumptions(packets, rules, params, depart_day),
    }
    if request.filed_on is not None:
        result["filing"] = _filing(params, states, requesting, request, depart)
    return result


# --- inputs ---------------------------------------------------------------------------------

def validate_parts(network: Network, catalogue: Catalogue, origin: str, destination: str,
                   vehicles: str | None, mode: str, regime: str) -> list[Problem]:
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
    names = {n.id: n.id for n in network.nodes} | {n.name.lower(): n.id for n in network.nodes}
    close = difflib.get_close_matches(str(node_id).lower(), list(names), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(sorted({names[c] for c in close}))}?" if close else "; see `accord network export --json`"
    return f"unknown node {node_id!r}{hint}"


def _emers_waives_driving_time(params: ParameterSet, request: PlanRequest, on: dt.date) -> bool:
    """Proposed regulation: EMERS, activated in an emergency, waives driving and rest-time rules."""
    if request.regime != "proposed-2025" or not request.emergency:
        return False
    try:
        return bool(params.value("mobility.permissions.proposed_2025.emers_waives_driving_time", on))
    except ParameterNotInForce as exc:
        raise InputError(Problem(f"regime 'proposed-2025' is not defined on {on.isoformat()}: {exc}", field="regime")) from None


# --- routing and timing per packet ------------------------------------------------------------

def _plan_packets(network, catalogue, rules, request, vehicles, depart, driving_limits) -> list[dict]:
    groups: dict[Movement, list[tuple[Vehicle, int]]] = {}
    for vehicle, count in vehicles:
        groups.setdefault(movement_for(vehicle, catalogue, rules), []).append((vehicle, count))
    packets = []
    problems = []
    for number, (movement, members) in enumerate(groups.items(), start=1):
        graph = build_graph(network, movement, rules, request.mode, driving_limits,
                            ends=(request.origin, request.destination))
        steps = shortest_route(network, graph, request.origin, request.destination)
        if steps is None:
            problems.append(_explain_no_route(network, rules, request, movement, members, driving_limits))
            continue
        count = sum(c for _, c in members)
        packets.append(_schedule(network, rules, steps, members, count, movement, depart, driving_limits, number))
    if problems:
        raise InputError(problems)
    return packets


def _schedule(network: Network, rules: PlanningRules, steps: list[Step], members, count: int,
              movement: Movement, depart: dt.datetime, driving_limits: bool, number: int) -> dict:
    clock = timing.DrivingClock(rules, limits=driving_limits)
    t = depart
    tail = 0.0  # hours between the lead and the last vehicle at the current point
    legs: list[dict] = []
    visits: list[tuple[str, dt.datetime, dt.datetime, str]] = []  # (country, entry, exit, how)
    previous_carriage = None
    distance = 0.0
    for step in steps:
        if step.kind == "transfer":
            start = t + dt.timedelta(hours=tail)
            end = start + dt.timedelta(hours=step.hours)
            clock.rest(step.hours + tail)
            legs.append({"kind": "transfer", "at": step.node_from, "at_name": network.node(step.node_from).name,
                         "country": network.node(step.node_from).country, "what": step.transfer,
                         "start": _iso(start), "end": _iso(end), "hours": round(step.hours, 2)})
            t, tail = end, 0.0
            previous_carriage = None
            continue
        edge = network.edges[step.edge]
        a, b = network.node(step.node_from), network.node(step.node_to)
        carriage = step.carriage
        if carriage == TRANSPORTER and previous_carriage != TRANSPORTER:
            start = t + dt.timedelta(hours=tail)
            end = start + dt.timedelta(hours=rules.transporter_loading_h)
            legs.append({"kind": "transfer", "at": a.id, "at_name": a.name, "country": a.country,
                         "what": f"load onto transporters ({movement.transporter})",
                         "start": _iso(start), "end": _iso(end), "hours": rules.transporter_loading_h})
            clock.rest(rules.transporter_loading_h + tail)
            t, tail = end, 0.0
        start = t
        if edge.mode == "road":
            end = clock.drive(start, timing.road_leg_hours(edge.length_km, edge.road_class, rules))
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
        legs.append({
            "kind": "leg", "mode": edge.mode, "edge": edge.id, "name": edge.name,
            "from": a.id, "from_name": a.name, "from_country": a.country,
            "to": b.id, "to_name": b.name, "to_country": b.country,
            "distance_km": round(edge.length_km, 1), "length_computed": edge.length_computed,
            "road_class": edge.road_class, "gauge_mm": edge.gauge_mm, "carriage": carriage,
            "transporter": movement.transporter if carriage and TRANSPORTER in carriage else None,
            "start": _iso(start), "end": _iso(end), "last_vehicle_arrival": _iso(last),
            "assumed": _assumed_attributes(edge, movement, carriage),
            "source": {"title": edge.source_title, "href": edge.source_url},
        })
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
        "vehicles": [{"name": v.name, "count": c, "kind": v.kind, "mass_t": v.mass_t,
                      "mlc": v.load_class(rules.mlc_table)[0], "mlc_basis": v.load_class(rules.mlc_table)[1]}
                     for v, c in members],
        "vehicle_count": count,
        "march_units": timing.march_units(count, rules),
        "trains": timing.trains_needed(count, rules) if any(l.get("mode") == "rail" for l in legs) else 0,
        "transporter": movement.transporter if any((l.get("carriage") or "").endswith(TRANSPORTER) for l in legs) else None,
        "distance_km": round(distance, 1),
        "departure": _iso(depart),
        "arrival": _iso(arrival),
        "halts": clock.halts,
        "night_rests": clock.night_rests,
        "legs": legs,
        "states": states,
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
    return [{"state": c, "entry": _iso(entry[c]), "exit": _iso(exit_.get(c, arrival))} for c in order]


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
    everything = Relaxation(load_class=True, height=True, weight=True)
    relaxed_graph = build_graph(network, movement, rules, request.mode, driving_limits, everything,
                                ends=(request.origin, request.destination))
    if shortest_route(network, relaxed_graph, request.origin, request.destination) is None:
        if request.mode != "any":
            any_graph = build_graph(network, movement, rules, "any", driving_limits, everything)
            if shortest_route(network, any_graph, request.origin, request.destination) is not None:
                return Problem(f"no route {where} using mode {request.mode!r} "
                               f"(road-only excludes rail; rail-only allows road legs up to "
                               f"{rules.rail_mode_road_access_km:g} km); try --mode any",
                               field="mode", item=names)
        return Problem(f"no route {where}: the network does not connect them", field="to", item=names)
    for label, relax in (("load class (MLC)", Relaxation(load_class=True)), ("height limit", Relaxation(height=True)),
                         ("weight limit", Relaxation(weight=True)), ("load class, height and weight limits", everything)):
        graph = build_graph(network, movement, rules, request.mode, driving_limits, relax,
                            ends=(request.origin, request.destination))
        steps = shortest_route(network, graph, request.origin, request.destination)
        if steps is None:
            continue
        strict = edge_carriage(network, movement, rules)
        blocking = [network.edges[s.edge] for s in steps if s.kind == "leg" and strict[s.edge] == ""]
        detail = "; ".join(_describe_block(e, movement, rules) for e in blocking[:3])
        own = f"MLC {movement.mlc} {movement.kind}" if movement.mlc is not None else "beyond MLC 120"
        carried = (f", on {movement.transporter} MLC {movement.transport_mlc} wheeled" if movement.transporter
                   else ", no transporter in the catalogue can carry it")
        if not movement.own_on_roads:
            carried += "; tracked vehicles do not drive on public roads (parameter mobility.network.tracked_self_propelled_on_roads)"
        return Problem(f"no feasible route {where} for {names} ({own}{carried}): blocked by {label} "
                       f"at {len(blocking)} edge(s) with no alternative: {detail}", field="vehicles", item=names)
    return Problem(f"no feasible route {where}", field="vehicles", item=names)


def _describe_block(edge, movement: Movement, rules: PlanningRules) -> str:
    bridge_t = edge.mlc_tracked if edge.mlc_tracked is not None else f"{rules.unknown_road_mlc['tracked']:g} (assumed)"
    bridge_w = edge.mlc_wheeled if edge.mlc_wheeled is not None else f"{rules.unknown_road_mlc['wheeled']:g} (assumed)"
    limits = [f"MLC tracked {bridge_t}", f"MLC wheeled {bridge_w}"]
    if edge.max_height_m is not None:
        limits.append(f"max height {edge.max_height_m:g} m")
    if edge.max_weight_t is not None:
        limits.append(f"max weight {edge.max_weight_t:g} t")
    return f"{edge.id} {edge.mode} {edge.a}–{edge.b} ({edge.name}: {', '.join(limits)})"


# --- states and permissions ------------------------------------------------------------------

def _merge_states(packets: list[dict]) -> list[dict]:
    merged: dict[str, dict] = {}
    for packet in packets:
        for s in packet["states"]:
            m = merged.setdefault(s["state"], {"state": s["state"], "entry": s["entry"], "exit": s["exit"]})
            m["entry"] = min(m["entry"], s["entry"])
            m["exit"] = max(m["exit"], s["exit"])
    return sorted(merged.values(), key=lambda s: s["entry"])


def _permissions(params, states, requesting, request: PlanRequest, shift: dt.timedelta = dt.timedelta(0)) -> dict:
    out = {}
    for s in states:
        if s["state"] == requesting:
            continue
        entry = dt.datetime.fromisoformat(s["entry"]) + shift
        lead = lead_time(params, s["state"], entry.date(), regime=request.regime, emergency=request.emergency,
                         pre_authorised=s["state"] in request.pre_authorised)
        out[s["state"]] = (lead, submission_deadline(s["state"], entry, lead))
    return out


def _state_out(state: dict, permission) -> dict:
    out = dict(state)
    if permission is None:
        out["permission"] = None
        out["role"] = "requesting state"
        return out
    lead, deadline = permission
    out["role"] = "transit or host state"
    out["permission"] = {"lead_time": lead.as_dict(), **deadline.as_dict()}
    return out


def _filing(params, states, requesting, request: PlanRequest, depart: dt.datetime) -> dict:
    """With requests filed on ``filed_on``: is the departure feasible, and the earliest one that is."""
    filed = dt.datetime.combine(request.filed_on, dt.time(0, 0))

    def feasible(shift: dt.timedelta) -> tuple[bool, list[str]]:
        late = [state for state, (_, d) in _permissions(params, states, requesting, request, shift).items()
                if d.latest_submission < filed]
        return not late, late

    ok, late = feasible(dt.timedelta(0))
    earliest = _earliest_feasible(lambda day: feasible(dt.datetime.combine(day, depart.time()) - depart)[0],
                                  request.filed_on)
    earliest = dt.datetime.combine(earliest, depart.time()) if earliest else None
    return {
        "filed_on": request.filed_on.isoformat(),
        "requested_departure_feasible": ok,
        "states_too_late": late,
        "earliest_departure": _iso(earliest) if earliest else None,
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
    legs = [l for p in packets for l in p["legs"] if l["kind"] == "leg"]
    inferred = sorted(n for n in params.names("mobility.") if params[n].is_inferred)
    return {
        "legs_with_assumed_mlc": sum("mlc" in l["assumed"] for l in legs),
        "legs_with_unknown_height": sum("height" in l["assumed"] for l in legs),
        "legs_with_computed_length": sum("length" in l["assumed"] for l in legs),
        "unknown_road_mlc": dict(rules.unknown_road_mlc),
        "unknown_max_height_m": rules.unknown_max_height_m,
        "tracked_self_propelled_on_roads": rules.tracked_self_propelled_on_roads,
        "inferred_parameters": inferred,
    }


def _iso(value: dt.datetime) -> str:
    """To the nearest minute."""
    return (value + dt.timedelta(seconds=30)).isoformat(timespec="minutes")
