"""The greedy baseline: columns in order of priority, each placed as early as the resources allow.

Units are taken by priority (1 first), then due date, then ready time; each
column of a unit tries each of its route options (the planner's best mix,
road only, rail only) against what earlier columns have reserved, and keeps
the one that arrives first. Within an option each block is put at the first
time its resources allow: road space on every edge it drives, border and
convoy-support throughput, a place on a sailing (an existing one with lane
metres left, or a new one on a free ship within the ports' calls a day), a
place on a train likewise, and its nation's transporters. The solver
(``solver.py``) starts from this schedule and may only improve it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..network import Network
from .capacity import Capacity, Ship, TrainSet
from .itinerary import Block, Column, Template
from .resources import DayLoad, Fleet, Space

MAX_TRIES = 2_000  # bound on moves of one block (a loop guard, not a rule)


@dataclass
class Lift:
    """One sailing or one train: the blocks of every column aboard share its times."""

    id: str
    kind: str  # "sea" or "rail"
    key: tuple
    asset: Ship | TrainSet
    a: str
    b: str
    load_start: int
    duration: int
    depart: int  # offset from load_start: leaves ``a``
    arrive: int  # offset from load_start: reaches ``b``
    busy: int  # minutes the asset is held from load_start (including its return)
    capacity: float
    used: float = 0.0
    columns: list[str] = field(default_factory=list)
    boarding_slack: int = 0  # a column may arrive up to this long after loading began


@dataclass
class Placement:
    option: int
    starts: list[int]
    lifts: dict[int, str]
    arrival: int
    hold: tuple[int, int] | None = None  # transporters held [start, end)


@dataclass
class State:
    network: Network
    capacity: Capacity
    epoch_ready: dict[str, int]  # column id -> its unit's ready time (minutes)
    roads: dict[tuple, Space] = field(default_factory=dict)
    days: dict[tuple, DayLoad] = field(default_factory=dict)
    assets: dict[str, Space] = field(default_factory=dict)
    fleets: dict[str, Fleet] = field(default_factory=dict)
    lifts: dict[str, Lift] = field(default_factory=dict)
    by_key: dict[tuple, list[str]] = field(default_factory=dict)

    def day(self, node: str, kind: str) -> DayLoad | None:
        key = (node, kind)
        if key not in self.days:
            cap = self.capacity.node_limit(self.network, node, kind)
            if cap is None:
                return None
            self.days[key] = DayLoad(cap)
        return self.days[key]

    def fleet(self, nation: str) -> Fleet | None:
        if nation not in self.capacity.transporters:
            return None
        return self.fleets.setdefault(nation, Fleet(self.capacity.transporters[nation]))


def lane_metres(column: Column, transporter, capacity: Capacity) -> float:
    """Lane metres a column takes on a ro-ro deck: each vehicle's length and the lashing gap, and its
    transporter's length when it travels on transporters (they sail with it). Unknown lengths take the
    figures of ``capacity.yaml`` (inferred, said so there)."""
    per = (column.vehicle.length_m or capacity.unknown_vehicle_length_m) + capacity.lane_gap_m
    if transporter is not None:
        per += transporter.length_m or capacity.unknown_transporter_length_m
    # Whole decimetres, rounded up: the solver counts lane metres in decimetres, exactly as here.
    return math.ceil(round(per * column.count * 10, 6)) / 10


def road_events(block: Block, column: Column, state: State):
    """(kind, key, offset, size or demand) of a road block's reservations."""
    out = []
    for item in block.legs("road"):
        out.append(("space", (item.edge, item.a, item.b), item.start, item.pass_min))
        if state.network.node(item.a).kind == "border":
            out.append(("day", (item.a, "vehicles_per_day"), item.start, column.count))
        if item.b in state.capacity.convoy_support_centres:
            out.append(("day", (item.b, "columns_per_day"), item.end, 1))
    return out


def allowed_start(block: Block, t: int, window: int) -> int:
    """A road block starts at its convoy day's start (the planner's time of day), or up to ``window``
    minutes after it; otherwise at the next day's start."""
    if block.anchor is None:
        return t
    base = t - ((t - block.anchor) % 1440)
    return t if t <= base + window else base + 1440


def place_road(block: Block, column: Column, state: State, earliest: int) -> int | None:
    events = road_events(block, column, state)
    window = state.capacity.start_window_min
    start = allowed_start(block, earliest, window)
    for _ in range(MAX_TRIES):
        moved = False
        for kind, key, offset, size in events:
            t = start + offset
            if kind == "space":
                space = state.roads.get(key)
                clash = space.clash(t, t + size) if space else None
                if clash is not None:
                    start += clash - t
                    moved = True
                    break
            else:
                load = state.day(*key)
                if load is None:
                    continue
                fit = load.earliest(t, size)
                if fit is None:
                    return None
                if fit > t:
                    start += fit - t
                    moved = True
                    break
        if not moved:
            return start
        start = allowed_start(block, start, window)
    return None


