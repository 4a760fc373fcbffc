"""Guard rails: the lint and the architecture contracts hold for the whole code.

ruff (ruff.toml) and import-linter (.importlinter) run from the virtual
environment that runs the tests, so `make test` (and CI) fails on a lint
finding, unformatted code or a broken architecture contract.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PURE = [
    ROOT / "src" / "accord" / name
    for name in (
        "procurement/engine",
        "mobility/engine",
        "missions/engine",
        "dialogue/engine",
        "commitments/engine",
        "rules",
        "parties",
    )
] + [ROOT / "src" / "accord" / "values.py", ROOT / "src" / "accord" / "commitments" / "reports.py"]


def tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed in the test environment (pip install -r requirements-test.lock)")
    return found


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_engines_and_shared_rules_import_no_framework_platform_or_web():
    # Replaces the hand-written purity tests of each capability.
    result = run(tool("lint-imports"), "--no-cache", "--contract", "pure-engines")
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_rule_reads_todays_date():
    # The date of assessment is always an argument (docs/architecture.md).
    reading_the_clock = re.compile(r"date\.today\(|datetime\.now\(|datetime\.utcnow\(|timezone\.now\(|time\.time\(")
    files = [p for base in PURE for p in ([base] if base.is_file() else sorted(base.rglob("*.py")))]
    assert len(files) > 40
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in files
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if reading_the_clock.search(line.split("#", 1)[0])
    ]
    assert offenders == []


def test_ruff_finds_nothing_to_report():
    result = run(tool("ruff"), "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout[-4000:]


def test_the_code_is_formatted():
    result = run(tool("ruff"), "format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout[-4000:]


def test_every_architecture_contract_is_kept():
    result = run(tool("lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout[-4000:]
