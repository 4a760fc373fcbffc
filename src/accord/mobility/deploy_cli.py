"""`accord move deploy FORCE`: schedule a whole force against the capacity data (no database needed)."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.errors import InputError, Problem
from accord.platform.clitools import EXIT_BAD_INPUT, console, emit_json, err_console


def _problems(problems: list[Problem]) -> None:
    for p in problems:
        err_console.print(f"[bold red]Error:[/] {p}", highlight=False)
    raise typer.Exit(EXIT_BAD_INPUT)


def register_deploy(move_app: typer.Typer) -> None:
    @move_app.command("deploy")
    def deploy_command(
        force: Path = typer.Argument(..., help="The force list: CSV, XLSX or JSON, one row per unit and vehicle type."),
        assets: Path | None = typer.Option(
            None, "--assets", help="YAML overriding ships, trains, transporters, node throughput."
        ),
        time_limit: float = typer.Option(
            30.0, "--time-limit", help="Seconds the solver may spend improving the greedy schedule."
        ),
        greedy_only: bool = typer.Option(False, "--greedy-only", help="Keep the greedy schedule (no solver)."),
        csv_out: Path | None = typer.Option(None, "--csv", help="Write the schedule as CSV to this file."),
        xlsx_out: Path | None = typer.Option(
            None, "--xlsx", help="Write every table as an XLSX workbook to this file."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
    ) -> None:
        """Schedule every unit of a force list against ships, trains, transporters, ports, railheads and roads."""
        from .deployments import run_force_file
        from .engine.deploy.export import to_csv, to_xlsx

        try:
            content = force.read_bytes()
        except OSError as exc:
            _problems([Problem(f"cannot read {force}: {exc.strerror or exc}", field="force_list")])
        with console.status("Scheduling the force…", spinner="dots") if not as_json else _Quiet() as status:

            def progress(done: int, total: int | None) -> None:
                if status is not None and total:
                    status.update(f"Scheduling the force… {100 * done // total}%")
                elif total:
                    err_console.print(f"progress {done}/{total}", highlight=False) if done in (
                        total // 2,
                        total,
                    ) else None

            try:
                result = run_force_file(
                    content,
                    force.name,
                    assets=assets,
                    time_limit_s=time_limit,
                    solver=not greedy_only,
                    progress=progress,
                )
            except InputError as exc:
                _problems(exc.problems)
        data = result.data
        if csv_out:
            csv_out.write_bytes(to_csv(data, "schedule"))
        if xlsx_out:
            xlsx_out.write_bytes(to_xlsx(data))
        if as_json:
            emit_json(
                {
                    k: data[k]
                    for k in (
                        "summary",
                        "units",
                        "schedule",
                        "lifts",
                        "node_load",
                        "permissions",
                        "times_are",
                        "network_version",
                        "capacity_version",
                    )
                }
            )
            return
        s = data["summary"]
        console.print(
            f"{s['units']} units, {s['vehicles']} vehicles in {s['columns']} columns: {s['late_units']} late "
            f"(weighted lateness {s['weighted_late_hours']} h; greedy {s['greedy_weighted_late_hours']} h). {s['solver']}."
        )
        for unit in data["units"]:
            if unit["late_hours"]:
                console.print(f"  {unit['unit']}: {unit['late_hours']} h late — {unit['binding']}", highlight=False)


class _Quiet:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