def commit_road(block: Block, column: Column, state: State, start: int) -> None:
    for kind, key, offset, size in road_events(block, column, state):
        if kind == "space":
            state.roads.setdefault(key, Space()).add(start + offset, start + offset + size)
        else:
            load = state.day(*key)
            if load is not None:
                load.add(start + offset, size)


def lift_key(block: Block) -> tuple:
    return (block.kind,) + tuple(i.edge for i in block.legs())


def sea_shape(block: Block, ship: Ship) -> tuple[int, int, int, int]:
    """(duration, depart offset, arrive offset, busy) of a sea block on ``ship``."""
    calls = [i for i in block.items if i.kind == "transfer"]
    first = calls[0].end - calls[0].start if calls else 0
    last = calls[-1].end - calls[-1].start if len(calls) > 1 else 0
    km = sum(i.distance_km for i in block.legs())
    sail = max(1, round(km / ship.speed_kmh * 60))
    return first + sail + last, first, first + sail, first + sail + last + sail


def rail_shape(block: Block) -> tuple[int, int, int, int]:
    legs = block.legs()
    depart, arrive = legs[0].start, legs[-1].end
    return block.duration, depart, arrive, block.duration + (arrive - depart)


def _windows_ok(asset, start: int, end: int, epoch_date) -> int | None:
    """The first start >= ``start`` at which [start, end) lies inside an availability window."""
    import datetime as dt

    for a, b in asset.available:
        lo = (dt.datetime.combine(a, dt.time()) - epoch_date).total_seconds() // 60
        hi = (dt.datetime.combine(b + dt.timedelta(days=1), dt.time()) - epoch_date).total_seconds() // 60
        s = max(start, int(lo))
        if s + (end - start) <= hi:
            return s
    return None


