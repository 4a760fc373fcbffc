"""The planning figures in force on a date, read once from the parameters.

Engines take a ``PlanningRules`` (plain values) so that they never read
parameter files or today's date themselves. Every figure keeps the name of
its parameter, so a plan can cite it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accord.rules.parameters import ParameterSet, load_parameters

PREFIX = "mobility."


@dataclass(frozen=True)
class PlanningRules:
    on: dt.date
    mlc_table: Mapping[int, Mapping[str, float]]
    detour: Mapping[str, float]
    unknown_road_mlc: Mapping[str, float]
    unknown_max_height_m: float | None
    tracked_self_propelled_on_roads: bool
    rail_flatcar_payload_t: float
    rail_mode_road_access_km: float
    transporter_tare_t: float
    march_unit_size: int
    vehicle_gap_m: Mapping[str, float]
    speed_kmh: Mapping[str, float]
    march_unit_gap_min: float
    daily_driving_limit_h: float
    break_after_h: float
    break_min: float
    daily_rest_h: float
    default_start_time: dt.time
    rail_km_per_day: float
    rail_wagons_per_train: int
    rail_train_interval_h: float
    rail_loading_h: float
    gauge_transfer_h: float
    port_handling_h: float
    sea_speed_kmh: float
    tunnel_speed_kmh: float
    tunnel_terminal_h: float
    transporter_loading_h: float
    night_start: dt.time
    night_end: dt.time
    emergency_max_driving_h: float
    emergency_min_rest_h: float
    closure_categories: Mapping[str, tuple[str, ...]]
    low_impact: Mapping[str, Any]
    staging_kinds: tuple[str, ...]
    staging_lookback_h: float

    def key(self) -> tuple:
        """A hashable summary used to cache graphs built under these figures."""
        return tuple(sorted((k, repr(v)) for k, v in self.__dict__.items() if k != "on"))


def planning_rules(params: ParameterSet, on: dt.date) -> PlanningRules:
    def v(name: str) -> Any:
        return params.value(PREFIX + name, on)

    hh, mm = str(v("convoy.default_start_time")).split(":")
    return PlanningRules(
        on=on,
        mlc_table={int(k): val for k, val in v("mlc.tonnage_equivalents").items()},
        detour=dict(v("network.detour_factor")),
        unknown_road_mlc=dict(v("network.unknown_road_mlc")),
        unknown_max_height_m=v("network.unknown_max_height_m"),
        tracked_self_propelled_on_roads=bool(v("network.tracked_self_propelled_on_roads")),
        rail_flatcar_payload_t=float(v("network.rail_flatcar_payload_t")),
        rail_mode_road_access_km=float(v("network.rail_mode_road_access_km")),
        transporter_tare_t=float(v("network.transporter_tare_t")),
        march_unit_size=int(v("convoy.march_unit_size")),
        vehicle_gap_m=dict(v("convoy.vehicle_gap_m")),
        speed_kmh=dict(v("convoy.speed_kmh")),
        march_unit_gap_min=float(v("convoy.march_unit_gap_min")),
        daily_driving_limit_h=float(v("convoy.daily_driving_limit_h")),
        break_after_h=float(v("convoy.break_after_h")),
        break_min=float(v("convoy.break_min")),
        daily_rest_h=float(v("convoy.daily_rest_h")),
        default_start_time=dt.time(int(hh), int(mm)),
        rail_km_per_day=float(v("timing.rail_km_per_day")),
        rail_wagons_per_train=int(v("timing.rail_wagons_per_train")),
        rail_train_interval_h=float(v("timing.rail_train_interval_h")),
        rail_loading_h=float(v("timing.rail_loading_h")),
        gauge_transfer_h=float(v("timing.gauge_transfer_h")),
        port_handling_h=float(v("timing.port_handling_h")),
        sea_speed_kmh=float(v("timing.sea_speed_kmh")),
        tunnel_speed_kmh=float(v("timing.tunnel_speed_kmh")),
        tunnel_terminal_h=float(v("timing.tunnel_terminal_h")),
        transporter_loading_h=float(v("timing.transporter_loading_h")),
        night_start=_hhmm(v("convoy.night_driving_window")["start"]),
        night_end=_hhmm(v("convoy.night_driving_window")["end"]),
        emergency_max_driving_h=float(v("convoy.emergency_max_driving_h")),
        emergency_min_rest_h=float(v("convoy.emergency_min_rest_h")),
        closure_categories={
            k: tuple(c) for k, c in (v("permissions.current.deadline_closure_categories") or {}).items()
        },
        low_impact=dict(v("permissions.current.low_impact_criteria")),
        staging_kinds=tuple(v("convoy.staging_areas")["kinds"]),
        staging_lookback_h=float(v("convoy.staging_areas")["lookback_h"]),
    )


def _hhmm(text: Any) -> dt.time:
    hh, mm = str(text).split(":")
    return dt.time(int(hh), int(mm))


def mobility_parameters() -> ParameterSet:
    return load_parameters("mobility")
