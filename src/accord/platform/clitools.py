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
import typer.core
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


# --- one place for input errors, refusals and exit codes ----------------------


def _refusal_message(exc: BaseException) -> tuple[str, int] | None:
    """(message, exit code) for an exception that is the user's input or a refusal, or None."""
    import zipfile

    from accord.errors import InputError
    from accord.rules.parameters import ParameterNotInForce

    if isinstance(exc, InputError):
        return "", EXIT_BAD_INPUT  # printed problem by problem
    if isinstance(exc, ParameterNotInForce):
        return f"{exc}: choose a date on which the rule is in force", EXIT_BAD_INPUT
    name = type(exc).__name__
    if name in ("NotVisible",):
        return "not found (or not visible to this user)", EXIT_BAD_INPUT
    if name in ("Forbidden",):
        return f"not permitted: {exc}" if str(exc) else "not permitted for this user", EXIT_BAD_INPUT
    if isinstance(exc, (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError)):
        return f"{exc.strerror or 'cannot read'}: {exc.filename}", EXIT_BAD_INPUT
    if isinstance(exc, UnicodeError):
        return f"the input is not UTF-8 text ({exc})", EXIT_BAD_INPUT
    if isinstance(exc, (ValueError, OverflowError, LookupError, zipfile.BadZipFile, RecursionError, TypeError)):
        return f"the input could not be used: {exc or name}", EXIT_BAD_INPUT
    return None


def run_guarded(invoke, *args, **kwargs):
    """Run a command; turn input errors and refusals into a clear message and exit 2, never a traceback.

    Anything else (a bug, the database down) is reported in one line too and
    exits 3; ``ACCORD_TRACEBACK=1`` shows the traceback for a bug report.
    """

    try:
        return invoke(*args, **kwargs)
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:
        if any(k.__name__ in _CLICK_OWN for k in type(exc).__mro__):
            raise  # usage errors and exits: Click (vendored by Typer) prints them and exits 2 itself
        if os.environ.get("ACCORD_TRACEBACK") == "1":
            raise
        known = _refusal_message(exc)
        if known is None:
            err_console.print(
                f"[bold red]Error:[/] the command failed ({type(exc).__name__}: {exc}); "
                "set ACCORD_TRACEBACK=1 to see where",
                highlight=False,
            )
            raise typer.Exit(EXIT_INTERNAL) from None
        message, code = known
        if message:
            err_console.print(f"[bold red]Error:[/] {message}", highlight=False)
        else:
            print_problems(exc)
        raise typer.Exit(code) from None


EXIT_INTERNAL = 3  # not the user's fault: a bug or an unavailable service
_CLICK_OWN = {"ClickException", "Exit", "Abort"}


class GuardedGroup(typer.core.TyperGroup):
    """The root command group: every subcommand of every group runs through ``run_guarded``."""

    def invoke(self, ctx):
        return run_guarded(super().invoke, ctx)