def new_lift(block: Block, column: Column, state: State, ready: int, epoch, number: int, commit: bool) -> Lift | None:
    """The earliest new sailing or train for this block, on any free asset within node capacity."""
    a, b = block.legs()[0].a, block.legs()[-1].b
    best: Lift | None = None
    kind = block.kind
    day_kind = "roro_calls_per_day" if kind == "sea" else "trains_per_day"
    if kind == "sea":
        assets = [s for s in state.capacity.ships if s.ports is None or {a, b} <= s.ports]
        capacity_of = lambda asset: asset.lane_metres  # noqa: E731
        need = column.lane_metres
    else:
        gauge = _gauge_of(block, state)
        assets = [
            t for t in state.capacity.trains if t.gauge_mm == gauge and (column.vehicle.mass_t or 0) <= t.payload_t
        ]
        capacity_of = lambda asset: asset.wagons  # noqa: E731
        need = column.count
    for asset in assets:
        if need > capacity_of(asset):
            continue
        duration, depart, arrive, busy = sea_shape(block, asset) if kind == "sea" else rail_shape(block)
        start = ready
        for _ in range(MAX_TRIES):
            if best is not None and start >= best.load_start:
                break
            fit = _windows_ok(asset, start, start + busy, epoch)
            if fit is None:
                start = None
                break
            if fit > start:
                start = fit
                continue
            space = state.assets.get(asset.id)
            clash = space.clash(start, start + busy) if space else None
            if clash is not None:
                start = clash
                continue
            moved = False
            for node, offset in ((a, depart), (b, arrive)):
                load = state.day(node, day_kind)
                if load is None:
                    continue
                t = load.earliest(start + offset, 1)
                if t is None:
                    start = None
                    break
                if t > start + offset:
                    start = t - offset
                    moved = True
                    break
            if start is None or not moved:
                break
        else:
            start = None
        if start is None or (best is not None and start >= best.load_start):
            continue
        slack = (depart // 2) if kind == "sea" else (depart // 2)
        best = Lift(
            f"{'sailing' if kind == 'sea' else 'train'} {number}",
            kind,
            lift_key(block),
            asset,
            a,
            b,
            start,
            duration,
            depart,
            arrive,
            busy,
            capacity_of(asset),
            boarding_slack=slack,
        )
    if best is not None and commit:
        state.assets.setdefault(best.asset.id, Space()).add(best.load_start, best.load_start + best.busy)
        for node, offset in ((a, best.depart), (b, best.arrive)):
            load = state.day(node, day_kind)
            if load is not None:
                load.add(best.load_start + offset, 1)
        state.lifts[best.id] = best
        state.by_key.setdefault(best.key, []).append(best.id)
    return best


def _gauge_of(block: Block, state: State) -> int:
    edge = state.network.edges[_edge_index(state.network)[block.legs()[0].edge]]
    return int(edge.gauge_mm or 0)


_EDGE_INDEX: dict[int, dict[str, int]] = {}


def _edge_index(network: Network) -> dict[str, int]:
    key = id(network)
    if key not in _EDGE_INDEX:
        _EDGE_INDEX[key] = {e.id: i for i, e in enumerate(network.edges)}
    return _EDGE_INDEX[key]


def place_lift(block: Block, column: Column, state: State, ready: int, epoch, commit: bool) -> Lift | None:
    need = column.lane_metres if block.kind == "sea" else column.count
    best: Lift | None = None
    for lift_id in state.by_key.get(lift_key(block), []):
        lift = state.lifts[lift_id]
        if lift.load_start + lift.boarding_slack >= ready and lift.used + need <= lift.capacity:
            if lift.kind == "rail" and (column.vehicle.mass_t or 0) > lift.asset.payload_t:
                continue
            if best is None or lift.load_start < best.load_start:
                best = lift
    fresh = new_lift(block, column, state, ready, epoch, len(state.lifts) + 1, commit=False)
    if fresh is not None and (best is None or fresh.load_start + fresh.duration < best.load_start + best.duration):
        best = new_lift(block, column, state, ready, epoch, len(state.lifts) + 1, commit=True) if commit else fresh
    if best is not None and commit:
        best.used += need
        best.columns.append(column.id)
    return best


def transporter_hold(template: Template, starts: list[int]) -> tuple[int, int] | None:
    """[first loading onto transporters, end of the last transporter leg + the drive back)."""
    first = last = None
    driven = 0
    for block, start in zip(template.blocks, starts, strict=False):
        for item in block.items:
            if item.kind == "transfer" and item.what.startswith("load onto transporters"):
                first = start + item.start if first is None else first
            if item.kind == "leg" and "transporter" in item.carriage:
                first = start + item.start if first is None else first
                last = start + item.end
                driven += item.end - item.start
    if first is None or last is None:
        return None
    return first, last + driven


def simulate(column: Column, option: int, state: State, ready: int, epoch, commit: bool) -> Placement | None:
    template = column.options[option]
    delay = 0
    for _ in range(50):
        starts: list[int] = []
        lifts: dict[int, str] = {}
        previous_end = ready + delay
        trial = state if commit else state
        ok = True
        for index, block in enumerate(template.blocks):
            earliest = (ready + delay + block.offset) if index == 0 else previous_end + block.gap
            if block.kind == "road":
                start = place_road(block, column, trial, earliest)
                if start is None:
                    ok = False
                    break
                if commit:
                    commit_road(block, column, trial, start)
                starts.append(start)
                previous_end = start + block.duration
            else:
                lift = place_lift(block, column, trial, earliest, epoch, commit)
                if lift is None:
                    ok = False
                    break
                starts.append(lift.load_start)
                lifts[index] = lift.id
                previous_end = lift.load_start + lift.duration
        if not ok:
            return None
        hold = transporter_hold(template, starts)
        fleet = state.fleet(column.unit.state) if hold and template.transporter else None
        if fleet is not None and not commit:
            extra = fleet.earliest(hold[0], hold[1], column.count)
            if extra is None:
                return None
            if extra > 0:
                delay += extra
                continue
        if fleet is not None and commit:
            fleet.add(hold[0], hold[1], column.count)
        return Placement(option, starts, lifts, previous_end + template.tail, hold)
    return None


def greedy(columns: list[Column], state: State, epoch, progress=None) -> dict[str, Placement]:
    """Each column placed in turn (columns are already in priority order)."""
    placements: dict[str, Placement] = {}
    for number, column in enumerate(columns, start=1):
        ready = state.epoch_ready[column.id]
        best: Placement | None = None
        best_delay = 0
        for option in range(len(column.options)):
            trial = simulate(column, option, state, ready, epoch, commit=False)
            if trial is not None and (best is None or trial.arrival < best.arrival):
                best = trial
                best_delay = trial.starts[0] - ready - column.options[option].blocks[0].offset if trial.starts else 0
        if best is None:
            continue
        # Commit from the delay the trial found (transporters free by then), so the same placement results.
        placed = simulate(column, best.option, state, ready + max(0, best_delay), epoch, commit=True)
        if placed is not None:
            placements[column.id] = placed
        if progress is not None:
            progress(number, len(columns))
    return placements
