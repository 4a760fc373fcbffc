"""Local time of the states crossed: each state's IANA time zone (zoneinfo).

The planner computes in UTC (naive datetimes); every time it reports is the
local time of the place with its UTC offset (Tapa in winter: +02:00), and
deadlines are counted on the state's own calendar. Zones come from
``data/time_zones.yaml`` (IANA tz database); a state missing there is
reported in UTC and the plan says so.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import yaml

from .network import DATA_DIR

UTC = dt.UTC


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    data = yaml.safe_load((DATA_DIR / "time_zones.yaml").read_text(encoding="utf-8"))
    return {str(k).upper(): str(v) for k, v in (data.get("zones") or {}).items()}


def zone_name(country: str) -> str | None:
    return _zones().get((country or "").upper())


@lru_cache(maxsize=64)
def zone(country: str) -> dt.tzinfo:
    name = zone_name(country)
    return ZoneInfo(name) if name else UTC


def local(value: dt.datetime, country: str) -> dt.datetime:
    """A naive UTC ``value`` as an aware local time of ``country``."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(zone(country))


def iso_local(value: dt.datetime, country: str) -> str:
    """ISO 8601 to the nearest minute with the local UTC offset, e.g. ``2026-12-18T07:49+02:00``."""
    return local(value + dt.timedelta(seconds=30), country).isoformat(timespec="minutes")


def to_utc(value: dt.datetime) -> dt.datetime:
    """Naive UTC from an aware (or already naive UTC) datetime."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def from_local(day: dt.date, at: dt.time, country: str) -> dt.datetime:
    """Naive UTC of a local wall-clock time in ``country``."""
    return to_utc(dt.datetime.combine(day, at, tzinfo=zone(country)))
