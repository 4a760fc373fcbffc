"""Convoy timing: march units, vehicle gaps and speeds by road class,
daily driving limits and halts; trains, ships and transfers.

All figures come from ``PlanningRules`` (parameters ``mobility.convoy.*`` and
``mobility.timing.*``). Times are the lead vehicle's; each leg also gives the
time its last vehicle arrives (the column's pass time).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from .rules import PlanningRules


@dataclass
class DrivingClock:
    """Driving time since the last break and since the last daily rest (Reg. 561/2006 figures)."""

    rules: PlanningRules
    limits: bool = True
    since_break_h: float = 0.0
    today_h: float = 0.0
    halts: int = 0
    night_rests: int = 0

    def drive(self, start: dt.datetime, hours: float) -> dt.datetime:
        """Drive ``hours`` from ``start``; insert halts and daily rests where the limits require."""
        t = start
        remaining = hours
        if not self.limits:
            return t + dt.timedelta(hours=hours)
        while remaining > 1e-9:
            until_break = self.rules.break_after_h - self.since_break_h
            until_rest = self.rules.daily_driving_limit_h - self.today_h
            chunk = min(remaining, until_break, until_rest)
            t += dt.timedelta(hours=chunk)
            remaining -= chunk
            self.since_break_h += chunk
            self.today_h += chunk
            if remaining <= 1e-9:
                break
            if self.today_h >= self.rules.daily_driving_limit_h - 1e-9:
                t += dt.timedelta(hours=self.rules.daily_rest_h)
                self.today_h = self.since_break_h = 0.0
                self.night_rests += 1
            elif self.since_break_h >= self.rules.break_after_h - 1e-9:
                t += dt.timedelta(minutes=self.rules.break_min)
                self.since_break_h = 0.0
                self.halts += 1
        return t

    def rest(self, hours: float) -> None:
        """Time spent not driving: a long enough stop counts as the daily rest."""
        if hours >= self.rules.daily_rest_h:
            self.today_h = self.since_break_h = 0.0
        elif hours * 60 >= self.rules.break_min:
            self.since_break_h = 0.0


def march_units(vehicles: int, rules: PlanningRules) -> int:
    """Number of march units of about ``march_unit_size`` vehicles (doctrine)."""
    return max(1, math.ceil(vehicles / rules.march_unit_size))


def column_pass_hours(vehicles: int, road_class: str, rules: PlanningRules) -> float:
    """Time between the lead and the last vehicle passing a point on this road class.

    Vehicles keep the gap of the road class; march units follow each other at
    the stated time gap.
    """
    speed = rules.speed_kmh[road_class]
    gap_km = rules.vehicle_gap_m[road_class] / 1000.0
    units = march_units(vehicles, rules)
    within_units = (vehicles - units) * gap_km / speed  # gaps inside each march unit
    between_units = (units - 1) * rules.march_unit_gap_min / 60.0
    return within_units + between_units


def road_leg_hours(length_km: float, road_class: str, rules: PlanningRules) -> float:
    return length_km / rules.speed_kmh[road_class]


def trains_needed(vehicles: int, rules: PlanningRules) -> int:
    """One heavy vehicle per wagon, ``rail_wagons_per_train`` wagons per train."""
    return max(1, math.ceil(vehicles / rules.rail_wagons_per_train))


def rail_leg_hours(length_km: float, rules: PlanningRules) -> float:
    return length_km / (rules.rail_km_per_day / 24.0)


def rail_tail_hours(vehicles: int, rules: PlanningRules) -> float:
    """The last train leaves (and arrives) this long after the first."""
    return (trains_needed(vehicles, rules) - 1) * rules.rail_train_interval_h
