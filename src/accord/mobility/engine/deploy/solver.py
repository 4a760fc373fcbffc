"""CP-SAT over the greedy schedule: re-time every column and re-seat it on the sailings and trains.

The model (OR-Tools CP-SAT, minutes):

- each road block starts at its convoy day's start plus 0 to ``start_window``
  minutes, on any day (``start = anchor + 1440 k + s``): the planner's rests
  and night window stay valid;
- each sailing or train block takes one of the lifts the greedy schedule
  opened on that crossing (a boolean per column and lift); lane metres or
  wagons of each lift are not exceeded; ships, trains, their port calls and
  train loads a day are those of the greedy schedule, so the solver never
  adds a call or a train (it may leave one empty);
- road space: the reservations of the columns on one edge in one direction
  never overlap (``AddNoOverlap`` of fixed-size intervals);
- border crossings and convoy support centres: ``AddCumulative`` over
  25-hour windows (at most the figure a day on every local calendar day);
- transporters: ``AddCumulative`` per nation over the holding intervals;
- blocks follow one another (a column may board while the port call is under
  way, up to half of it, as in greedy).

Objective: first the weighted lateness (priority weights), then, with that
fixed, the total journey time. The greedy schedule is the hint, so the
solver's first solution is greedy's; its answer is kept only if no worse.
"""

from __future__ import annotations

import copy
from collections import defaultdict

from .greedy import Lift, Placement, State, lift_key, road_events, transporter_hold
from .resources import DAY_WINDOW


