"""CLI commands of the missions capability: `accord missions ...`.

The register, FPA list, workflow table and force generation need no
database: they read the versioned reference data and parameters.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import typer
import yaml
from rich.table import Table

from accord.errors import InputError
from accord.platform.clitools import (
    EXIT_BAD_INPUT,
    EXIT_NEGATIVE,
    active_user,
    console,
    emit_json,
    err_console,
    fail,
    parse_date,
    print_problems,
)

app = typer.Typer(help="CSDP missions: register, third-state participation, force generation.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    """Add this capability's command groups to the root `accord` command."""
    root.add_typer(app, name="missions")


def _date(value: str | None, option: str) -> dt.date:
    """The date the answer is for: the option, or today (the CLI's input, not the rules')."""
    try:
        return parse_date(value, option) or dt.date.today()
    except InputError:
        fail(f"{option} {value!r} is not a date (YYYY-MM-DD)")


ON_HELP = "Date of the answer (YYYY-MM-DD); default today."


@app.command("list")
def list_missions(
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
    type: str | None = typer.Option(None, "--type", help="civilian, military or civilian-military."),
    region: str | None = typer.Option(None, "--region", help="Filter by region (theatre)."),
    all_: bool = typer.Option(False, "--all", help="Include closed missions."),
) -> None:
    """List CSDP missions and operations from the register."""
    from .engine.register import (
        IN_BEING,
        MISSION_TYPES,
        STATUS_LABELS,
        compare_with_headline,
        computed_totals,
        in_words,
        launched_totals,
        load_register,
    )

    day = _date(on, "--on")
    reg = load_register()
    if type is not None and type not in MISSION_TYPES:
        fail(f"--type must be one of {', '.join(MISSION_TYPES)}, not {type!r}")
    if region is not None and region not in reg.regions():
        fail(f"--region must be one of: {', '.join(reg.regions())}")
    missions = reg.filter(on=day, type=type, region=region, include_closed=all_)
    comparison = compare_with_headline(reg, day)
    if as_json:
        emit_json(
            {
                "date": day.isoformat(),
                "register_as_of": reg.as_of.isoformat(),
                "filters": {"type": type, "region": region, "include_closed": all_},
                "missions": [m.as_dict(day) for m in missions],
                "computed_totals": computed_totals([m for m in missions if m.status_on(day) in IN_BEING], day),
                "launched_totals": launched_totals(reg.missions, day),
                "published_headline": comparison["published"],
                "first_published_on": comparison["first_published_on"],
                "register_on_published_date": comparison["register_on_published_date"],
            }
        )
        return
    table = Table(title=f"CSDP missions and operations on {day.isoformat()} (register as of {reg.as_of.isoformat()})")
    for col in ("Acronym", "Type", "Theatre", "Established", "Mandate end", "Status", "Strength"):
        table.add_column(col)
    for m in missions:
        table.add_row(
            m.acronym,
            m.type,
            m.theatre,
            # Dates as precisely as the sources give them ("June 2008"), never an invented day.
            m.date_in_words("established"),
            (m.date_in_words("mandate_end") if end == m.mandate_end else in_words(end))
            if (end := m.mandate_end_on(day))
            else "not recorded",
            STATUS_LABELS[m.status_on(day)] + (f" (part of {m.part_of})" if m.part_of else ""),
            str(s) if (s := m.strength_on(day)) is not None else "unknown",
        )
    console.print(table)
    totals = computed_totals([m for m in missions if m.status_on(day) in IN_BEING], day)
    head = comparison["published"]
    published = (
        f"EEAS published figure ({in_words(dt.date.fromisoformat(head['published_on']))}): "
        f"{head['figures']['missions']} missions, "
        f"about {head['figures']['military_personnel_approx']} military and "
        f"{head['figures']['civilian_personnel_approx']} civilian personnel."
        if head
        else "No EEAS published figure is recorded before "
        f"{in_words(dt.date.fromisoformat(comparison['first_published_on']))}."
    )
    console.print(
        f"Not known to have ended: {totals['missions']} ({totals['civilian']} civilian, {totals['military']} military, "
        f"{totals['civilian_military']} civilian-military). " + published,
        highlight=False,
    )


