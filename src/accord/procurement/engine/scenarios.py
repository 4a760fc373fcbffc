"""Baseline parameters and scenarios (parameter overrides) for SAFE.

Built-in scenarios are YAML files in ``accord/rules/safe/scenarios/``; a user
may give any YAML file of the same shape (``name``, ``label``, ``overrides``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from accord.errors import InputError
from accord.rules.parameters import (
    RULES_ROOT,
    ParameterError,
    ParameterSet,
    load_parameters,
    load_scenario,
)

SCENARIO_DIR = RULES_ROOT / "safe" / "scenarios"
BASELINE = "baseline"


def baseline_parameters() -> ParameterSet:
    return load_parameters("safe")


def builtin_scenarios() -> dict[str, str]:
    """Name -> label of every built-in scenario, the baseline first."""
    found = {BASELINE: baseline_parameters().scenario_label}
    for path in sorted(SCENARIO_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found[path.stem] = str(data.get("label") or path.stem)
    return found


def scenario_parameters(source: str | Path | Mapping[str, Any] | None = None) -> ParameterSet:
    """The baseline, a built-in scenario by name, or a YAML file (path) of overrides."""
    baseline = baseline_parameters()
    if source is None or source == BASELINE:
        return baseline
    try:
        return load_scenario(baseline, source, builtin_dir=SCENARIO_DIR)
    except ParameterError as exc:
        raise InputError(str(exc), field="scenario") from None
    except (ValueError, TypeError) as exc:  # a malformed override value
        raise InputError(f"scenario: {exc}", field="scenario") from None
