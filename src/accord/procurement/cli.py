"""CLI commands of the procurement capability: `accord safe ...` (no database needed).

    accord safe check CASE [--scenario NAME|FILE] [--on DATE] [--json] [--compare SCENARIO]
    accord safe batch DIR --out results.csv [--scenario NAME|FILE] [--on DATE]
    accord safe scenarios [--json]
    accord safe parameters [--on DATE] [--scenario NAME|FILE] [--json]

Exit codes: 0 eligible (or done), 1 not eligible, 2 bad input.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from pathlib import Path

import typer

from accord.errors import InputError
from accord.platform.clitools import (
    EXIT_BAD_INPUT,
    EXIT_NEGATIVE,
    EXIT_OK,
    console,
    emit_json,
    err_console,
)

safe_app = typer.Typer(
    name="safe",
    help="SAFE procurement eligibility: check a case and its bill of materials against Regulation (EU) 2025/1106.",
    no_args_is_help=True,
)

# The verdict's figures a batch writes, one column each, between the file and its failures.
VERDICT_COLUMNS = (
    "title",
    "scenario",
    "assessment_date",
    "eligible",
    "component_cost_eur",
    "non_eligible_cost_eur",
    "non_eligible_share",
    "headroom_eur",
)
BATCH_COLUMNS = ["file", *VERDICT_COLUMNS, "failed_rules", "errors"]


def register(root: typer.Typer) -> None:
    """Add this capability's command groups to the root `accord` command."""
    root.add_typer(safe_app, name="safe")


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{value!r} is not a date (YYYY-MM-DD)", field=option) from None


def _report_input_error(exc: InputError, as_json: bool) -> None:
    if as_json:
        emit_json(exc.as_dict())
    else:
        err_console.print(f"[bold red]The case cannot be assessed ({len(exc.problems)} problem(s)):[/]")
        for problem in exc.problems:
            err_console.print(f"  • {problem}", highlight=False, markup=False)
    raise typer.Exit(EXIT_BAD_INPUT)


def _registry():
    from accord.parties import PartyDataError, load_registry

    try:
        return load_registry()
    except PartyDataError as exc:
        raise InputError(f"the parties reference data cannot be read: {exc}", field="parties") from None


@safe_app.command("check")
def check_command(
    case_file: Path = typer.Argument(..., help="Case JSON file (its bom_file is read from the same folder)."),
    scenario: str = typer.Option("baseline", "--scenario", "-s", help="Built-in scenario name or a YAML file."),
    on: str | None = typer.Option(None, "--on", help="Assess on this date (YYYY-MM-DD) instead of the case's."),
    compare: str | None = typer.Option(None, "--compare", "-c", help="Also assess under this scenario, side by side."),
    as_json: bool = typer.Option(False, "--json", help="Print the verdict as stable JSON."),
    unknown_origin: str = typer.Option(
        "count",
        "--unknown-origin",
        help="count: a part with no origin counts as non-eligible (the worst case, stated); refuse: it is an error.",
    ),
    xlsx: Path | None = typer.Option(None, "--xlsx", help="Also write the per-part figures to this XLSX file."),
    all_parts: bool = typer.Option(False, "--parts", help="List every part in the JSON, however many."),
) -> None:
    """Is this purchase eligible for SAFE financing? Exit 0 eligible, 1 not eligible, 2 bad input."""
    from accord.procurement.memory import return_freed_memory_at_once

    return_freed_memory_at_once()  # before polars loads: a lower peak (see memory.py)
    from accord.procurement.engine import (
        Limits,
        assess,
        load_case_file,
        scenario_parameters,
    )

    try:
        date = _date(on, "--on")
        registry = _registry()
        params = scenario_parameters(_scenario_source(scenario))
        other = scenario_parameters(_scenario_source(compare)) if compare else None
        if unknown_origin not in ("count", "refuse"):
            raise InputError(
                f"--unknown-origin must be count or refuse, not {unknown_origin!r}", field="--unknown-origin"
            )
        case = load_case_file(
            case_file, registry=registry, limits=Limits.from_environment(), on=date, unknown_origin=unknown_origin
        )
        verdict = assess(case, params, registry, on=date)
        second = assess(case, other, registry, on=date) if other is not None else None
        listed = as_json and (all_parts or _listed_by_default(verdict))
        found = _parts_and_workbook(case, verdict, xlsx) if (listed or xlsx) else []
    except InputError as exc:
        _report_input_error(exc, as_json)
    if as_json:
        first = {**verdict.as_dict(), "parts": [p.as_dict() for p in found] if listed else None}
        if not listed:
            first["parts_note"] = _not_listed_note(verdict)
        emit_json(first if second is None else {"verdicts": [first, second.as_dict()]})
    elif second is None:
        _print_verdict(verdict)
    else:
        _print_comparison(verdict, second)
    raise typer.Exit(EXIT_OK if verdict.eligible else EXIT_NEGATIVE)


