"""Each column's journey as the movement planner times it, cut into blocks the scheduler can move.

A *column* is one march column of one unit: at most ``convoy.march_unit_size``
vehicles of one type. Its route and timing come from ``planner.plan`` (the
public planning function: route choice, loading, halts, night rests, port
calls, train timing, states crossed and permission deadlines). The scheduler
keeps each block's inner timing and only moves whole blocks later:

- a *road* block: road and tunnel legs with their loading, halts and rests;
- a *sea* block: port call, sailing, port call (the sailing's time comes from the ship's speed);
- a *rail* block: loading, the train's legs and gauge transfers, unloading.

A column may wait between blocks (at its origin, in a port's marshalling
area, at a railhead), never inside one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from accord.errors import InputError

from .. import localtime
from ..planner import PlanRequest, plan
from ..vehicles import Vehicle
from .forcelist import Unit

MODES = ("any", "road", "rail")


@dataclass(frozen=True)
class Item:
    kind: str  # "leg" or "transfer"
    start: int  # minutes from the start of its block
    end: int
    mode: str = ""
    edge: str = ""
    name: str = ""
    a: str = ""
    b: str = ""
    a_country: str = ""
    b_country: str = ""
    carriage: str = ""
    what: str = ""
    pass_min: int = 0  # road legs: the column's length in time (last vehicle's arrival after the first's)
    distance_km: float = 0.0


@dataclass
class Block:
    kind: str  # "road", "sea" or "rail"
    offset: int  # minutes from the template's departure
    duration: int
    items: list[Item]
    gap: int = 0  # minutes after the previous block's end in the template (the least wait)
    anchor: int | None = None  # road blocks: the minute of the (UTC) day the planner started it at

    @property
    def at(self) -> str:
        first = self.items[0]
        return first.a if first.kind == "leg" else first.a or first.b

    def legs(self, mode: str | None = None) -> list[Item]:
        return [i for i in self.items if i.kind == "leg" and (mode is None or i.mode == mode)]


@dataclass
class Template:
    mode: str
    blocks: list[Block]
    tail: int  # minutes from the last block's end to arrival
    route: tuple[str, ...]
    states: list[dict[str, Any]]
    transporter: str | None
    departure_utc: dt.datetime


@dataclass
class Column:
    id: str
    unit: Unit
    vehicle: Vehicle
    count: int
    number: int  # 1-based within the unit
    options: list[Template] = field(default_factory=list)
    lane_metres: float = 0.0


def _utc(text: str) -> dt.datetime:
    return localtime.to_utc(dt.datetime.fromisoformat(text))


def _minutes(a: dt.datetime, b: dt.datetime) -> int:
    return round((b - a).total_seconds() / 60)


def template_from_packet(packet: dict, mode: str, states: list[dict]) -> Template:
    depart = _utc(packet["departure"])
    raw: list[tuple[int, int, dict]] = []
    for one in packet["legs"]:
        start, end = _minutes(depart, _utc(one["start"])), _minutes(depart, _utc(one["end"]))
        raw.append((start, end, one))
    blocks: list[Block] = []
    current: list[tuple[int, int, dict]] = []
    kind = "road"

    def close(next_kind: str) -> None:
        nonlocal current, kind
        if current:
            first = min(s for s, _, _ in current)
            last = max(e for _, e, _ in current)
            items = [_item(s - first, e - first, one, depart) for s, e, one in current]
            previous_end = blocks[-1].offset + blocks[-1].duration if blocks else 0
            anchor = None
            if kind == "road":
                moment = depart + dt.timedelta(minutes=first)
                anchor = moment.hour * 60 + moment.minute
            blocks.append(Block(kind, first, last - first, items, max(0, first - previous_end), anchor))
        current, kind = [], next_kind

    index = 0
    while index < len(raw):
        s, e, one = raw[index]
        what = one.get("what", "")
        if (
            one["kind"] == "transfer"
            and "port call" in what
            and index + 1 < len(raw)
            and raw[index + 1][2].get("mode") == "sea"
        ):
            close("sea")
            current.append(raw[index])
            index += 1
            while index < len(raw) and raw[index][2].get("mode") == "sea":
                current.append(raw[index])
                index += 1
            if index < len(raw) and "port call" in raw[index][2].get("what", ""):
                current.append(raw[index])
                index += 1
            close("road")
            continue
        if one["kind"] == "transfer" and what == "load/unload train":
            close("rail")
            current.append(raw[index])
            index += 1
            while index < len(raw) and raw[index][2].get("what") != "load/unload train":
                current.append(raw[index])
                index += 1
            if index < len(raw):
                current.append(raw[index])
                index += 1
            close("road")
            continue
        current.append(raw[index])
        index += 1
    close("road")
    arrival = _minutes(depart, _utc(packet["arrival"]))
    last_end = blocks[-1].offset + blocks[-1].duration if blocks else 0
    route = tuple(one.get("edge") for one in packet["legs"] if one["kind"] == "leg")
    return Template(mode, blocks, max(0, arrival - last_end), route, states, packet.get("transporter"), depart)


def _item(start: int, end: int, one: dict, depart: dt.datetime) -> Item:
    if one["kind"] == "transfer":
        return Item(
            "transfer",
            start,
            end,
            a=one["at"],
            b=one["at"],
            a_country=one["country"],
            b_country=one["country"],
            what=one["what"],
            name=one.get("at_name", ""),
        )
    pass_min = 0
    if one["mode"] == "road":
        pass_min = max(1, _minutes(_utc(one["end"]), _utc(one["last_vehicle_arrival"])))
    return Item(
        "leg",
        start,
        end,
        one["mode"],
        one["edge"],
        one["name"],
        one["from"],
        one["to"],
        one["from_country"],
        one["to_country"],
        one.get("carriage") or "",
        "",
        pass_min,
        one["distance_km"],
    )


class TemplateCache:
    """Plans each (origin, destination, ready, vehicle, column size, mode) once: a brigade has few."""

    def __init__(self, network, catalogue, params, regime: str = "current"):
        self.network, self.catalogue, self.params, self.regime = network, catalogue, params, regime
        self.cache: dict[tuple, Template | None] = {}
        self.plans = 0

    def options(self, unit: Unit, vehicle: Vehicle, count: int) -> tuple[list[Template], list]:
        out: list[Template] = []
        problems = []
        for mode in MODES:
            key = (unit.origin, unit.destination, unit.ready, vehicle.name, count, mode, unit.state)
            if key not in self.cache:
                try:
                    self.plans += 1
                    result = plan(
                        PlanRequest(
                            unit.origin,
                            unit.destination,
                            unit.ready,
                            [(vehicle, count)],
                            mode=mode,
                            regime=self.regime,
                            requesting_state=unit.state,
                        ),
                        network=self.network,
                        catalogue=self.catalogue,
                        params=self.params,
                    )
                    packet = result["packets"][0]
                    self.cache[key] = self._continue(
                        template_from_packet(packet, mode, result["states"]), unit, vehicle, count
                    )
                except InputError as exc:
                    self.cache[key] = None
                    if mode == "any":
                        problems += exc.problems
            template = self.cache[key]
            if template is not None and all(t.route != template.route for t in out):
                out.append(template)
        return out, problems

    def _plan(self, origin, destination, depart, vehicle, count, mode, state):
        result = plan(
            PlanRequest(
                origin, destination, depart, [(vehicle, count)], mode=mode, regime=self.regime, requesting_state=state
            ),
            network=self.network,
            catalogue=self.catalogue,
            params=self.params,
        )
        return result["packets"][0], result["states"]

    def _continue(self, template: Template, unit: Unit, vehicle: Vehicle, count: int, depth: int = 0) -> Template:
        """After a sailing or a train, the road onwards as the planner times a convoy day that starts at the
        convoy start time (06:00 local) on the day of unloading: a column waits in the port or at the
        railhead overnight rather than setting off into the night window with rests at the wrong hours."""
        for index, block in enumerate(template.blocks[:-1]):
            if block.kind == "road" or template.blocks[index + 1].kind != "road" or depth > 3:
                continue
            node = block.legs()[-1].b
            when = template.departure_utc + dt.timedelta(minutes=block.offset + block.duration)
            day = localtime.local(when, self.network.node(node).country).date()
            try:
                packet, _ = self._plan(node, unit.destination, day, vehicle, count, template.mode, unit.state)
            except InputError:
                return template
            onward = template_from_packet(packet, template.mode, [])
            onward = self._continue(onward, unit, vehicle, count, depth + 1)
            shift = _minutes(template.departure_utc, onward.departure_utc)
            tail_blocks = [Block(b.kind, b.offset + shift, b.duration, b.items, b.gap, b.anchor) for b in onward.blocks]
            if tail_blocks:
                end = block.offset + block.duration
                tail_blocks[0].gap = max(0, tail_blocks[0].offset - end)
            route = template.route[: sum(len(b.legs()) for b in template.blocks[: index + 1])] + onward.route
            return Template(
                template.mode,
                template.blocks[: index + 1] + tail_blocks,
                onward.tail,
                route,
                template.states,
                template.transporter or onward.transporter,
                template.departure_utc,
            )
        return template
