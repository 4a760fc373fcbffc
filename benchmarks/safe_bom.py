"""SAFE `accord safe check` on generated BOM files, whole process, against plain polars.

    .venv/bin/python benchmarks/safe_bom.py [--sizes 10000,100000,1000000] [--repeat 3]
        [--formats csv,xlsx] [--data /tmp/accord-safe-bench] [--zip-bomb]

In one run, side by side, each in its own process (so time and peak memory are
its own, from ``os.wait4``):

  accord   the whole command ``accord safe check case.json --json`` on a case whose
           bom_file is the generated CSV or XLSX: start-up, reading, validating
           every field, the exact rollup and every rule;
  polars   the plain baseline: a Python process that reads the same file with
           polars (``pl.read_csv``; for XLSX ``pl.read_excel(engine="calamine")``)
           and sums quantity x unit cost per origin (no validation, no structure).

The BOM is seeded: depth 9, parts bought whole cut their subtrees, rows shuffled.
Files are generated once into --data (an XLSX of a million rows takes minutes to
write). Prints the median wall time and the peak RSS of each, and the ratios.
Targets (issue 9): CSV of 1M lines within 1.2x polars in time and memory; XLSX
within 1.5x polars with calamine. ``--zip-bomb`` also times the refusal of a
1 MB XLSX that expands to 1 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

# This process imports neither numpy nor polars, and generates the files in a child: a
# process started with vfork reports the peak memory of its parent as its own when that is
# higher (Linux keeps the parent's high-water mark across the exec), so a heavy parent would
# inflate every figure measured. And polars writes its allocator's options into os.environ
# (_RJEM_MALLOC_CONF) when imported: the processes measured start as from a shell.
CHILD_ENVIRONMENT = dict(os.environ)

ORIGINS = ["PL", "DE", "FR", "IT", "SE", "NO", "UA", "GB", "US", "CA"]
ORIGIN_WEIGHTS = [0.25, 0.2, 0.15, 0.1, 0.05, 0.04, 0.03, 0.08, 0.06, 0.04]
ASSESSED_ON = dt.date(2026, 3, 1)
SRC = Path(__file__).resolve().parent.parent / "src"


def generate(items: int, seed: int = 20260301):
    """A BOM of ``items`` rows, 10 levels (depth 9), rows shuffled so parents are not first."""
    import numpy as np
    import polars as pl

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
            "unit_cost": np.where(purchased, unit_cost, np.nan)[order],
            "origin": np.where(purchased, origin, "")[order],
        }
    ).with_columns(
        pl.col("unit_cost").fill_nan(None),
        pl.col("parent").replace("", None),
        pl.col("origin").replace("", None),
    )
    return frame


CASE = {
    "title": "Benchmark BOM",
    "assessment_date": ASSESSED_ON.isoformat(),
    "contract_signed": "2026-02-15",
    "procurers": ["PL", "LT"],
    "loan_recipients": ["PL"],
    "category": 2,
    "contractor": {"name": "Prime", "established_in": "PL", "controlled_from": "PL", "design_authority_in": "PL"},
    "subcontractors": [],
}

BASELINE = {
    "csv": "import polars as pl, sys\nf = pl.read_csv(sys.argv[1])\n",
    "xlsx": "import polars as pl, sys\nf = pl.read_excel(sys.argv[1], engine='calamine')\n",
}
BASELINE_SUM = (
    "s = f.filter(pl.col('purchased')).group_by('origin').agg((pl.col('quantity') * "
    "pl.col('unit_cost')).sum())\nprint(s.height)\n"
)


def write_files(items: int, data: Path, formats: list[str]) -> dict[str, Path]:
    """The BOM of ``items`` lines as CSV and XLSX (generated once), with a case beside each."""
    data.mkdir(parents=True, exist_ok=True)
    missing = [fmt for fmt in formats if not (data / f"bom-{items}.{fmt}").exists()]
    if missing:  # in a child process (see CHILD_ENVIRONMENT)
        command = [sys.executable, __file__, "--generate", str(items), "--formats", ",".join(missing)]
        subprocess.run(command + ["--data", str(data)], check=True, env=CHILD_ENVIRONMENT)
    paths = {}
    for fmt in formats:
        bom = data / f"bom-{items}.{fmt}"
        case = data / f"case-{items}-{fmt}.json"
        case.write_text(json.dumps({**CASE, "bom_file": bom.name}), encoding="utf-8")
        paths[fmt] = case
    return paths


def generate_files(items: int, data: Path, formats: list[str]) -> None:
    frame = None
    for fmt in formats:
        bom = data / f"bom-{items}.{fmt}"
        if not bom.exists():
            frame = frame if frame is not None else generate(items)
            partial = bom.with_suffix(".partial")
            if fmt == "csv":
                frame.write_csv(partial)
            else:
                from openpyxl import Workbook

                workbook = Workbook(write_only=True)
                sheet = workbook.create_sheet()
                sheet.append(["Benchmark bill of materials (generated)"])  # a title row, as firms have
                sheet.append(frame.columns)
                for row in frame.iter_rows():
                    sheet.append(row)
                workbook.save(partial)
            partial.rename(bom)


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, int, float]:
    """Wall time (s), peak RSS (MB), exit code and CPU time (user + system, s, every thread)
    of one process. On a shared machine the CPU time is the steadier figure: the wall time
    also counts the time spent waiting for a core."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, process.returncode, usage.ru_utime + usage.ru_stime