def _scenario_source(value: str | None):
    """A built-in name stays a name; anything that looks like a file becomes a path."""
    if value is None:
        return None
    if value.endswith((".yaml", ".yml")) or "/" in value:
        return Path(value)
    return value


def _money(amount: float) -> str:
    return f"-€{-amount:,.2f}" if amount < 0 else f"€{amount:,.2f}"


def _print_verdict(verdict) -> None:
    from rich.table import Table

    data = verdict.as_dict()
    word = "[bold green]ELIGIBLE[/]" if verdict.eligible else "[bold red]NOT ELIGIBLE[/]"
    if data.get("conditional"):
        word = "[bold yellow]CONDITIONALLY ELIGIBLE[/]" if verdict.eligible else word
    console.print(f"[bold]{data['title'] or 'SAFE case'}[/]: {word} for SAFE financing")
    for condition in data.get("conditions", []):
        console.print(f"[yellow]Condition:[/] {condition}.", highlight=False)
    console.print(
        f"Assessed on {data['assessment_date']} under scenario [bold]{data['scenario']}[/]: {data['scenario_label']}",
        highlight=False,
    )
    table = Table(title="Checks", show_lines=True)
    table.add_column("Rule")
    table.add_column("Result")
    table.add_column("Article")
    table.add_column("Why", overflow="fold")
    for check in data["checks"]:
        table.add_row(
            check["rule"], "[green]pass[/]" if check["passed"] else "[red]fail[/]", check["reference"], check["detail"]
        )
    console.print(table)
    costs = Table(title="Component cost by origin")
    costs.add_column("Origin")
    costs.add_column("Status")
    costs.add_column("Cost", justify="right")
    costs.add_column("Counted non-eligible", justify="right")
    for origin in data["origins"]:
        costs.add_row(
            origin["origin"],
            origin["status"].replace("_", " "),
            _money(origin["cost_eur"]),
            _money(origin["non_eligible_eur"]),
        )
    costs.add_row("[bold]Total[/]", "", _money(data["component_cost_eur"]), _money(data["non_eligible_cost_eur"]))
    console.print(costs)
    console.print(
        f"Non-eligible share {data['non_eligible_share']:.2%} (limit {data['non_eligible_cap']:.0%}).",
        highlight=False,
    )
    for sentence in (data.get("headroom") or {}).get("sentences", []):
        console.print(f"Headroom: {sentence}", highlight=False)
    if data.get("unknown_origin_cost_eur"):
        console.print(
            f"{_money(data['unknown_origin_cost_eur'])} of components have no origin in the BOM and "
            "are counted as non-eligible (the worst case).",
            highlight=False,
        )
    for rate in data.get("rates", []):
        fixing = f"ECB reference rate of {rate['fixing_date']}" if rate["fixing_date"] else "rate given in the case"
        console.print(f"Rate used: 1 EUR = {rate['per_euro']} {rate['currency']} ({fixing}).", highlight=False)
    for warning in data["warnings"]:
        console.print(f"[yellow]Note:[/] {warning}", highlight=False)
    for declared in data.get("declarations", []):  # supplier parts: what their declarations gave
        console.print(f"[yellow]Supplier declaration:[/] {declared['reason'][:1].upper()}{declared['reason'][1:]}.")


