"""Procurement engine (SAFE eligibility): pure Python, imports no Django.

from accord.parties import load_registry
from accord.procurement.engine import assess, load_case_file, scenario_parameters

registry = load_registry()
case = load_case_file("case.json", registry=registry)
verdict = assess(case, scenario_parameters("uk-participation"), registry)
verdict.as_dict()   # the stable JSON documented in docs/procurement.md
"""

from . import advice, resource
from .assess import assess
from .bom import (
    Bom,
    bom_from_csv,
    bom_from_frame,
    bom_from_records,
    bom_from_upload,
    bom_from_xlsx,
    read_bom_file,
)
from .case import Case, Entity, load_case_file, parse_case
from .limits import DEFAULT_LIMITS, Limits
from .rollup import Rollup, roll_up
from .scenarios import BASELINE, builtin_scenarios, scenario_parameters
from .verdict import Check, Verdict

__all__ = [
    "BASELINE",
    "advice",
    "resource",
    "DEFAULT_LIMITS",
    "Bom",
    "Case",
    "Check",
    "Entity",
    "Limits",
    "Rollup",
    "Verdict",
    "assess",
    "bom_from_csv",
    "bom_from_frame",
    "bom_from_records",
    "bom_from_upload",
    "bom_from_xlsx",
    "builtin_scenarios",
    "load_case_file",
    "parse_case",
    "read_bom_file",
    "roll_up",
    "scenario_parameters",
]