@app.command("show")
def show_mission(
    acronym: str = typer.Argument(..., help='Acronym, e.g. "EUFOR ALTHEA" or eufor-althea.'),
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
) -> None:
    """Show one mission or operation with its sources."""
    from accord.parties import load_registry

    from .engine.register import load_register
    from .engine.words import country_name

    day = _date(on, "--on")
    mission = load_register().get(acronym)
    if mission is None:
        fail(f"no mission {acronym!r} in the register; see `accord missions list --all`")
    data = mission.as_dict(day)
    if as_json:
        emit_json(data)
        return
    table = Table(title=f"{mission.acronym}: {mission.name}", show_header=False)
    table.add_column("Field")
    table.add_column("Value")
    for key in (
        "type",
        "kind",
        "theatre",
        "region",
        "established",
        "launched",
        "mandate_end",
        "status",
        "strength",
        "confidence",
        "note",
    ):
        value = data["dates_in_words"].get(key) if key in data["dates_in_words"] else data[key]
        if key == "status":
            value = data["status_label"]
        table.add_row(key.replace("_", " "), "unknown" if value is None else str(value))
    hosts = [country_name(load_registry(), code) for code in data["host_countries"]]
    table.add_row("host countries", ", ".join(hosts) or "none (international waters or EU territory)")
    table.add_row("legal basis", f"{data['legal_basis']['title']} {data['legal_basis']['href'] or ''}".strip())
    table.add_row("source", f"{data['source']['title']} {data['source']['href'] or ''}".strip())
    console.print(table)


@app.command("fpa")
def fpa_register(
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
) -> None:
    """Third states with a Framework Participation Agreement, and since when."""
    from accord.parties import load_registry

    from .engine.workflow import FPA_FRAMEWORK

    day = _date(on, "--on")
    registry = load_registry()
    rows = [
        {
            "party": m.party,
            "name": registry.party(m.party).name,
            "since": m.start.isoformat() if m.start else None,
            "until": m.end.isoformat() if m.end else None,
            "in_force": m.covers(day),
            "note": m.note,
            "source": m.source.as_dict(),
        }
        for m in registry.memberships_in(FPA_FRAMEWORK)
    ]
    if as_json:
        emit_json({"date": day.isoformat(), "framework": FPA_FRAMEWORK, "agreements": rows})
        return
    table = Table(title=f"Framework Participation Agreements on {day.isoformat()}")
    for col in ("Party", "Name", "Since", "In force", "Note"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["party"], r["name"], r["since"] or "not recorded", "yes" if r["in_force"] else "no", r["note"] or ""
        )
    console.print(table)


@app.command("steps")
def workflow_steps(
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
) -> None:
    """The third-state participation steps and who may take each."""
    from .engine.workflow import transitions

    day = _date(on, "--on")
    table_rows = [t.as_dict() for t in transitions(day).values()]
    if as_json:
        emit_json({"date": day.isoformat(), "transitions": table_rows})
        return
    table = Table(title="Third-state participation: steps, parties and roles")
    for col in ("Action", "From", "To", "Party", "Roles", "Step"):
        table.add_column(col)
    for t in table_rows:
        table.add_row(
            t["action"], ", ".join(t["from"]), t["to"] or "(unchanged)", t["party"], ", ".join(t["roles"]), t["step"]
        )
    console.print(table)


def read_structured_file(path: Path) -> Any:
    """A JSON or YAML file as data; a bad file is an InputError naming the line."""
    if not path.is_file():
        raise InputError(f"file {str(path)!r} not found", field="FILE")
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", line=exc.lineno, field="FILE") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            line=mark.line + 1 if mark else None,
            field="FILE",
        ) from None


@app.command("forcegen")
def forcegen(
    file: Path = typer.Argument(..., help="Statement of requirements and offers (JSON or YAML)."),
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
    on: str | None = typer.Option(None, "--on", help="Assessment date; default the file's `date`."),
) -> None:
    """Fill a statement of requirements from offers; report allocation and gaps.

    Exit 0 when every requirement is filled, 1 when gaps remain, 2 on bad input.
    """
    from accord.parties import load_registry

    from .engine.forcegen import optimise
    from .engine.forcegen_input import parse_forcegen
    from .engine.register import load_register

    day = _date(on, "--on") if on else None
    registry = load_registry()
    try:
        data = read_structured_file(file)
        inp = parse_forcegen(data, registry=registry, on=day, known_missions=load_register())
    except InputError as exc:
        print_problems(exc)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    result = optimise(inp, registry=registry)
    if as_json:
        emit_json(result.as_dict())
    else:
        _print_forcegen(result.as_dict())
    if result.gaps:
        raise typer.Exit(EXIT_NEGATIVE)


