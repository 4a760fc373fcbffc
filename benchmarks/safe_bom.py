"""SAFE BOM check on 1,000,000 items: Accord's vectorised engine against two baselines.

    .venv/bin/python benchmarks/safe_bom.py [--items 1000000] [--repeat 5]

Side by side, in one run, each method in its own subprocess (so peak memory is
its own), on the same generated BOM (seeded; depth 9; parts bought whole cut
their subtrees):

  engine     accord.procurement.engine: parse_case (field, duplicate, parent and
             cycle checks, vectorised rollup) + assess (every rule)
  recursive  (a) a straightforward recursive Python rollup over dicts and lists
  duckdb     (b) a DuckDB recursive CTE over the same table

Each method computes the component cost by origin and the 35% check; the
results are compared before timings are reported. Prints the median and
fastest wall time (time.perf_counter), the process's peak RSS
(resource.getrusage) and the peak growth over the RSS once the data is built.
Targets (issue 3): engine median <= 1 s, peak <= 1.5 GB, >= 20x faster than (a).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import polars as pl

ORIGINS = ["PL", "DE", "FR", "IT", "SE", "NO", "UA", "GB", "US", "CA"]
ORIGIN_WEIGHTS = [0.25, 0.2, 0.15, 0.1, 0.05, 0.04, 0.03, 0.08, 0.06, 0.04]
ASSESSED_ON = dt.date(2026, 3, 1)
SRC = Path(__file__).resolve().parent.parent / "src"


def generate(items: int, seed: int = 20260301) -> pl.DataFrame:
    """A BOM of ``items`` rows, 10 levels (depth 9), rows shuffled so parents are not first."""
    rng = np.random.default_rng(seed)
    levels = 10
    sizes = [1]
    growth = (items / 1.25) ** (1 / (levels - 1))
    for _ in range(1, levels - 1):
        sizes.append(max(1, int(sizes[-1] * growth)))
    sizes.append(items - sum(sizes))
    if sizes[-1] < 1:
        raise SystemExit("too few items for depth 9")
    starts = np.cumsum([0] + sizes)
    parent = np.full(items, -1, dtype=np.int64)
    level = np.zeros(items, dtype=np.int64)
    for lv in range(1, levels):
        lo, hi = starts[lv], starts[lv + 1]
        parent[lo:hi] = rng.integers(starts[lv - 1], starts[lv], size=hi - lo)
        level[lo:hi] = lv
    has_child = np.zeros(items, dtype=bool)
    has_child[parent[parent >= 0]] = True
    # Leaves are bought; so are 2% of the middle-level assemblies (their parts are then ignored).
    purchased = ~has_child | ((level >= 4) & (level <= 7) & (rng.random(items) < 0.02))
    quantity = rng.integers(1, 5, size=items).astype(np.float64)
    quantity[0] = 1.0
    unit_cost = np.round(rng.uniform(1, 500, size=items), 2)
    origin = np.array(ORIGINS)[rng.choice(len(ORIGINS), size=items, p=ORIGIN_WEIGHTS)]
    order = np.concatenate([[0], 1 + rng.permutation(items - 1)])  # shuffle all but keep a fixed root row
    ids = np.char.add("P", np.arange(items).astype("U7"))
    parent_ids = np.where(parent >= 0, ids[np.maximum(parent, 0)], "")
    frame = pl.DataFrame(
        {
            "id": ids[order],
            "parent": parent_ids[order],
            "quantity": quantity[order],
            "purchased": purchased[order],
            "unit_cost_eur": np.where(purchased, unit_cost, np.nan)[order],
            "origin": np.where(purchased, origin, "")[order],
        }
    ).with_columns(
        pl.col("unit_cost_eur").fill_nan(None),
        pl.col("parent").replace("", None),
        pl.col("origin").replace("", None),
    )
    return frame


CASE = {
    "title": "Benchmark: 1M-item BOM",
    "assessment_date": ASSESSED_ON.isoformat(),
    "contract_signed": "2026-02-15",
    "procurers": ["PL", "LT"],
    "loan_recipients": ["PL"],
    "category": 2,
    "contractor": {"name": "Prime", "established_in": "PL", "controlled_from": "PL", "design_authority_in": "PL"},
    "subcontractors": [],
}


def current_rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * resource.getpagesize() / 1e6


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # Linux: kilobytes


# -- the three methods ---------------------------------------------------------------------


def run_engine(frame: pl.DataFrame):
    from accord.parties import load_registry
    from accord.procurement.engine import Bom, assess, bom_from_frame, parse_case, scenario_parameters

    registry = load_registry()
    params = scenario_parameters("baseline")
    typed = bom_from_frame(frame).frame  # the table as a reader returns it

    def check():
        bom = Bom(frame=typed, source="bom")  # a fresh BOM each run: nothing cached from the last
        case = parse_case(CASE, registry=registry, bom=bom)
        verdict = assess(case, params, registry)
        return verdict.cost_by_origin, verdict.eligible

    return check


def _non_eligible_share(by_origin: dict[str, float]) -> tuple[float, float]:
    from accord.parties import load_registry

    registry = load_registry()
    eligible = {c for c in by_origin if c == "UA" or registry.is_member(c, "EU", on=ASSESSED_ON)
                or registry.is_member(c, "EEA_EFTA", on=ASSESSED_ON)}
    total = sum(by_origin.values())
    cap_ca = 0.8 * total  # Canada's agreement counts within its cap
    non_eligible = sum(v for c, v in by_origin.items() if c not in eligible and c != "CA")
    non_eligible += max(by_origin.get("CA", 0.0) - cap_ca, 0.0)
    return total, non_eligible


def run_recursive(frame: pl.DataFrame):
    ids = frame["id"].to_list()
    parents = frame["parent"].to_list()
    quantity = frame["quantity"].to_list()
    purchased = frame["purchased"].to_list()
    cost = frame["unit_cost_eur"].to_list()
    origin = frame["origin"].to_list()
    sys.setrecursionlimit(10_000)

    def check():
        index = {item: i for i, item in enumerate(ids)}
        children = defaultdict(list)
        root = None
        for i, p in enumerate(parents):
            if p is None:
                root = i
            else:
                children[index[p]].append(i)
        by_origin: dict[str, float] = defaultdict(float)

        def walk(i: int, multiplier: float) -> None:
            m = multiplier * quantity[i]
            if purchased[i]:
                by_origin[origin[i]] += m * cost[i]
                return
            for child in children.get(i, ()):
                walk(child, m)

        walk(root, 1.0)
        total, non_eligible = _non_eligible_share(by_origin)
        return dict(by_origin), non_eligible <= 0.35 * total

    return check


def run_duckdb(frame: pl.DataFrame):
    import duckdb

    import tempfile

    connection = duckdb.connect()
    connection.execute("SET threads TO 2")
    # Load the same table into DuckDB once, outside the timing (as the other methods get
    # their data ready-made): through a Parquet file, since pyarrow is not installed.
    with tempfile.TemporaryDirectory() as folder:
        parquet = Path(folder) / "bom.parquet"
        frame.write_parquet(parquet)
        connection.execute(f"CREATE TABLE bom AS SELECT * FROM read_parquet('{parquet}')")
    query = """
        WITH RECURSIVE walk(id, multiplier, purchased, cost, origin) AS (
            SELECT id, quantity, purchased, unit_cost_eur, origin FROM bom WHERE parent IS NULL
            UNION ALL
            SELECT b.id, w.multiplier * b.quantity, b.purchased, b.unit_cost_eur, b.origin
            FROM bom b JOIN walk w ON b.parent = w.id
            WHERE NOT w.purchased
        )
        SELECT origin, sum(multiplier * cost) FROM walk WHERE purchased GROUP BY origin
    """

    def check():
        rows = connection.execute(query).fetchall()
        by_origin = {o: float(v) for o, v in rows}
        total, non_eligible = _non_eligible_share(by_origin)
        return by_origin, non_eligible <= 0.35 * total

    return check


METHODS = {"engine": run_engine, "recursive": run_recursive, "duckdb": run_duckdb}
LABELS = {
    "engine": "Accord engine (numpy/polars, vectorised)",
    "recursive": "(a) recursive Python rollup",
    "duckdb": "(b) DuckDB recursive CTE",
}


def worker(method: str, items: int, repeat: int) -> None:
    frame = generate(items)
    check = METHODS[method](frame)
    rss_before = current_rss_mb()
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = check()
        times.append(time.perf_counter() - start)
    by_origin, eligible = result
    print(json.dumps({
        "method": method, "times": times, "peak_rss_mb": peak_rss_mb(),
        "peak_growth_mb": max(peak_rss_mb() - rss_before, 0.0),
        "by_origin": {k: round(v, 2) for k, v in sorted(by_origin.items())}, "eligible": eligible,
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--worker", choices=sorted(METHODS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.items, args.repeat)
        return

    frame = generate(args.items)
    depth_info = f"{args.items:,} items, depth 9, {int(frame['purchased'].sum()):,} marked purchased"
    del frame
    print(f"SAFE BOM benchmark: {depth_info}; {args.repeat} runs per method, each method in its own process")
    results = {}
    for method in ("engine", "recursive", "duckdb"):
        env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin", "POLARS_MAX_THREADS": "2"}
        out = subprocess.run(
            [sys.executable, __file__, "--worker", method, "--items", str(args.items), "--repeat", str(args.repeat)],
            check=True, capture_output=True, text=True, env=env,
        )
        results[method] = json.loads(out.stdout.strip().splitlines()[-1])

    reference = results["engine"]
    for method, result in results.items():
        for origin, cost in reference["by_origin"].items():
            other = result["by_origin"].get(origin, 0.0)
            if abs(other - cost) > 1e-6 * max(abs(cost), 1.0):
                raise SystemExit(f"{method} disagrees on {origin}: {other} vs {cost}")
        if result["eligible"] != reference["eligible"]:
            raise SystemExit(f"{method} disagrees on the verdict")
    print(f"All methods agree: component cost {sum(reference['by_origin'].values()):,.2f} EUR, "
          f"eligible={reference['eligible']}")
    baseline_median = statistics.median(results["recursive"]["times"])
    print(f"{'method':44} {'median s':>9} {'fastest s':>9} {'peak RSS MB':>12} {'growth MB':>10} {'vs (a)':>8}")
    for method, result in results.items():
        median = statistics.median(result["times"])
        print(f"{LABELS[method]:44} {median:9.3f} {min(result['times']):9.3f} {result['peak_rss_mb']:12.0f} "
              f"{result['peak_growth_mb']:10.0f} {baseline_median / median:7.1f}x")


if __name__ == "__main__":
    main()
