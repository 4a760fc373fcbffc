"""SAFE re-sourcing plan (issue 10): the exact CP-SAT solver against both greedy orders, side by side.

    PYTHONPATH=src .venv/bin/python benchmarks/safe_resource.py [--parts 10000] [--seed 20260301]
        [--time-limit 60] [--workers 2] [--data /tmp/accord-safe-resource] [--no-command]

A seeded case: one eligible (PL) component and ``--parts`` non-eligible ones (US, GB, CN,
JP), integer cents, set so that the case fails the 35% rule by about a tenth of its
non-eligible cost; a candidate eligible supplier quotes each part at 0-60% more. In one
run, on the same problem (built once from the assessed case, the time of that shown apart),
first with the quoted prices, then at the same price (no quotes: the least cost to move):

  cp-sat          ``resource.solve``: least extra cost, then least cost moved (exact);
  greedy largest  ``resource.greedy(..., "largest")``: largest non-eligible part first;
  greedy ratio    ``resource.greedy(..., "ratio")``: least extra cost per euro of relief first;

each with its wall time, the extra cost and the cost moved of the plan it finds, and whether
the plan passes (checked on exact fractions). Then, unless --no-command, the whole command
``accord safe resource case.json --candidates quotes.csv --json`` in its own process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

CASE = {
    "title": "Re-sourcing benchmark",
    "assessment_date": "2026-03-01",
    "contract_signed": "2026-02-15",
    "procurers": ["PL", "LT"],
    "loan_recipients": ["PL"],
    "category": 1,
    "contractor": {"name": "Prime", "established_in": "PL", "controlled_from": "PL", "design_authority_in": "PL"},
    "subcontractors": [],
}
ORIGINS = ["US", "GB", "CN", "JP"]


def generate(parts: int, seed: int, data: Path) -> tuple[Path, Path]:
    rng = random.Random(seed)
    cents = [rng.randint(100, 1_000_000) for _ in range(parts)]  # €1 to €10,000 a part
    non_eligible = sum(cents)
    # fail by about a tenth of N: N - 0.35 T = 0.1 N  =>  T = 0.9 N / 0.35
    total = int(non_eligible * 0.9 / 0.35)
    eligible = total - non_eligible
    bom = [
        {"id": "END", "parent": None, "quantity": 1},
        {
            "id": "HULL",
            "parent": "END",
            "quantity": 1,
            "purchased": True,
            "unit_cost_eur": eligible / 100,
            "origin": "PL",
        },
    ]
    quotes = ["part,unit_cost,origin,supplier"]
    for i, c in enumerate(cents):
        part = f"P{i:05d}"
        bom.append(
            {
                "id": part,
                "parent": "END",
                "quantity": 1,
                "purchased": True,
                "unit_cost_eur": c / 100,
                "origin": ORIGINS[i % len(ORIGINS)],
            }
        )
        new = c + int(c * rng.uniform(0.0, 0.6))
        quotes.append(f"{part},{new / 100:.2f},DE,Supplier {i % 97}")
    data.mkdir(parents=True, exist_ok=True)
    case = data / f"case-{parts}-{seed}.json"
    case.write_text(json.dumps({**CASE, "bom": bom}), encoding="utf-8")
    prices = data / f"quotes-{parts}-{seed}.csv"
    prices.write_text("\n".join(quotes) + "\n", encoding="utf-8")
    return case, prices


def compare(problem, args, resource, format_eur) -> None:
    runs = []
    t = time.perf_counter()
    exact = resource.solve(problem, time_limit=args.time_limit, workers=args.workers)
    runs.append(("cp-sat", time.perf_counter() - t, exact))
    for order in ("largest", "ratio"):
        t = time.perf_counter()
        plan = resource.greedy(problem, order)
        runs.append((f"greedy {order}", time.perf_counter() - t, plan))
    header = (
        f"{'method':<16} {'time (s)':>9} {'parts':>6} {'extra cost':>16} {'cost moved':>16} {'passes':>7} "
        f"{'extra vs cp-sat':>16} {'moved vs cp-sat':>16}"
    )
    print(header)
    print("-" * len(header))
    for name, seconds, plan in runs:
        worse = plan.extra_cost - exact.extra_cost
        moved = plan.moved_cost - exact.moved_cost
        print(
            f"{name:<16} {seconds:>9.2f} {len(plan.chosen):>6} {format_eur(plan.extra_cost):>16} "
            f"{format_eur(plan.moved_cost):>16} {'yes' if plan.passes_after else 'NO':>7} "
            f"{('+' + format_eur(worse)) if worse else 'same':>16} {format_eur(moved) if moved else 'same':>16}"
        )
    print(f"cp-sat proven optimal: {'yes' if exact.optimal else 'no (time limit)'}; exact scaling: {exact.exact_scale}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20260301)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", type=Path, default=Path("/tmp/accord-safe-resource"))
    parser.add_argument("--no-command", action="store_true")
    args = parser.parse_args()

    from accord.money import format_eur
    from accord.parties import load_registry
    from accord.procurement.engine import advice, assess, load_case_file, resource, scenario_parameters

    case_file, quotes = generate(args.parts, args.seed, args.data)
    started = time.perf_counter()
    registry = load_registry()
    case = load_case_file(case_file, registry=registry)
    verdict = assess(case, scenario_parameters(None), registry)
    found = advice.parts(case, verdict)
    offers = resource.read_candidates(quotes.read_bytes(), quotes.name)
    problem = resource.build_problem(found, verdict, candidates=offers)
    prepared = time.perf_counter() - started
    print(
        f"SAFE re-sourcing, {len(problem.options):,} non-eligible parts that may move (seed {args.seed}); "
        f"non-eligible {format_eur(verdict.non_eligible_cost_eur)} of "
        f"{format_eur(verdict.component_cost_eur)}, must move {format_eur(verdict.headroom.resource)}."
    )
    print(f"Reading, assessing and building the problem: {prepared:.2f} s (the same for every method)\n")

    same_price = resource.build_problem(found, verdict)
    for label, current in (
        ("with the quoted prices (least extra cost)", problem),
        ("at the same price, no quotes (least cost moved)", same_price),
    ):
        print(f"Plans {label}:")
        compare(current, args, resource, format_eur)
        print()

    if not args.no_command:
        env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "src")}
        command = [
            sys.executable,
            "-c",
            "from accord.cli import app; app()",
            "safe",
            "resource",
            str(case_file),
            "--candidates",
            str(quotes),
            "--json",
            "--time-limit",
            str(args.time_limit),
        ]
        t = time.perf_counter()
        result = subprocess.run(command, capture_output=True, env=env, check=False)
        seconds = time.perf_counter() - t
        if result.returncode not in (0, 1):
            raise SystemExit(result.stderr.decode()[-2000:])
        plan = json.loads(result.stdout)
        print(
            f"whole command `accord safe resource --candidates ... --json`: {seconds:.2f} s, "
            f"{len(plan['parts_to_resource']):,} parts, extra cost €{plan['extra_cost_eur']:,.2f}"
        )


if __name__ == "__main__":
    main()
