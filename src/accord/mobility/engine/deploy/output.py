"""The deployment plan as data: units, schedule, node load, lifts and permissions.

Times are local times of each place with their UTC offset, as in a movement
plan. Node loads are counted per local calendar day of the node.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from .. import localtime
from ..network import Network
from .capacity import NODE_KINDS, Capacity
from .greedy import Lift, Placement, sea_shape
from .itinerary import Block, Column, Item

OWN = "own wheels or tracks"


def abs_items(block: Block, start: int, lift: Lift | None) -> list[tuple[Item, int, int]]:
    """Each item of a block placed at ``start``; a sea block takes its sailing's times."""
    if block.kind == "sea" and lift is not None:
        duration, depart, arrive, _ = sea_shape(block, lift.asset)
        out = []
        legs = block.legs()
        km = sum(i.distance_km for i in legs) or 1.0
        t = start + depart
        for item in block.items:
            if item.kind == "leg":
                span = round((arrive - depart) * item.distance_km / km)
                out.append((item, t, t + span))
                t += span
            elif not out:
                out.append((item, start, start + depart))
            else:
                out.append((item, start + arrive, start + duration))
        return out
    return [(item, start + item.start, start + item.end) for item in block.items]


class Clock:
    def __init__(self, epoch: dt.datetime):
        self.epoch = epoch

    def utc(self, minutes: int) -> dt.datetime:
        return self.epoch + dt.timedelta(minutes=minutes)

    def iso(self, minutes: int, country: str) -> str:
        return localtime.iso_local(self.utc(minutes), country)

    def day(self, minutes: int, country: str) -> dt.date:
        return localtime.local(self.utc(minutes), country).date()


def column_label(column: Column) -> str:
    return f"{column.unit.name}, column {column.number}"


def schedule_rows(columns, placements: dict[str, Placement], lifts: dict[str, Lift], clock: Clock) -> list[dict]:
    rows = []
    for column in columns:
        placement = placements.get(column.id)
        if placement is None:
            continue
        template = column.options[placement.option]
        for index, (block, start) in enumerate(zip(template.blocks, placement.starts, strict=False)):
            lift = lifts.get(placement.lifts.get(index, ""))
            for item, s, e in abs_items(block, start, lift):
                if item.kind != "leg":
                    continue
                if block.kind in ("sea", "rail") and lift is not None:
                    label, asset = lift.id, lift.asset.name
                else:
                    label = column_label(column)
                    asset = (
                        template.transporter
                        if "transporter" in item.carriage
                        else ("Channel Tunnel shuttle" if item.mode == "tunnel" else OWN)
                    )
                row = {
                    "unit": column.unit.name,
                    "column": label,
                    "march_column": column_label(column),
                    "mode": item.mode,
                    "asset": asset,
                    "vehicle": column.vehicle.name,
                    "vehicles": column.count,
                    "from": item.a,
                    "to": item.b,
                    "from_country": item.a_country,
                    "to_country": item.b_country,
                    "edge": item.edge,
                    "edge_name": item.name,
                    "start": clock.iso(s, item.a_country),
                    "end": clock.iso(e, item.b_country),
                    "clear": clock.iso(s + item.pass_min, item.a_country) if item.mode == "road" else None,
                }
                rows.append(row)
    return rows


def node_events(network: Network, capacity: Capacity, columns, placements, lifts: dict[str, Lift]):
    """(node, kind, minute, demand) of every counted event."""
    used_lifts = {lid for p in placements.values() for lid in p.lifts.values()}
    out = []
    for lid in used_lifts:
        lift = lifts[lid]
        kind = "roro_calls_per_day" if lift.kind == "sea" else "trains_per_day"
        out.append((lift.a, kind, lift.load_start + lift.depart, 1))
        out.append((lift.b, kind, lift.load_start + lift.arrive, 1))
    for column in columns:
        placement = placements.get(column.id)
        if placement is None:
            continue
        template = column.options[placement.option]
        for block, start in zip(template.blocks, placement.starts, strict=False):
            if block.kind != "road":
                continue
            for item in block.legs("road"):
                if network.node(item.a).kind == "border":
                    out.append((item.a, "vehicles_per_day", start + item.start, column.count))
                if item.b in capacity.convoy_support_centres:
                    out.append((item.b, "columns_per_day", start + item.end, 1))
    return out


