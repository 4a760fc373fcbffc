"""Benchmark of the dialogue engine (stdlib only: time, tracemalloc).

    .venv/bin/python benchmarks/dialogue_bench.py

Compares, in one run, side by side:
- finding the first consultation on or after a far date: the engine's
  estimate-then-walk against the baseline of walking from consultation 1;
- building an iCalendar feed of N all-day events with the engine (icalendar
  library) against a baseline that writes the same VEVENTs by hand (no
  folding, no escaping: a floor, not a replacement).
Prints medians of repeated runs and peak memory.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
import tracemalloc

from accord.dialogue.engine import cadence
from accord.dialogue.engine.ical import CalendarEntry, build_calendar, stable_uid

SETTINGS = cadence.CycleSettings(first_date=dt.date(2025, 11, 19), cadence_months=6, hosts=("GB", "EU"))
FAR = dt.date(2525, 1, 1)
STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def naive_first_on_or_after(settings, day):
    n = 1
    while cadence.consultation_date(settings, n) < day:
        n += 1
    return n


def hand_written_ical(entries):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN"]
    for e in entries:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{stable_uid(e.kind, e.key)}",
            f"DTSTAMP:{STAMP:%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{e.start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{(e.end or e.start) + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{e.summary}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def measure(fn, repeat=7):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak


def row(label, fn):
    median, peak = measure(fn)
    print(f"{label:<58} median {median * 1000:9.3f} ms   peak {peak / 1024:9.1f} KiB")


def main():
    assert cadence.first_sequence_on_or_after(SETTINGS, FAR) == naive_first_on_or_after(SETTINGS, FAR)
    print(f"first consultation on or after {FAR} (sequence {naive_first_on_or_after(SETTINGS, FAR)})")
    row("  engine: estimate, then walk", lambda: cadence.first_sequence_on_or_after(SETTINGS, FAR))
    row("  baseline: walk from consultation 1", lambda: naive_first_on_or_after(SETTINGS, FAR))
    for n in (100, 1000):
        entries = [
            CalendarEntry("meeting", str(i), f"Working group meeting {i}", dt.date(2026, 1, 1) + dt.timedelta(days=i))
            for i in range(n)
        ]
        print(f"iCalendar feed of {n} events")
        row(
            "  engine: icalendar library (folding, escaping)",
            lambda entries=entries: build_calendar(entries, name="b", stamp=STAMP),
        )
        row("  baseline: hand-written lines", lambda entries=entries: hand_written_ical(entries))


if __name__ == "__main__":
    main()