def _print_comparison(first, second) -> None:
    from rich.table import Table

    a, b = first.as_dict(), second.as_dict()
    console.print(f"[bold]{a['title'] or 'SAFE case'}[/], assessed on {a['assessment_date']}", highlight=False)
    table = Table(show_lines=True)
    table.add_column("")
    table.add_column(a["scenario"], overflow="fold")
    table.add_column(b["scenario"], overflow="fold")

    def verdict_word(d):
        return "[green]eligible[/]" if d["eligible"] else "[red]not eligible[/]"

    table.add_row("Verdict", verdict_word(a), verdict_word(b))
    for key, label in (
        ("component_cost_eur", "Component cost"),
        ("non_eligible_cost_eur", "Non-eligible cost"),
        ("headroom_eur", "Headroom"),
    ):
        table.add_row(label, _money(a[key]), _money(b[key]))
    table.add_row("Non-eligible share", f"{a['non_eligible_share']:.2%}", f"{b['non_eligible_share']:.2%}")
    # Both scenarios apply the same rules in the same order; a subcontractor may pass on its own
    # under one scenario and need the derogation under the other, so rows pair by position.
    for left, right in itertools.zip_longest(a["checks"], b["checks"]):
        label = left["rule"] if left else right["rule"]
        table.add_row(label, _check_cell(left, label), _check_cell(right, label))
    console.print(table)
    for warning in a["warnings"] + b["warnings"]:
        console.print(f"[yellow]Note:[/] {warning}", highlight=False)


def _check_cell(check, row_rule: str) -> str:
    if check is None:
        return "-"
    prefix = "" if check["rule"] == row_rule else f"({check['rule']}) "
    return prefix + ("[green]pass[/] " if check["passed"] else "[red]fail[/] ") + check["detail"]


@safe_app.command("batch")
def batch_command(
    directory: Path = typer.Argument(..., help="Folder of case JSON files (*.bom.json files are BOMs, not cases)."),
    out: Path = typer.Option(..., "--out", "-o", help="CSV file to write, one row per case."),
    scenario: str = typer.Option("baseline", "--scenario", "-s", help="Built-in scenario name or a YAML file."),
    on: str | None = typer.Option(None, "--on", help="Assess every case on this date (YYYY-MM-DD)."),
) -> None:
    """Assess every case in a folder and write one CSV row per case (exit 2 if any case had bad input)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from accord.procurement.engine import (
        Limits,
        assess,
        load_case_file,
        scenario_parameters,
    )

    try:
        date = _date(on, "--on")
        if not directory.is_dir():
            raise InputError(f"{str(directory)!r} is not a folder", field="DIR")
        registry = _registry()
        params = scenario_parameters(_scenario_source(scenario))
    except InputError as exc:
        _report_input_error(exc, False)
    files = sorted(p for p in directory.glob("*.json") if not p.name.endswith(".bom.json"))
    limits = Limits.from_environment()
    counts = {"eligible": 0, "not eligible": 0, "bad input": 0}
    rows = []
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
    ) as progress:
        task = progress.add_task("Assessing cases", total=len(files))
        for path in files:
            row = dict.fromkeys(BATCH_COLUMNS, "")
            row["file"] = path.name
            try:
                case = load_case_file(path, registry=registry, limits=limits, on=date)
                verdict = assess(case, params, registry, on=date).as_dict()
                row.update({k: verdict[k] for k in VERDICT_COLUMNS})
                row["failed_rules"] = " ".join(c["rule"] for c in verdict["checks"] if not c["passed"])
                counts["eligible" if verdict["eligible"] else "not eligible"] += 1
            except InputError as exc:
                row["scenario"] = params.scenario
                row["errors"] = "; ".join(str(p) for p in exc.problems)
                counts["bad input"] += 1
            rows.append(row)
            progress.advance(task)
    _write_csv_atomically(out, [{k: spreadsheet_safe(v) for k, v in row.items()} for row in rows])
    console.print(
        f"{len(files)} case(s): {counts['eligible']} eligible, {counts['not eligible']} not eligible, "
        f"{counts['bad input']} with bad input. Results in {out}",
        highlight=False,
    )
    raise typer.Exit(EXIT_BAD_INPUT if counts["bad input"] else EXIT_OK)


def spreadsheet_safe(value):
    """A text cell a spreadsheet would run as a formula is shown, not run (one definition, in
    ``engine.advice``, imported late so `accord` starts without the engine)."""
    from accord.procurement.engine.advice import spreadsheet_safe as safe

    return safe(value)


def _write_csv_atomically(out: Path, rows: list[dict]) -> None:
    import io

    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=BATCH_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    _write_atomically(out, text.getvalue().encode("utf-8"))


@safe_app.command("scenarios")
def scenarios_command(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List the built-in scenarios (pass a name, or your own YAML file, to --scenario)."""
    from accord.procurement.engine import builtin_scenarios

    found = builtin_scenarios()
    if as_json:
        emit_json([{"name": name, "label": label} for name, label in found.items()])
        return
    for name, label in found.items():
        console.print(f"[bold]{name}[/]: {label}", highlight=False)