def accord_command() -> list[str]:
    return [sys.executable, "-c", "from accord.cli import app; app()"]


def zip_bomb(data: Path) -> None:
    """A 1 MB file named .xlsx expanding to 1 GB: refused from the zip's directory."""
    import zipfile

    bomb = data / "bomb.xlsx"
    if not bomb.exists():
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", b"<Types/>")
            archive.writestr("xl/workbook.xml", b"<workbook/>")
            with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
                chunk = b"\0" * (1 << 20)
                for _ in range(1024):
                    sheet.write(chunk)
    case = data / "case-bomb.json"
    case.write_text(json.dumps({**CASE, "bom_file": bomb.name}), encoding="utf-8")
    env = {**CHILD_ENVIRONMENT, "PYTHONPATH": str(SRC)}
    start = time.perf_counter()
    result = subprocess.run(
        accord_command() + ["safe", "check", str(case), "--json"], capture_output=True, env=env, check=False
    )
    elapsed = time.perf_counter() - start
    message = json.loads(result.stdout)["errors"][0]["message"]
    check = (
        "import sys, time\nfrom accord.errors import InputError\n"
        "from accord.procurement.engine import bom_from_upload\n"
        "content = open(sys.argv[1], 'rb').read()\nstart = time.perf_counter()\n"
        "try:\n    bom_from_upload('bomb.xlsx', content)\nexcept InputError:\n"
        "    print(time.perf_counter() - start)\n"
    )
    refusal = float(
        subprocess.run(
            [sys.executable, "-c", check, str(bomb)], capture_output=True, text=True, env=env, check=True
        ).stdout
    )
    print(
        f"Zip bomb ({bomb.stat().st_size / 1e6:.1f} MB file, 1 GB expanded): exit {result.returncode} in "
        f"{elapsed:.2f} s for the whole command, the refusal itself {refusal * 1000:.1f} ms: {message}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path("/tmp/accord-safe-bench"))
    parser.add_argument("--zip-bomb", action="store_true")
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)  # the child writing the files
    args = parser.parse_args()
    formats = args.formats.split(",")
    if args.generate:
        generate_files(args.generate, args.data, formats)
        return
    threads = CHILD_ENVIRONMENT.get("POLARS_MAX_THREADS", "2")
    env = {**CHILD_ENVIRONMENT, "PYTHONPATH": str(SRC), "POLARS_MAX_THREADS": threads}
    rows = []
    for items in [int(s) for s in args.sizes.split(",")]:
        cases = write_files(items, args.data, formats)
        for fmt, case in cases.items():
            bom = case.parent / f"bom-{items}.{fmt}"
            runs = {"accord": [], "polars": []}
            for _ in range(args.repeat):  # interleaved, so both see the same machine load
                runs["accord"].append(measure(accord_command() + ["safe", "check", str(case), "--json"], env))
                baseline = BASELINE[fmt] + BASELINE_SUM
                if fmt == "xlsx":
                    baseline = baseline.replace(
                        "engine='calamine')", "engine='calamine', read_options={'header_row': 1})"
                    )
                runs["polars"].append(measure([sys.executable, "-c", baseline, str(bom)], env))
            a_time = statistics.median(r[0] for r in runs["accord"])
            p_time = statistics.median(r[0] for r in runs["polars"])
            a_mem = max(r[1] for r in runs["accord"])
            p_mem = max(r[1] for r in runs["polars"])
            a_cpu = statistics.median(r[3] for r in runs["accord"])
            p_cpu = statistics.median(r[3] for r in runs["polars"])
            rows.append((fmt.upper(), items, a_time, p_time, a_mem, p_mem, a_cpu, p_cpu))
    print(f"SAFE check, whole process, median of {args.repeat} (POLARS_MAX_THREADS={env['POLARS_MAX_THREADS']}):")
    print(
        "| file | lines | accord s | polars s | time ratio | accord CPU s | polars CPU s | CPU ratio "
        "| accord peak MB | polars peak MB | memory ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for fmt, items, a_time, p_time, a_mem, p_mem, a_cpu, p_cpu in rows:
        print(
            f"| {fmt} | {items:,} | {a_time:.2f} | {p_time:.2f} | {a_time / p_time:.2f}x | {a_cpu:.2f} | "
            f"{p_cpu:.2f} | {a_cpu / p_cpu:.2f}x | {a_mem:.0f} | {p_mem:.0f} | {a_mem / p_mem:.2f}x |"
        )
    if args.zip_bomb:
        zip_bomb(args.data)


if __name__ == "__main__":
    main()
