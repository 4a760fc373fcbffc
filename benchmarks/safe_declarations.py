"""SAFE `accord safe check` with origins from supplier declarations, against the same BOM with origins stated.

    .venv/bin/python benchmarks/safe_declarations.py [--sizes 100000,1000000] [--parts 10000]
        [--repeat 3] [--data /tmp/accord-safe-declarations-bench]

In one run, side by side, each in its own process (time and peak memory from ``os.wait4``):

  declared  the whole command ``accord safe check case.json --json`` on a case whose BOM
            names a supplier and a supplier part on every bought line (no origin) and which
            carries the declarations (one supplier part in two declared, so half the lines
            are of unknown origin and listed);
  stated    the baseline: the same BOM with each line's origin written in it (what the
            declarations give, or nothing), the same command.

The difference is the cost of reading the two extra columns, the declarations, and
resolving every line's origin on the assessment date. Prints the median wall time and
peak RSS of each, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from safe_bom import CASE, SRC, accord_command, measure  # noqa: E402


def write_files(items: int, parts: int, data: Path) -> dict[str, Path]:
    data.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20260301)
    part = rng.integers(0, parts, items - 1)
    declared = part % 2 == 0
    lines = pl.DataFrame(
        {
            "id": ["END"] + [f"L{i}" for i in range(1, items)],
            "parent": [None] + ["END"] * (items - 1),
            "quantity": [1] * items,
            "purchased": [False] + [True] * (items - 1),
            "unit_cost": [None] + [round(float(c), 2) for c in rng.uniform(1, 500, items - 1)],
            "currency": ["EUR"] * items,
        }
    )
    suppliers = [None] + [f"Supplier {p % 250}" for p in part]
    numbers = [None] + [f"P-{p:06d}" for p in part]
    origins = [None] + ["FR" if d else None for d in declared]
    paths = {}
    for name, frame in {
        "declared": lines.with_columns(pl.Series("supplier", suppliers), pl.Series("supplier_part", numbers)),
        "stated": lines.with_columns(pl.Series("origin", origins, dtype=pl.String)),
    }.items():
        bom = data / f"bom-{items}-{name}.csv"
        if not bom.exists():
            frame.write_csv(bom)
        case = {**CASE, "bom_file": bom.name}
        if name == "declared":
            case["declarations"] = [
                {
                    "supplier": f"Supplier {p % 250}",
                    "part_number": f"P-{p:06d}",
                    "origin": "FR",
                    "valid_from": "2025-01-01",
                    "valid_to": "2026-12-31",
                    "document_reference": f"LTSD-{p}",
                }
                for p in range(0, parts, 2)
            ]
        path = data / f"case-{items}-{name}.json"
        path.write_text(json.dumps(case), encoding="utf-8")
        paths[name] = path
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--parts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path("/tmp/accord-safe-declarations-bench"))
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(SRC), "POLARS_MAX_THREADS": os.environ.get("POLARS_MAX_THREADS", "2")}
    print(f"SAFE check with supplier declarations, whole process, median of {args.repeat}:")
    print("| lines | supplier parts | declared s | stated s | time ratio | declared MB | stated MB | memory ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for items in (int(s) for s in args.sizes.split(",")):
        cases = write_files(items, args.parts, args.data)
        results: dict[str, list[tuple[float, float, int]]] = {"declared": [], "stated": []}
        for _ in range(args.repeat):  # interleaved, so a busy moment of the machine falls on both
            for name, case in cases.items():
                results[name].append(measure(accord_command() + ["safe", "check", str(case), "--json"], env))
        time_of = {k: statistics.median(r[0] for r in v) for k, v in results.items()}
        memory_of = {k: statistics.median(r[1] for r in v) for k, v in results.items()}
        print(
            f"| {items:,} | {args.parts:,} | {time_of['declared']:.2f} | {time_of['stated']:.2f} | "
            f"{time_of['declared'] / time_of['stated']:.2f}x | {memory_of['declared']:.0f} | "
            f"{memory_of['stated']:.0f} | {memory_of['declared'] / memory_of['stated']:.2f}x |"
        )


if __name__ == "__main__":
    main()
