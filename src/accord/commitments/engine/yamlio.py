"""Small helpers to read the versioned YAML data files and report every fault.

Each reader collects ``Problem``s (naming the item and field) and raises one
``InputError`` at the end, so a bad file is explained in one go.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from accord.errors import InputError, Problem
from accord.values import to_date


def problem(message: str, *, field: str | None = None, item: str | None = None) -> Problem:
    return Problem(message, field=field, item=item)


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"data file {str(path)!r} not found", field="path") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError([Problem(f"not valid YAML ({exc})", line=line, field=str(path))]) from None


def as_date(value: Any, field: str, item: str | None, problems: list) -> dt.date | None:
    try:
        return to_date(value)
    except ValueError:
        problems.append(problem(f"{value!r} is not a date (YYYY-MM-DD)", field=field, item=item))
        return None


def as_decimal(value: Any, field: str, item: str | None, problems: list) -> Decimal | None:
    """A decimal from a YAML number, through its printed form (4.48 stays 4.48)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        problems.append(problem(f"{value!r} is not a number", field=field, item=item))
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems.append(problem(f"{value!r} is not a number", field=field, item=item))
        return None
    if not number.is_finite():
        problems.append(problem(f"{value!r} is not a finite number", field=field, item=item))
        return None
    return number


def is_state_code(value: Any) -> bool:
    """ISO 3166-1 alpha-2 shape: two capital letters."""
    return isinstance(value, str) and len(value) == 2 and value.isascii() and value.isupper()


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InputError(problems)
