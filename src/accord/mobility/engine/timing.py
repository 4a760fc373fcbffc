"""Convoy timing: march units, vehicle gaps and speeds by road class,
daily driving limits and halts; trains, ships and transfers.

All figures come from ``PlanningRules`` (parameters ``mobility.convoy.*`` and
``mobility.timing.*``). Times are the lead vehicle's; each leg also gives the
time its last vehicle arrives (the column's pass time).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from . import localtime
from .rules import PlanningRules


@dataclass
class DrivingClock:
    """Driving time since the last break and since the last rest, and where the rests fall.

    Peacetime (``limits``): a 45-minute halt after 4.5 h, a night rest after
    9 h of driving (Reg. 561/2006 figures as a planning norm), no road leg
    started or continued in the night window, and the convoy day starts again
    at the default start time of the place, so it does not drift round the
    clock. Rests are taken at a node (the end of a network edge: a garrison,
    port, railhead, junction or border crossing) rather than mid-road: a leg
    that would not fit in what is left of the day waits at its start for the
    next day. Only a leg longer than a whole day is split mid-road.

    Emergency (driving-time rules waived): no night window, but a crew still
    rests ``emergency_min_rest_h`` after at most ``emergency_max_driving_h``.
    """

    rules: PlanningRules
    limits: bool = True
    since_break_h: float = 0.0
    today_h: float = 0.0
    halts: int = 0
    night_rests: int = 0
    rest_places: list = field(default_factory=list)  # (node id, start, end) of each night rest

    @property
    def day_limit(self) -> float:
        return self.rules.daily_driving_limit_h if self.limits else self.rules.emergency_max_driving_h

    @property
    def rest_h(self) -> float:
        return self.rules.daily_rest_h if self.limits else self.rules.emergency_min_rest_h

    def _night(self, t: dt.datetime, country: str) -> bool:
        if not self.limits:
            return False
        clock = localtime.local(t, country).time()
        a, b = self.rules.night_start, self.rules.night_end
        return (clock >= a or clock < b) if a > b else (a <= clock < b)

    def _resume(self, t: dt.datetime, country: str) -> dt.datetime:
        """The end of the night window after ``t`` (the next convoy day's start), in naive UTC."""
        here = localtime.local(t, country)
        day = here.date() if here.time() < self.rules.night_end else here.date() + dt.timedelta(days=1)
        return localtime.from_local(day, self.rules.night_end, country)

    def night_rest(self, t: dt.datetime, country: str, node: str | None) -> dt.datetime:
        """Rest here: at least the daily rest, and in peacetime until the next convoy day starts."""
        end = t + dt.timedelta(hours=self.rest_h)
        if self.limits:
            end = max(end, self._resume(t, country))
        self.today_h = self.since_break_h = 0.0
        self.night_rests += 1
        self.rest_places.append((node, t, end))
        return end

    def drive(
        self, start: dt.datetime, hours: float, country: str = "", node: str | None = None, rest_first: bool = False
    ) -> dt.datetime:
        """Drive a leg of ``hours`` from node ``node`` in ``country``; returns the arrival (naive UTC).

        ``rest_first``: end the driving day here, at a staging area, before the leg.
        """
        t = start
        eps = 1e-9
        if rest_first and self.today_h > 0:
            t = self.night_rest(t, country, node)
        if self._night(t, country):
            t = self.night_rest(t, country, node) if self.today_h > 0 else self._resume(t, country)
        # Rest at the node rather than mid-road when the leg does not fit in what is left of the day.
        fits_a_day = hours <= self.day_limit + eps
        too_long_today = self.today_h > 0 and self.today_h + hours > self.day_limit + eps
        ends_in_night = self.limits and self._night(t + dt.timedelta(hours=hours), country)
        if fits_a_day and (too_long_today or ends_in_night):
            t = self.night_rest(t, country, node)
        remaining = hours
        while remaining > eps:
            # Under a waiver two drivers share the wheel: no statutory halts, only the crew rest.
            until_break = self.rules.break_after_h - self.since_break_h if self.limits else float("inf")
            until_rest = self.day_limit - self.today_h
            chunk = min(remaining, until_break, until_rest)
            t += dt.timedelta(hours=chunk)
            remaining -= chunk
            self.since_break_h += chunk
            self.today_h += chunk
            if remaining <= eps:
                break
            if self.today_h >= self.day_limit - eps:
                t = self.night_rest(t, country, None)  # mid-road: only on a leg longer than a day's driving
            elif self.since_break_h >= self.rules.break_after_h - eps:
                t += dt.timedelta(minutes=self.rules.break_min)
                self.since_break_h = 0.0
                self.halts += 1
        return t

    def rest(self, hours: float) -> None:
        """Time spent not driving: a long enough stop counts as the rest."""
        if hours >= self.rest_h:
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