def improve(columns, placements: dict[str, Placement], state: State, due, ready, epoch, time_limit_s: float):
    from ortools.sat.python import cp_model

    placed = [c for c in columns if c.id in placements]
    if not placed or time_limit_s <= 0:
        return None, "not run"
    horizon = max(p.arrival for p in placements.values()) + 10 * 1440
    window = state.capacity.start_window_min
    model = cp_model.CpModel()
    lifts_by_key: dict[tuple, list[Lift]] = defaultdict(list)
    for lift in state.lifts.values():
        lifts_by_key[lift.key].append(lift)

    starts: dict[tuple[str, int], object] = {}
    ends: dict[tuple[str, int], object] = {}
    seat: dict[tuple[str, int, str], object] = {}
    arrival: dict[str, object] = {}
    hints: list[tuple[object, int]] = []
    road_intervals: dict[tuple, list] = defaultdict(list)
    day_intervals: dict[tuple, list] = defaultdict(list)
    lift_load: dict[str, list] = defaultdict(list)
    hold_intervals: dict[str, list] = defaultdict(list)

    for c in placed:
        p = placements[c.id]
        t = c.options[p.option]
        previous_end = None
        for i, block in enumerate(t.blocks):
            g_start = p.starts[i]
            if block.kind == "road":
                if block.anchor is not None:
                    k = model.NewIntVar(-1, horizon // 1440 + 1, f"k{c.id}{i}")
                    s = model.NewIntVar(0, window, f"s{c.id}{i}")
                    start = model.NewIntVar(0, horizon, f"S{c.id}{i}")
                    model.Add(start == block.anchor + 1440 * k + s)
                    offset = g_start - block.anchor
                    hints += [(k, offset // 1440), (s, offset % 1440), (start, g_start)]
                else:
                    start = model.NewIntVar(0, horizon, f"S{c.id}{i}")
                    hints.append((start, g_start))
                end = start + block.duration
                if previous_end is None:
                    model.Add(start >= ready[c.id] + block.offset)
                else:
                    model.Add(start >= previous_end + block.gap)
                for kind, key, off, size in road_events(block, c, state):
                    if kind == "space":
                        road_intervals[key].append(model.NewFixedSizeIntervalVar(start + off, size, f"r{c.id}{i}{off}"))
                    else:
                        day_intervals[key].append(
                            (model.NewFixedSizeIntervalVar(start + off, DAY_WINDOW, f"d{c.id}{i}{off}"), size)
                        )
            else:
                chosen = p.lifts[i]
                options = [
                    lift
                    for lift in lifts_by_key[lift_key(block)]
                    if not (lift.kind == "rail" and (c.vehicle.mass_t or 0) > lift.asset.payload_t)
                ]
                bools = []
                start = model.NewIntVar(0, horizon, f"S{c.id}{i}")
                end = model.NewIntVar(0, horizon, f"E{c.id}{i}")
                need = round(c.lane_metres * 10) if block.kind == "sea" else c.count
                for lift in options:
                    x = model.NewBoolVar(f"x{c.id}{i}{lift.id}")
                    model.Add(start == lift.load_start).OnlyEnforceIf(x)
                    model.Add(end == lift.load_start + lift.duration).OnlyEnforceIf(x)
                    if previous_end is not None:
                        model.Add(previous_end + block.gap <= lift.load_start + lift.boarding_slack).OnlyEnforceIf(x)
                    else:
                        model.Add(ready[c.id] + block.offset <= lift.load_start + lift.boarding_slack).OnlyEnforceIf(x)
                    seat[(c.id, i, lift.id)] = x
                    lift_load[lift.id].append((x, need))
                    bools.append(x)
                    hints.append((x, 1 if lift.id == chosen else 0))
                model.AddExactlyOne(bools)
                hints += [(start, g_start), (end, g_start + state.lifts[chosen].duration)]
            starts[(c.id, i)] = start
            ends[(c.id, i)] = end
            previous_end = end
        a = model.NewIntVar(0, horizon + t.tail, f"A{c.id}")
        model.Add(a == previous_end + t.tail)
        arrival[c.id] = a
        hints.append((a, p.arrival))
        if p.hold is not None and state.fleet(c.unit.state) is not None:
            first_i = last_i = None
            first_off = last_off = 0
            driven = 0
            for i, block in enumerate(t.blocks):
                for item in block.items:
                    is_load = item.kind == "transfer" and item.what.startswith("load onto transporters")
                    is_leg = item.kind == "leg" and "transporter" in item.carriage
                    if (is_load or is_leg) and first_i is None:
                        first_i, first_off = i, item.start
                    if is_leg:
                        last_i, last_off = i, item.end
                        driven += item.end - item.start
            if (
                first_i is not None
                and last_i is not None
                and all(t.blocks[j].kind == "road" for j in (first_i, last_i))
            ):
                h_start = starts[(c.id, first_i)] + first_off
                h_end = starts[(c.id, last_i)] + last_off + driven
                size = model.NewIntVar(0, horizon * 2, f"h{c.id}")
                hold = model.NewIntervalVar(h_start, size, h_end, f"H{c.id}")
                hold_intervals[c.unit.state].append((hold, c.count))

    for intervals in road_intervals.values():
        if len(intervals) > 1:
            model.AddNoOverlap(intervals)
    for key, items in day_intervals.items():
        load = state.day(*key)
        if load is not None and sum(d for _, d in items) > load.cap:
            model.AddCumulative([iv for iv, _ in items], [d for _, d in items], load.cap)
    for lift_id, items in lift_load.items():
        lift = state.lifts[lift_id]
        cap = round(lift.capacity * 10) if lift.kind == "sea" else int(lift.capacity)
        if sum(n for _, n in items) > cap:
            model.Add(sum(x * n for x, n in items) <= cap)
    for nation, items in hold_intervals.items():
        fleet = state.fleet(nation)
        if fleet is not None and sum(n for _, n in items) > fleet.cap:
            model.AddCumulative([iv for iv, _ in items], [n for _, n in items], fleet.cap)

    lateness = []
    by_unit: dict[str, list] = defaultdict(list)
    for c in placed:
        by_unit[c.unit.name].append(c)
    for name, cols in by_unit.items():
        late = model.NewIntVar(0, horizon, f"L{name}")
        for c in cols:
            model.Add(late >= arrival[c.id] - due[c.id])
        g_late = max(0, max(placements[c.id].arrival - due[c.id] for c in cols))
        hints.append((late, g_late))
        lateness.append((late, cols[0].unit.weight))
    for var, value in hints:
        model.AddHint(var, value)
    weighted = sum(w * late for late, w in lateness)
    journey = sum(arrival[c.id] - ready[c.id] for c in placed)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2  # the machines it runs on have two cores
    solver.parameters.max_time_in_seconds = max(1.0, time_limit_s * 0.6)
    model.Minimize(weighted)
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, f"no solution within the time limit ({solver.StatusName(status).lower()}): greedy kept"
    best_late = int(solver.ObjectiveValue())
    first_status = solver.StatusName(status).lower()
    # Phase 2: lateness fixed at its best, the least total journey time.
    model.ClearHints()
    for var in list(starts.values()) + list(arrival.values()) + list(seat.values()):
        model.AddHint(var, solver.Value(var))
    model.Add(weighted <= best_late)
    model.Minimize(journey)
    second = cp_model.CpSolver()
    second.parameters.num_workers = 2
    second.parameters.max_time_in_seconds = max(1.0, time_limit_s * 0.4)
    status2 = second.Solve(model)
    use = second if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE) else solver
    label = f"CP-SAT: lateness {first_status}, journey time {second.StatusName(status2).lower()}"

    lifts = {lid: copy.copy(lift) for lid, lift in state.lifts.items()}
    for lift in lifts.values():
        lift.used, lift.columns = 0.0, []
    result: dict[str, Placement] = {}
    for c in placed:
        p = placements[c.id]
        t = c.options[p.option]
        new_starts, new_lifts = [], {}
        for i, block in enumerate(t.blocks):
            new_starts.append(use.Value(starts[(c.id, i)]))
            if block.kind != "road":
                for lift in lifts_by_key[lift_key(block)]:
                    x = seat.get((c.id, i, lift.id))
                    if x is not None and use.Value(x):
                        new_lifts[i] = lift.id
                        lifts[lift.id].used += c.lane_metres if block.kind == "sea" else c.count
                        lifts[lift.id].columns.append(c.id)
        result[c.id] = Placement(
            p.option, new_starts, new_lifts, use.Value(arrival[c.id]), transporter_hold(t, new_starts)
        )
    return (result, lifts), label
