"""Why a unit is late: the constraint that held its last column back, in plain words.

The column's waits are measured block by block against the earliest each
block could have started (its unit's ready time, then the end of the block
before). The longest wait names its cause: a port's or railhead's calls a day
all taken, every ship or train busy, the nation's transporters all in use, a
border crossing's vehicles a day, or road space held by other columns. With no
wait worth an hour, the journey itself is too long for the due date.
"""

from __future__ import annotations

from collections import defaultdict

from .capacity import Capacity
from .greedy import Lift, Placement, allowed_start
from .itinerary import Column
from .output import Clock, node_events

MEANINGFUL_WAIT_MIN = 60


def _days(first, last) -> str:
    if first == last:
        return f"{first.day} {first:%B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {first:%B %Y}"
    return f"{first.day} {first:%B}–{last.day} {last:%B %Y}"


class Explainer:
    def __init__(
        self,
        columns,
        placements: dict[str, Placement],
        lifts: dict[str, Lift],
        network,
        capacity: Capacity,
        clock: Clock,
        ready,
    ):
        self.columns, self.placements, self.lifts = columns, placements, lifts
        self.network, self.capacity, self.clock, self.ready = network, capacity, clock, ready
        self.day_used: dict[tuple, int] = defaultdict(int)
        for node, kind, minute, demand in node_events(network, capacity, columns, placements, lifts):
            self.day_used[(node, kind, clock.day(minute, network.node(node).country))] += demand
        self.road: dict[tuple, list[tuple[int, int, str]]] = defaultdict(list)
        self.holds: dict[str, list[tuple[int, int, int, str]]] = defaultdict(list)
        for c in columns:
            p = placements.get(c.id)
            if p is None:
                continue
            t = c.options[p.option]
            for block, start in zip(t.blocks, p.starts, strict=False):
                if block.kind == "road":
                    for item in block.legs("road"):
                        self.road[(item.edge, item.a, item.b)].append(
                            (start + item.start, start + item.start + item.pass_min, c.id)
                        )
            if p.hold:
                self.holds[c.unit.state].append((p.hold[0], p.hold[1], c.count, c.id))

    def _full_days(self, node: str, kind: str, first: int, last: int) -> list:
        cap = self.capacity.node_limit(self.network, node, kind)
        if cap is None:
            return []
        country = self.network.node(node).country
        day, end = self.clock.day(first, country), self.clock.day(last, country)
        full = []
        while day <= end:
            if self.day_used[(node, kind, day)] >= cap:
                full.append(day)
            day = day.fromordinal(day.toordinal() + 1)
        return full

    def why(self, column: Column) -> str:
        p = self.placements[column.id]
        t = column.options[p.option]
        waits = []
        previous_end = None
        for index, (block, start) in enumerate(zip(t.blocks, p.starts, strict=False)):
            earliest = self.ready[column.id] + block.offset if index == 0 else previous_end + block.gap
            if block.kind == "road":  # waiting for the next convoy day's start is the plan, not a hold-up
                earliest = allowed_start(block, earliest, self.capacity.start_window_min)
            lift = self.lifts.get(p.lifts.get(index, ""))
            waits.append((max(0, start - earliest), index, block, start, earliest, lift))
            previous_end = start + (lift.duration if lift else block.duration)
        wait, index, block, start, earliest, lift = max(waits, key=lambda w: w[0])
        if sum(w[0] for w in waits) < MEANINGFUL_WAIT_MIN:
            hours = (p.arrival - self.ready[column.id]) / 60
            modes = ", ".join(dict.fromkeys(i.mode for b in t.blocks for i in b.legs()))
            return (
                f"the journey itself: leaving when ready, the route ({modes}) takes {hours:.0f} hours, "
                f"so the unit cannot arrive by its due time even with every ship, train and road free"
            )
        name = self.network.node
        if lift is not None:
            kind = "roro_calls_per_day" if lift.kind == "sea" else "trains_per_day"
            what = ("ro-ro call", "ro-ro calls") if lift.kind == "sea" else ("train", "trains")
            place = ""  # the node names say "Port of ..." or "... Military Port" themselves
            for node, moment in ((lift.a, lift.load_start + lift.depart), (lift.b, lift.load_start + lift.arrive)):
                full = self._full_days(
                    node, kind, earliest if node == lift.a else earliest + (lift.arrive - lift.depart), moment - 1
                )
                if full:
                    cap = self.capacity.node_limit(self.network, node, kind)
                    return (
                        f"{place}{name(node).name}: {cap} {what[cap != 1]} a day, "
                        f"{'all taken' if cap != 1 else 'taken'} {_days(full[0], full[-1])}"
                    )
            assets = {lf.asset.id for lf in self.lifts.values() if lf.kind == lift.kind and lf.a == lift.a}
            busy_until = max(
                (
                    lf.load_start + lf.busy
                    for lf in self.lifts.values()
                    if lf.asset.id in assets and lf.load_start <= earliest < lf.load_start + lf.busy
                ),
                default=None,
            )
            noun = "ro-ro ships" if lift.kind == "sea" else "trains"
            if busy_until is not None:
                when = self.clock.iso(busy_until, name(lift.a).country)
                return (
                    f"{noun}: every one able to take it from {name(lift.a).name} was loading, under way or "
                    f"returning; the {'sailing' if lift.kind == 'sea' else 'train'} it took leaves "
                    f"{self.clock.iso(lift.load_start + lift.depart, name(lift.a).country)[:16].replace('T', ' ')} "
                    f"(first free {when[:16].replace('T', ' ')})"
                )
            return (
                f"{noun} from {name(lift.a).name}: the earlier {'sailings' if lift.kind == 'sea' else 'trains'} "
                f"were full; it waited {wait / 60:.0f} hours"
            )
        if p.hold and index == 0:
            cap = self.capacity.transporters.get(column.unit.state)
            held = sum(
                n for s, e, n, cid in self.holds[column.unit.state] if cid != column.id and s <= p.hold[0] - wait < e
            )
            if cap is not None and held + column.count > cap:
                return (
                    f"{column.unit.state} transporters ({t.transporter}): all {cap} in use when the unit was "
                    f"ready; it waited {wait / 60:.0f} hours for them"
                )
        for item in block.legs("road"):
            if name(item.a).kind == "border":
                full = self._full_days(item.a, "vehicles_per_day", earliest + item.start, start + item.start - 1)
                if full:
                    cap = self.capacity.node_limit(self.network, item.a, "vehicles_per_day")
                    return f"{name(item.a).name}: {cap} vehicles a day may cross, all taken {_days(full[0], full[-1])}"
        for item in block.legs("road"):
            s, e = earliest + item.start, start + item.start
            others = [x for x in self.road[(item.edge, item.a, item.b)] if x[2] != column.id and x[0] < e and x[1] > s]
            if others:
                return (
                    f"road space on {item.name} ({name(item.a).name}–{name(item.b).name}): "
                    f"{len(others)} other column(s) reserved it; it waited {wait / 60:.0f} hours"
                )
        return f"waiting {wait / 60:.0f} hours at {name(block.at).name} for capacity further on"
