"""Small helpers shared by every capability's CLI commands.

JSON output is stable: keys are sorted, dates are ISO 8601, and the shape of
each command's output is documented in docs/cli.md.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import sys
from typing import Any, NoReturn

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)

EXIT_OK = 0
EXIT_NEGATIVE = 1  # the command ran, and the answer is "no" (e.g. not eligible)
EXIT_BAD_INPUT = 2


def setup_django() -> None:
    """Configure Django for commands that touch the database (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if hasattr(value, "as_dict"):
        return value.as_dict()
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def to_json(data: Any) -> str:
    return json.dumps(data, default=_default, sort_keys=True, indent=2, ensure_ascii=False)


def emit_json(data: Any) -> None:
    sys.stdout.write(to_json(data) + "\n")


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print a clear error (no traceback) and exit with ``code``."""
    err_console.print(f"[bold red]Error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def parse_date(value: str | None, option: str) -> dt.date | None:
    """A YYYY-MM-DD option value, or None when absent; ``InputError`` naming the option otherwise."""
    from accord.errors import InputError
    from accord.values import to_date

    if value is None:
        return None
    try:
        return to_date(value)
    except ValueError:
        raise InputError(f"{value!r} is not a date (YYYY-MM-DD)", field=option) from None


def print_problems(exc: Any) -> None:
    """Print each problem of an ``InputError`` on its own line, naming where it is."""
    for problem in exc.problems:
        err_console.print(f"[bold red]Error:[/] {problem}", highlight=False)


def active_user(username: str):
    """The active user named ``username`` (for ``--user``); exit 2 with a clear message if none."""
    setup_django()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        fail(f"--user: no active user {username!r}")
    return user
