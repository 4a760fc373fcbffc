"""CLI commands of the dialogue capability: `accord dialogue ...`."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from accord.errors import InputError, Problem
from accord.platform.clitools import EXIT_BAD_INPUT, active_user, console, emit_json, parse_date, print_problems

MAX_COUNT = 200  # a listing limit, not a rule of the partnership

dialogue_app = typer.Typer(help="Strategic consultations, invitations and the exercise calendar.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    """Add this capability's command groups to the root `accord` command."""
    root.add_typer(dialogue_app, name="dialogue")


@dialogue_app.command("schedule")
def schedule_command(
    from_: str | None = typer.Option(
        None, "--from", help="First date to list (YYYY-MM-DD); default: the first consultation of the cycle."
    ),
    count: int = typer.Option(4, "--count", help=f"How many consultations to list (1-{MAX_COUNT})."),
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
) -> None:
    """The six-monthly UK-EU strategic consultations, with alternating hosts."""
    from accord.dialogue.schedule import schedule_data

    problems: list[Problem] = []
    try:
        from_date = parse_date(from_, "--from")
    except InputError as exc:
        problems.extend(exc.problems)
        from_date = None
    if not 1 <= count <= MAX_COUNT:
        problems.append(Problem(f"must be between 1 and {MAX_COUNT}", field="--count"))
    try:
        if problems:
            raise InputError(problems)
        data = schedule_data(count, from_date)
    except InputError as exc:
        print_problems(exc)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if as_json:
        emit_json(data)
        return
    table = Table(title="UK-EU strategic consultations")
    for column in ("#", "Date", "Host"):
        table.add_column(column)
    for c in data["consultations"]:
        table.add_row(str(c["sequence"]), c["date"].isoformat(), c["host_name"])
    console.print(table)
    inferred = [b["label"] for b in data["basis"] if b["confidence"] == "inferred"]
    if inferred:
        console.print("[yellow]Inferred parameters:[/] " + "; ".join(inferred), highlight=False)


@dialogue_app.command("exercises")
def exercises_command(as_json: bool = typer.Option(False, "--json", help="Print stable JSON.")) -> None:
    """The EU crisis-management exercise calendar (reference data, a source per record)."""
    from accord.dialogue.engine.reference import exercises

    records = [e.as_dict() for e in exercises()]
    if as_json:
        emit_json({"exercises": records})
        return
    table = Table(title="EU crisis-management exercises")
    for column in ("Code", "Name", "Start", "End", "Lead"):
        table.add_column(column)
    for e in records:
        table.add_row(e["code"], e["name"], _iso(e["start"]), _iso(e["end"]), ", ".join(e["lead"]))
    console.print(table)


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else "unknown"


@dialogue_app.command("overdue")
def overdue_command(
    user: str = typer.Option(..., "--user", help="Report as this user: only what their party may see."),
    on: str | None = typer.Option(None, "--on", help="As of this date (YYYY-MM-DD); default today."),
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
) -> None:
    """Overdue actions of dialogue meetings, as of a date."""
    from accord.platform.clitools import setup_django

    try:
        day = parse_date(on, "--on")
    except InputError as exc:
        print_problems(exc)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    setup_django()
    from django.utils import timezone

    from accord.dialogue import services

    day = day or timezone.localdate()
    rows = services.overdue_actions(active_user(user), day)
    if as_json:
        emit_json({"on": day, "overdue": rows})
        return
    table = Table(title=f"Overdue actions as of {day.isoformat()}")
    for column in ("Action", "Meeting", "Owner", "Due", "Days overdue"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r["description"], r["meeting_title"], r["owner_party"], r["due"].isoformat(), str(r["days_overdue"])
        )
    console.print(table)


@dialogue_app.command("revoke-feed")
def revoke_feed_command(username: str) -> None:
    """Revoke a user's secret calendar URL (for instance if it leaked)."""
    from accord.platform.clitools import setup_django

    setup_django()
    from accord.dialogue import services

    count = services.revoke_feed(active_user(username))
    console.print(f"Revoked {count} calendar address(es) of {username}.")
