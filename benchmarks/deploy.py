"""Benchmark of deployment scheduling (issue 14): a brigade and a division, greedy vs CP-SAT side by side.

A generated but plausible force: British units from Salisbury Plain, Catterick
and Colchester to Estonia and Latvia (by sea from Marchwood), German units from
Lower Saxony and Bavaria and Polish units from Żagań and Drawsko to Lithuania
and north-east Poland (road and rail), ready over three days, due seven to
twelve days after, priorities 1 to 5. The shipped capacity data
(`mobility/data/capacity.yaml`) binds: Marchwood's two ro-ro calls a day,
Paldiski's one, the Point-class ships, the national transporter fleets.

For each force, in one run: the whole `deploy` with the greedy baseline only,
then with CP-SAT (time limit given), each timed end to end (force list
reading, route planning per column, scheduling, output). Lateness is the
priority-weighted hours late (lower is better).

Run: PYTHONPATH=src .venv/bin/python benchmarks/deploy.py [--quick] [--time-limit 40] [--no-division]
Target (2-core shared machine): the brigade (300 units, 5,000 vehicles) within 60 s,
lateness no worse than greedy's.
"""

from __future__ import annotations

import argparse
import itertools
import time

from accord.mobility.deployments import read_force, run_force

GB = (["tidworth", "bulford", "warminster", "catterick", "colchester"], ["tapa", "adazi"])
DE = (["munster_ni", "bergen_hohne", "grafenwohr"], ["rukla", "pabrade"])
PL = (["zagan", "drawsko"], ["orzysz", "rukla"])
ROLES = {
    "GB": [("Challenger 3", 14), ("Boxer", 20), ("Foxhound", 12), ("MAN HX60", 20), ("MAN HX77", 16)],
    "DE": [("Leopard 2A7", 14), ("Boxer", 20), ("MAN HX77", 18), ("MAN HX60", 20)],
    "PL": [("Boxer", 18), ("MAN HX60", 20), ("MAN HX77", 16)],
}


def force_csv(units: int, vehicles: int) -> bytes:
    """``units`` units with ``vehicles`` vehicles in all (counts spread round the role sizes)."""
    nations = itertools.cycle(["GB", "DE", "GB", "PL", "DE", "GB"])
    rows = ["unit;vehicle;count;personnel;origin;destination;ready;due;priority"]
    plan = []
    for i in range(units):
        nation = next(nations)
        origins, destinations = {"GB": GB, "DE": DE, "PL": PL}[nation]
        vehicle, size = ROLES[nation][i % len(ROLES[nation])]
        plan.append(
            [
                f"{nation} unit {i + 1:04d}",
                vehicle,
                size,
                origins[i % len(origins)],
                destinations[(i // 7) % len(destinations)],
                1 + i % 3,
                7 + (i % 6),
                1 + (i * 7) % 5,
            ]
        )
    total = sum(p[2] for p in plan)
    # Scale the counts so the force has exactly ``vehicles`` vehicles.
    for p in plan:
        p[2] = max(1, round(p[2] * vehicles / total))
    diff = vehicles - sum(p[2] for p in plan)
    for p in itertools.islice(itertools.cycle(plan), abs(diff)):
        p[2] += 1 if diff > 0 else -1 if p[2] > 1 else 0
    for name, vehicle, count, origin, destination, ready, due, priority in plan:
        rows.append(
            f"{name};{vehicle};{count};{count * 4};{origin};{destination};2027-03-0{ready};"
            f"2027-03-{ready + due:02d};{priority}"
        )
    return ("\n".join(rows) + "\n").encode()


def run(label: str, units: int, vehicles: int, time_limit: float) -> None:
    content = force_csv(units, vehicles)
    results = {}
    for mode in ("greedy", "solver"):
        started = time.perf_counter()
        force, params, catalogue, _ = read_force(content, "force.csv")
        result = run_force(force, params=params, catalogue=catalogue, solver=mode == "solver", time_limit_s=time_limit)
        results[mode] = (time.perf_counter() - started, result.data["summary"])
    g_time, g = results["greedy"]
    s_time, s = results["solver"]
    print(
        f"{label}: {units} units, {g['vehicles']} vehicles, {g['columns']} columns, {g['plans_computed']} route plans"
    )
    print(
        f"  greedy : {g_time:6.1f} s  late units {g['late_units']:4d}  weighted lateness {g['weighted_late_hours']:10.1f} h"
        f"  journey {g['journey_hours']:10.1f} h"
    )
    print(
        f"  CP-SAT : {s_time:6.1f} s  late units {s['late_units']:4d}  weighted lateness {s['weighted_late_hours']:10.1f} h"
        f"  journey {s['journey_hours']:10.1f} h  ({s['solver']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a battalion only (smoke run)")
    parser.add_argument("--time-limit", type=float, default=40.0, help="CP-SAT seconds")
    parser.add_argument("--no-division", action="store_true")
    args = parser.parse_args()
    if args.quick:
        run("battalion", 40, 600, min(args.time_limit, 10))
        return
    run("brigade", 300, 5000, args.time_limit)
    if not args.no_division:
        run("division", 900, 15000, args.time_limit * 3)


if __name__ == "__main__":
    main()
