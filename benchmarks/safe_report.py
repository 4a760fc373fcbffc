"""SAFE `accord safe report` (the PDF) against `accord safe check` (the baseline), whole commands.

    .venv/bin/python benchmarks/safe_report.py [--sizes 1000,10000,100000] [--repeat 3]
        [--data /tmp/accord-safe-bench]

In one run, side by side, each in its own process, on the same generated CSV BOM and case
(the files of benchmarks/safe_bom.py, generated once into --data):

  check    ``accord safe check case.json --json``: reading, validating, the rollup, every rule;
  report   ``accord safe report case.json --out report.pdf``: the same, then the canonical
           case and the fingerprints, the Django template and WeasyPrint's PDF.

Prints the median wall time of each and what the report adds. The report lists at most
the 25 largest non-eligible parts, so its PDF does not grow with the BOM; what grows is the
canonical case (every line, as JSON) that the input fingerprint is the hash of.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from safe_bom import SRC, write_files  # noqa: E402 - the generator of the BOM benchmark

ACCORD = [sys.executable, "-c", "from accord.cli import main; main()"]


def timed(args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "accord-safe-bench")
    options = parser.parse_args()
    print(f"{'BOM lines':>10} {'check':>9} {'report':>9} {'added':>9}  (median of {options.repeat}, seconds)")
    for size in (int(s) for s in options.sizes.split(",")):
        case = write_files(size, options.data, ["csv"])["csv"]
        out = options.data / f"report-{size}.pdf"
        check, report = [], []
        for _ in range(options.repeat):  # interleaved, so a busy machine weighs on both alike
            check.append(timed([*ACCORD, "safe", "check", str(case), "--json"]))
            report.append(timed([*ACCORD, "safe", "report", str(case), "--out", str(out)]))
        c, r = statistics.median(check), statistics.median(report)
        print(f"{size:>10,} {c:>9.2f} {r:>9.2f} {r - c:>+9.2f}  ({out.stat().st_size // 1024} KB PDF)")


if __name__ == "__main__":
    main()