@safe_app.command("parameters")
def parameters_command(
    on: str | None = typer.Option(None, "--on", help="Show the values in force on this date (YYYY-MM-DD)."),
    scenario: str = typer.Option("baseline", "--scenario", "-s", help="Built-in scenario name or a YAML file."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """The SAFE parameters (values, references, confidence), optionally the values on a date."""
    from rich.table import Table

    from accord.procurement.engine import scenario_parameters
    from accord.rules.parameters import ParameterNotInForce

    try:
        date = _date(on, "--on")
        params = scenario_parameters(_scenario_source(scenario))
    except InputError as exc:
        _report_input_error(exc, as_json)
    described = []
    for name in params.names("safe."):
        entry = params[name].describe()
        if date is not None:
            try:
                value = params.value(name, date)
                entry["value_on_date"] = value.isoformat() if isinstance(value, dt.date) else value
            except ParameterNotInForce:
                entry["value_on_date"] = None
        described.append(entry)
    if as_json:
        emit_json({"scenario": params.scenario, "on": date, "parameters": described})
        return
    table = Table(title=f"SAFE parameters ({params.scenario})")
    for column in ("Name", "Value" if date else "Values", "Confidence", "Reference"):
        table.add_column(column, overflow="fold")
    for entry in described:
        value = entry["value_on_date"] if date else entry["values"]
        table.add_row(entry["name"], str(value), entry["confidence"], entry["reference"][0]["title"])
    console.print(table)


# -- advice a firm can act on (issue 10): per-part figures, re-sourcing plan ---------------------


def _listed_by_default(verdict) -> bool:
    from accord.procurement.engine.advice import parts_listed_by_default

    return parts_listed_by_default(verdict)


def _not_listed_note(verdict) -> str:
    from accord.procurement.engine.advice import parts_not_listed_note

    return parts_not_listed_note(verdict)


def _parts_and_workbook(case, verdict, xlsx: Path | None):
    from accord.procurement.engine import advice

    found = advice.parts(case, verdict)
    if xlsx is not None:
        _write_bytes_atomically(xlsx, advice.parts_workbook(found, verdict))
    return found


def _write_bytes_atomically(out: Path, content: bytes) -> None:
    import os
    import tempfile

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise InputError(f"cannot write {str(out)!r}: {exc.strerror}", field="--xlsx") from None
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(content)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@safe_app.command("resource")
def resource_command(
    case_file: Path = typer.Argument(..., help="Case JSON file (its bom_file is read from the same folder)."),
    candidates: Path | None = typer.Option(
        None,
        "--candidates",
        help="CSV, XLSX or JSON of eligible suppliers: part, unit_cost, currency, origin, supplier, pinned.",
    ),
    pin: list[str] = typer.Option([], "--pin", help="A part that cannot change supplier (repeat for more)."),
    scenario: str = typer.Option("baseline", "--scenario", "-s", help="Built-in scenario name or a YAML file."),
    on: str | None = typer.Option(None, "--on", help="Assess on this date (YYYY-MM-DD) instead of the case's."),
    time_limit: float = typer.Option(30.0, "--time-limit", min=1.0, max=600.0, help="Seconds the solver may take."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as stable JSON."),
) -> None:
    """The least-cost set of non-eligible parts to re-source so the case passes the component-cost
    rule. Exit 0 a passing plan (or nothing to do), 1 no plan can pass, 2 bad input."""
    from accord.procurement.engine import Limits, advice, assess, load_case_file, resource, scenario_parameters

    try:
        date = _date(on, "--on")
        registry = _registry()
        params = scenario_parameters(_scenario_source(scenario))
        case = load_case_file(case_file, registry=registry, limits=Limits.from_environment(), on=date)
        verdict = assess(case, params, registry, on=date)
        offers = None
        if candidates is not None:
            offers = _read_candidates(candidates, case, verdict, params, registry)
        found = advice.parts(case, verdict)
        result = resource.plan(found, verdict, candidates=offers, pins=pin, time_limit=time_limit)
    except InputError as exc:
        _report_input_error(exc, as_json)
    if as_json:
        emit_json(result.as_dict())
    else:
        _print_plan(result)
    raise typer.Exit(EXIT_OK if result.passes_after else EXIT_NEGATIVE)


def _read_candidates(path: Path, case, verdict, params, registry):
    from accord.procurement.engine import resource
    from accord.procurement.engine.countries import AGREEMENT, ELIGIBLE, CountryRules

    if not path.is_file():
        raise InputError(f"candidates file {str(path)!r} not found", field="--candidates")
    countries = CountryRules(params, registry, verdict.assessment_date)
    return resource.read_candidates(
        path.read_bytes(),
        path.name,
        to_euro=resource.euro_converter(case, verdict),
        origin_ok=lambda code: countries.status(code) in (ELIGIBLE, AGREEMENT),
    )


def _print_plan(result) -> None:
    from rich.table import Table

    data = result.as_dict()
    word = "[bold green]passes[/]" if data["passes_after"] else "[bold red]cannot pass[/]"
    console.print(f"Re-sourcing plan ({data['method']}): the component-cost rule {word}", highlight=False)
    console.print(data["explanation"], highlight=False)
    if data["moves"]:
        table = Table(title="Parts to re-source")
        for column in ("Part", "Cost now", "New cost", "Extra", "Supplier"):
            table.add_column(column, justify="right" if column in ("Cost now", "New cost", "Extra") else "left")
        for move in data["moves"]:
            table.add_row(
                move["id"],
                _money(move["old_cost_eur"]),
                _money(move["new_cost_eur"]),
                _money(move["extra_cost_eur"]),
                " ".join(filter(None, [move["supplier"], move["origin"]])) or "-",
            )
        console.print(table)
    for entry in data["cannot_move"]:
        console.print(f"Cannot move: {entry['id']}: {entry['why']}.", highlight=False)
    for note in data["notes"]:
        console.print(f"[yellow]Note:[/] {note}", highlight=False)


# -- commands that use the database (stored assessments) --------------------------------------


def _user_or_fail(username: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InputError(f"no active user {username!r}", field="--user")
    return user


@safe_app.command("submit")
def submit_command(
    case_file: Path = typer.Argument(..., help="Case JSON file (its bom_file is read from the same folder)."),
    user: str = typer.Option(..., "--user", help="Store the assessment as this user (an editor of their party)."),
    scenario: str = typer.Option("baseline", "--scenario", "-s", help="A built-in scenario name."),
    as_json: bool = typer.Option(False, "--json", help="Print the stored assessment as JSON."),
) -> None:
    """Assess a case and store it (audited), shared with the procurers and the Commission.

    Exit 0 eligible, 1 not eligible, 2 bad input (nothing stored)."""
    from accord.platform.clitools import setup_django

    setup_django()
    from accord.platform import policy
    from accord.procurement import services
    from accord.procurement.api import assessment_out
    from accord.procurement.engine import load_case_file

    try:
        acting = _user_or_fail(user)
        case = load_case_file(case_file, registry=services.registry(), limits=services.limits())
        assessment = services.create_assessment(acting, services.case_record(case), scenario=scenario)
    except InputError as exc:
        _report_input_error(exc, as_json)
    except policy.Forbidden as exc:
        err_console.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if as_json:
        emit_json(assessment_out(assessment))
    else:
        _print_verdict(_StoredVerdict(assessment.verdict))
        console.print(f"Stored as assessment {assessment.pk}: /safe/assessments/{assessment.pk}/", highlight=False)
    raise typer.Exit(EXIT_OK if assessment.eligible else EXIT_NEGATIVE)


class _StoredVerdict:
    """A stored verdict (JSON) with the two attributes ``_print_verdict`` reads."""

    def __init__(self, data: dict) -> None:
        self._data = data
        self.eligible = data["eligible"]

    def as_dict(self) -> dict:
        return self._data


@safe_app.command("assessments")
def assessments_command(
    user: str = typer.Option(..., "--user", help="List as this user: only what their party may see."),
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
) -> None:
    """The stored SAFE assessments a user may see."""
    from rich.table import Table

    from accord.platform.clitools import setup_django

    setup_django()
    from accord.platform import policy
    from accord.procurement.api import assessment_out
    from accord.procurement.models import Assessment

    try:
        acting = _user_or_fail(user)
    except InputError as exc:
        _report_input_error(exc, as_json)
    records = policy.visible(acting, Assessment.objects.select_related("owner").prefetch_related("shared_with"))
    rows = [assessment_out(a, with_case=False) for a in records]
    if as_json:
        emit_json(rows)
        return
    table = Table(title="SAFE assessments")
    for column in ("Id", "Case", "Owner", "Assessed on", "Scenario", "Verdict"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["title"],
            r["owner"],
            r["assessment_date"],
            r["scenario"],
            "eligible" if r["eligible"] else "not eligible",
        )
    console.print(table)


# -- the report (PDF) and the BOM template (XLSX) ------------------------------------------------


@safe_app.command("report")
def report_command(
    case_file: Path = typer.Argument(..., help="Case JSON file (its bom_file is read from the same folder)."),
    out: Path = typer.Option(..., "--out", "-o", help="PDF file to write."),
    scenario: str = typer.Option("baseline", "--scenario", "-s", help="Built-in scenario name or a YAML file."),
    on: str | None = typer.Option(None, "--on", help="Assess on this date (YYYY-MM-DD) instead of the case's."),
) -> None:
    """Assess a case and write its report as PDF: the verdict, each check with its article, the
    figures, the parameters applied and the fingerprints of the parameters and the input.

    Exit 0 eligible, 1 not eligible, 2 bad input (no file written)."""
    import json

    from accord.procurement.engine import Limits, assess, load_case_file, scenario_parameters

    try:
        date = _date(on, "--on")
        if out.suffix.lower() != ".pdf":
            raise InputError(f"{out.name!r}: the report is a PDF; name the file .pdf", field="--out")
        registry = _registry()
        params = scenario_parameters(_scenario_source(scenario))
        case = load_case_file(case_file, registry=registry, limits=Limits.from_environment(), on=date)
        verdict = assess(case, params, registry, on=date)
        files = [(case_file.name, case_file.read_bytes())]
        bom_file = json.loads(files[0][1]).get("bom_file")
        if isinstance(bom_file, str):
            files.append((Path(bom_file.strip()).name, (case_file.parent / bom_file.strip()).read_bytes()))
    except InputError as exc:
        _report_input_error(exc, False)
    from accord.platform.clitools import setup_django

    setup_django()
    from accord.procurement import report, services

    result = verdict.as_dict()
    canonical = {**services.case_record(case), "assessment_date": result["assessment_date"]}
    from accord.procurement.engine import advice

    parts = [p.as_dict() for p in advice.parts(case, verdict)]
    context = report.report_context(result, params, case=canonical, files=files, registry=registry, parts=parts)
    _write_atomically(out, report.render_pdf(report.render_html(context)))
    console.print(
        f"Report written to {out}: {'eligible' if verdict.eligible else 'not eligible'}; "
        f"parameters fingerprint {context['parameters_fingerprint']}",
        highlight=False,
    )
    raise typer.Exit(EXIT_OK if verdict.eligible else EXIT_NEGATIVE)


@safe_app.command("template")
def template_command(
    out: Path = typer.Option(..., "--out", "-o", help="XLSX file to write."),
) -> None:
    """Write the bill of materials template (XLSX): its columns, instructions, country and
    currency lists with dropdowns, and example lines."""
    from accord.procurement.engine.bom_template import bom_template

    try:
        if out.suffix.lower() != ".xlsx":
            raise InputError(f"{out.name!r}: the template is a workbook; name the file .xlsx", field="--out")
        registry = _registry()
    except InputError as exc:
        _report_input_error(exc, False)
    _write_atomically(out, bom_template(registry))
    console.print(f"Bill of materials template written to {out}", highlight=False)


def _write_atomically(out: Path, content: bytes) -> None:
    """Write to a temporary file beside the target, then rename it over the target: a reader
    never sees half a file, and an interrupted run leaves the previous file whole."""
    import os
    import tempfile

    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- supplier declarations and re-evaluation (stored records) -------------------------------------

declarations_app = typer.Typer(
    name="declarations", help="Supplier origin declarations, stored per party.", no_args_is_help=True
)
safe_app.add_typer(declarations_app, name="declarations")


@declarations_app.command("import")
def declarations_import_command(
    file: Path = typer.Argument(
        ..., help="CSV or XLSX: supplier, part number, origin, valid from, valid to, document reference."
    ),
    party: str = typer.Option(..., "--party", help="The party the declarations belong to (the user's own)."),
    user: str = typer.Option(..., "--user", help="Store them as this user (an editor of the party; audited)."),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Store supplier declarations (all or nothing: any bad row refuses the file, exit 2)."""
    from accord.platform.clitools import setup_django

    setup_django()
    from accord.platform import policy
    from accord.procurement import declarations

    try:
        acting = _user_or_fail(user)
        if not file.is_file():
            raise InputError(f"{file.name}: file not found", field="FILE")
        result = declarations.import_declarations(acting, file.name, file.read_bytes(), party=party)
    except InputError as exc:
        _report_input_error(exc, as_json)
    except policy.Forbidden as exc:
        err_console.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if as_json:
        emit_json(result)
    else:
        console.print(f"{result['added']} declaration(s) added, {result['updated']} replaced.", highlight=False)


@declarations_app.command("expiring")
def declarations_expiring_command(
    days: int = typer.Option(90, "--days", help="List declarations ending within this many days."),
    user: str = typer.Option(..., "--user", help="List as this user: only their party's declarations."),
    on: str | None = typer.Option(None, "--on", help="Count the days from this date (YYYY-MM-DD) instead of today."),
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
) -> None:
    """Declarations valid today (or --on) that end within the next N days, soonest first."""
    from rich.table import Table

    from accord.platform.clitools import setup_django

    setup_django()
    from accord.procurement import declarations

    try:
        acting = _user_or_fail(user)
        records = list(declarations.expiring(acting, days, today=_date(on, "--on")))
    except InputError as exc:
        _report_input_error(exc, as_json)
    rows = [declarations.as_declaration(r).as_dict() for r in records]
    if as_json:
        emit_json(rows)
        return
    table = Table(title=f"Supplier declarations ending within {days} days")
    for column in ("Supplier", "Part number", "Origin", "Valid to", "Document"):
        table.add_column(column)
    for r in rows:
        table.add_row(r["supplier"], r["part_number"], r["origin"], r["valid_to"], r["document_reference"])
    console.print(table)


@safe_app.command("reassess")
def reassess_command(
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Evaluate every stored assessment under the parameters in force now; flag (never rewrite) those
    whose verdict or figures change. Run it after changing parameters or a scenario."""
    from accord.platform.clitools import setup_django

    setup_django()
    from accord.procurement import reassessment

    summary = reassessment.reassess_all()
    if as_json:
        emit_json(summary.as_dict())
    else:
        console.print(summary.sentence(), highlight=False)
        for pk in summary.flagged:
            console.print(f"  would change: /safe/assessments/{pk}/", highlight=False)
        for pk, problem in summary.failed:
            console.print(f"  could not be evaluated: /safe/assessments/{pk}/ ({problem})", highlight=False)
