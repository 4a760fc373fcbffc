"""Benchmark: the commitments status report, real data and a 40-year history side by side.

Runs with the standard library only (time.perf_counter, tracemalloc):

    .venv/bin/python benchmarks/commitments_status.py

Baseline: the reference data as shipped (one year per state). Scaled: the
same states with 40 years of synthetic figures each (invented numbers, used
only to time the engine; never stored). Prints the median of repeated runs
and the peak memory of one run.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
import tracemalloc
from dataclasses import replace
from decimal import Decimal

from accord.commitments.engine.safe_allocations import allocation_report, load_allocations
from accord.commitments.engine.spending import load_spending
from accord.commitments.engine.status import status_report
from accord.commitments.engine.targets import commitments_parameters
from accord.parties import load_registry

ON = dt.date(2025, 10, 1)
REPEATS = 30


def scaled(figures, years=40):
    """Each real figure repeated for ``years`` earlier years (synthetic, for timing only)."""
    out = []
    for f in figures:
        if f.is_gap:
            out.append(f)
            continue
        for back in range(years):
            out.append(replace(f, year=f.year - back, percent_gdp=f.percent_gdp - Decimal(back) / 100))
    return out


def measure(label, fn):
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return label, statistics.median(times) * 1000, peak / 1024


def main():
    params, registry = commitments_parameters(), load_registry()
    real = load_spending()
    big = scaled(real)
    allocations = load_allocations()
    rows = [
        measure(f"status, reference data ({len(real)} figures)", lambda: status_report(real, params, registry, ON)),
        measure(f"status, 40-year history ({len(big)} figures)", lambda: status_report(big, params, registry, ON)),
        measure("SAFE allocations report (19 states)", lambda: allocation_report(allocations, params, ON)),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  {'median ms':>10}  {'peak KiB':>10}   ({REPEATS} runs each)")
    for label, median_ms, peak_kib in rows:
        print(f"{label:<{width}}  {median_ms:>10.2f}  {peak_kib:>10.1f}")


if __name__ == "__main__":
    main()
