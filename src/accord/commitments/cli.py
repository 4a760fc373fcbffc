"""CLI commands of the commitments capability: `accord commitments ...`.

These read reference data files and parameters only: no database.
"""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from accord.errors import InputError
from accord.platform.clitools import (
    EXIT_BAD_INPUT,
    EXIT_NEGATIVE,
    active_user,
    console,
    emit_json,
    err_console,
    parse_date,
)

commitments_app = typer.Typer(
    help="Defence spending against targets, SAFE allocations and the groupings register.",
    no_args_is_help=True,
)

ON_HELP = "Assessment date (YYYY-MM-DD); default: today."
STATUS_STYLE = {"met": "green", "on_track": "cyan", "behind": "red", "unknown": "yellow"}


def register(root: typer.Typer) -> None:
    """Add this capability's command groups to the root `accord` command."""
    root.add_typer(commitments_app, name="commitments")


def _assessment_date(value: str | None) -> dt.date:
    # The entry point decides the date; the rules only ever receive it.
    return parse_date(value, "--on") or dt.date.today()


def _run(build):
    """Call ``build()``; print every input problem and exit 2 instead of a traceback."""
    try:
        return build()
    except InputError as exc:
        for problem in exc.problems:
            err_console.print(f"[bold red]Error:[/] {problem}", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _pct(value) -> str:
    return "-" if value is None else f"{value:.2f}%"


@commitments_app.command("status")
def status_command(
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
    state: list[str] | None = typer.Option(None, "--state", help="Only this state (ISO code); repeatable."),
    target: list[str] | None = typer.Option(None, "--target", help="Only this target id; repeatable."),
    user: str | None = typer.Option(
        None, "--user", help="Read the stored figures as this user (what the API shows), not the shipped data files."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
) -> None:
    """Each state against each spending target in force: met, on track, behind or unknown."""
    from accord.commitments.reports import check_filters, status_data

    def build():
        # Collect every problem (date, states, targets) before answering.
        problems = []
        day = None
        try:
            day = _assessment_date(on)
        except InputError as exc:
            problems.extend(exc.problems)
        try:
            check_filters(state, target)
        except InputError as exc:
            problems.extend(exc.problems)
        if problems:
            raise InputError(problems)
        if user:
            account = active_user(user)
            from accord.commitments import services

            return services.status_for(account, day, states=state, target_ids=target)
        return status_data(day, states=state, target_ids=target)

    data = _run(build)
    if as_json:
        emit_json(data)
        return
    table = Table(title=f"Defence spending against targets, as of {data['assessed_on']}")
    for column in ("Target", "State", "Latest figure", "Year", "Status", "Needs / year"):
        table.add_column(column)
    for row in data["statuses"]:
        figure = row["figure"]
        style = STATUS_STYLE[row["status"]]
        needed = row["required_annual_increase"]
        table.add_row(
            row["target_label"],
            row["state"],
            _pct(figure["percent_gdp"]) if figure else "no figure",
            str(figure["year"]) if figure else "-",
            f"[{style}]{row['status'].replace('_', ' ')}[/]",
            f"+{needed:.3f} pp" if needed is not None else "-",
        )
    console.print(table)
    rule = data["rule"]
    console.print(
        f"On track: the straight line to the target needs at most {rule['max_annual_increase']} "
        f"percentage points a year ({rule['parameter']['confidence']} parameter).",
        highlight=False,
    )


@commitments_app.command("targets")
def targets_command(
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
) -> None:
    """The spending targets in force on a date, with their reference."""
    from accord.commitments.reports import targets_data

    data = _run(lambda: targets_data(_assessment_date(on)))
    if as_json:
        emit_json(data)
        return
    table = Table(title=f"Spending targets in force on {data['assessed_on']}")
    for column in ("Id", "Target", "Level", "Deadline", "Applies to", "Confidence"):
        table.add_column(column)
    for t in data["targets"]:
        applies = t["applies_to"].get("framework") or t["applies_to"].get("state")
        table.add_row(t["id"], t["label"], _pct(t["level_percent_gdp"]), t["deadline"], applies, t["confidence"])
    console.print(table)


@commitments_app.command("spending")
def spending_command(
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
    user: str | None = typer.Option(
        None, "--user", help="Read the stored figures as this user (what the API shows), not the shipped data files."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
) -> None:
    """Defence spending as % of GDP per state: the latest figure published by the date."""
    from accord.commitments.reports import spending_data

    def build():
        day = _assessment_date(on)
        if user:
            account = active_user(user)
            from accord.commitments import services

            return services.spending_for(account, day)
        return spending_data(day)

    data = _run(build)
    if as_json:
        emit_json(data)
        return
    table = Table(title=f"Defence spending, % of GDP, latest known on {data['assessed_on']}")
    for column in ("State", "Figure", "Year", "Source"):
        table.add_column(column)
    for row in data["latest"]:
        figure = row["figure"]
        if figure is None:
            table.add_row(row["name"], "no figure", "-", row["gap_note"] or "not yet published")
        else:
            approx = "≈" if figure["approximate"] else ""
            table.add_row(
                row["name"], approx + _pct(figure["percent_gdp"]), str(figure["year"]), figure["source"]["title"]
            )
    console.print(table)


@commitments_app.command("safe-allocations")
def safe_allocations_command(
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
) -> None:
    """SAFE allocations per Member State, the total and the Art. 13 three-largest check (exit 1 if a check fails)."""
    from accord.commitments.reports import allocations_data

    data = _run(lambda: allocations_data(_assessment_date(on)))
    if as_json:
        emit_json(data)
    else:
        table = Table(title="SAFE allocations per Member State")
        for column in ("Member State", "EUR", "Share"):
            table.add_column(column)
        for row in data["allocations"]:
            table.add_row(row["name"], f"{row['amount_eur']:,}", f"{row['share'] * 100:.2f}%")
        table.add_row("Total", f"{data['total_eur']:,}", "100.00%")
        console.print(table)
        for check in data["checks"]:
            mark = "[green]pass[/]" if check["passed"] else "[red]FAIL[/]"
            console.print(f"{mark} {check['reason']} ({check['reference']}, {check['confidence']})", highlight=False)
    if not data["passed"]:
        raise typer.Exit(EXIT_NEGATIVE)


@commitments_app.command("groupings")
def groupings_command(
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
) -> None:
    """JEF, E5, the coalition of the willing and bilateral treaties, with members on the date."""
    from accord.commitments.reports import groupings_data

    data = _run(lambda: groupings_data(_assessment_date(on)))
    if as_json:
        emit_json(data)
        return
    table = Table(title=f"Groupings and treaties, members on {data['assessed_on']}")
    for column in ("Grouping", "Kind", "Members on date", "Source"):
        table.add_column(column)
    for g in data["groupings"]:
        members = ", ".join(g["members_on_date"]) or "none recorded"
        table.add_row(g["name"], g["kind"], members, g["source"]["title"] if g["source"] else "-")
    console.print(table)