def node_load(network: Network, capacity: Capacity, columns, placements, lifts, clock: Clock) -> list[dict]:
    totals: dict[tuple, int] = defaultdict(int)
    for node, kind, minute, demand in node_events(network, capacity, columns, placements, lifts):
        country = network.node(node).country
        totals[(node, clock.day(minute, country), kind)] += demand
    rows = []
    for (node, day, kind), used in sorted(totals.items(), key=lambda x: (x[0][0], x[0][1], x[0][2])):
        cap = capacity.node_limit(network, node, kind)
        rows.append(
            {
                "node": node,
                "node_name": network.node(node).name,
                "country": network.node(node).country,
                "date": day.isoformat(),
                "kind": NODE_KINDS[kind],
                "used": used,
                "capacity": cap,
            }
        )
    return rows


def lift_rows(lifts: dict[str, Lift], placements, clock: Clock, network: Network) -> list[dict]:
    used = {lid for p in placements.values() for lid in p.lifts.values()}
    rows = []
    for lid in sorted(used, key=lambda x: (lifts[x].load_start, x)):
        lift = lifts[lid]
        a, b = network.node(lift.a), network.node(lift.b)
        rows.append(
            {
                "id": lid,
                "kind": "sailing" if lift.kind == "sea" else "train",
                "asset": lift.asset.name,
                "asset_id": lift.asset.id,
                "from": lift.a,
                "to": lift.b,
                "depart": clock.iso(lift.load_start + lift.depart, a.country),
                "arrive": clock.iso(lift.load_start + lift.arrive, b.country),
                "asset_free": clock.iso(lift.load_start + lift.busy, a.country),
                "used": round(lift.used, 1),
                "capacity": lift.capacity,
                "unit_of_capacity": "lane metres" if lift.kind == "sea" else "wagons",
                "columns": len(lift.columns),
            }
        )
    return rows


def permission_rows(columns, placements, clock: Clock, schedule: list[dict]) -> list[dict]:
    """One row per transit or host state and requesting state: the request covering the whole force."""
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    by_column: dict[str, list[dict]] = defaultdict(list)
    for row in schedule:
        by_column[row["march_column"]].append(row)
    for column in columns:
        placement = placements.get(column.id)
        if placement is None:
            continue
        template = column.options[placement.option]
        requesting = column.unit.state
        legs = by_column[column_label(column)]
        for s in template.states:
            if s.get("permission") is None:
                continue
            state = s["state"]
            times = [
                dt.datetime.fromisoformat(r["start"])
                for r in legs
                if r["to_country"] == state and r["from_country"] != state
            ]
            times += [dt.datetime.fromisoformat(r["end"]) for r in legs if r["to_country"] == state]
            exits = [
                dt.datetime.fromisoformat(r["end"])
                for r in legs
                if r["to_country"] == state or r["from_country"] == state
            ]
            key = (state, requesting)
            e = entries.setdefault(
                key,
                {
                    "state": state,
                    "requesting_state": requesting,
                    "units": set(),
                    "columns": 0,
                    "vehicles": 0,
                    "first_entry": None,
                    "last_exit": None,
                    "latest_submission": None,
                    "lead_time": s["permission"]["lead_time"],
                },
            )
            e["units"].add(column.unit.name)
            e["columns"] += 1
            e["vehicles"] += column.count
            if times:
                first = min(times)
                if e["first_entry"] is None or first < e["first_entry"]:
                    e["first_entry"] = first
            if exits:
                last = max(exits)
                if e["last_exit"] is None or last > e["last_exit"]:
                    e["last_exit"] = last
            deadline = s["permission"]["latest_submission"]
            if e["latest_submission"] is None or deadline < e["latest_submission"]:
                e["latest_submission"] = deadline
    rows = []
    for _key, e in sorted(entries.items()):
        rows.append(
            {
                **e,
                "units": len(e["units"]),
                "first_entry": e["first_entry"].isoformat(timespec="minutes") if e["first_entry"] else None,
                "last_exit": e["last_exit"].isoformat(timespec="minutes") if e["last_exit"] else None,
            }
        )
    return rows