def _print_forcegen(data: dict[str, Any]) -> None:
    table = Table(title="Allocation")
    for col in ("Requirement", "Offer", "Party", "Units", "Available from"):
        table.add_column(col)
    for a in data["allocations"]:
        table.add_row(a["requirement"], a["offer"], a["party"], str(a["quantity"]), a["available_from"])
    console.print(table)
    totals = data["totals"]
    cap = data["max_contributor_share"]
    console.print(
        f"Filled {totals['filled']} of {totals['required']} units; cap per "
        f"{'third state' if cap['applies_to'] == 'third_states' else 'contributor'} {cap['cap_personnel']} "
        f"personnel (share {cap['value']:g}, {cap['source']}); Member States "
        f"{'not capped' if cap['applies_to'] == 'third_states' else 'capped too'}.",
        highlight=False,
    )
    for g in data["gaps"]:
        console.print(
            f"[bold]Gap[/] {g['requirement']} ({g['capability']}): {g['missing']} of {g['required']} missing",
            highlight=False,
        )
        for reason in g["reasons"]:
            console.print(f"  - {reason}", highlight=False)


# --- commands that read or change the database, as a named user --------------


@app.command("participations")
def participations_command(
    user: str = typer.Option(..., "--user", help="List as this user: only what their party may see."),
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
) -> None:
    """Third-state participations the user may see, with the steps they may take."""
    from accord.platform.clitools import setup_django

    day = _date(on, "--on")
    setup_django()
    from accord.missions import services

    account = active_user(user)
    rows = [services.participation_row(account, p, day) for p in services.participations_for(account)]
    if as_json:
        emit_json({"date": day.isoformat(), "participations": rows})
        return
    table = Table(title=f"Participations visible to {user} on {day.isoformat()}")
    for col in ("Id", "Mission", "State", "Status", "Needs agreement", "You may"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["mission"],
            r["state"],
            r["status"],
            "yes" if r["needs_mission_agreement"] else "no",
            ", ".join(r["available_actions"]) or "-",
        )
    console.print(table)


@app.command("step")
def step_command(
    participation: int = typer.Argument(..., help="Participation id (see `accord missions participations`)."),
    action: str = typer.Argument(..., help="The step, e.g. recommend, accept (see `accord missions steps`)."),
    user: str = typer.Option(..., "--user", help="Take the step as this user (audited)."),
    reason: str = typer.Option(None, "--reason", help="Why (required to reject or withdraw an offer)."),
    agreement_title: str = typer.Option(
        None, "--agreement-title", help="record_participation_agreement: the agreement's title as published."
    ),
    agreement_signed_on: str = typer.Option(None, "--agreement-signed-on", help="The day it was signed (YYYY-MM-DD)."),
    agreement_href: str = typer.Option(None, "--agreement-href", help="Where it is published (https://...)."),
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
) -> None:
    """Take one participation step, dated today by the service. Exit 1 when the workflow refuses it,
    2 on bad input or no permission."""
    from accord.platform.clitools import setup_django

    setup_django()
    from accord.missions import services
    from accord.missions.engine import words
    from accord.platform import policy

    account = active_user(user)
    try:
        record = services.participation_for(account, participation)
        day = services.server_today()
        agreement = {"title": agreement_title, "signed_on": agreement_signed_on, "href": agreement_href}
        decision = services.take_step(account, record, action, day, reason=reason, agreement=agreement)
    except policy.NotVisible:
        fail(f"no participation {participation} visible to {user}")
    except policy.Forbidden as exc:
        fail(str(exc))
    except InputError as exc:
        print_problems(exc)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except services.StepRefused as exc:
        if as_json:
            emit_json(exc.decision.as_dict())
        else:
            err_console.print("[bold red]Refused:[/] " + "; ".join(exc.decision.reasons), highlight=False)
        raise typer.Exit(EXIT_NEGATIVE) from None
    if as_json:
        emit_json(decision.as_dict())
    else:
        console.print(
            f"{words.action_label(action)}: done (from {words.status_words(decision.from_status)} "
            f"to {words.status_words(decision.to_status)}).",
            highlight=False,
        )
