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
        store: bool = typer.Option(
            False, "--store", help="Store the plan for the user's state and schedule it as a background job."
        ),
        user: str | None = typer.Option(
            None, "--user", help="With --store: the user (an editor of the planning state; audited)."
        ),
        title: str | None = typer.Option(
            None, "--title", help="With --store: the plan's title (default: the file's name)."
        ),
        share_with: str = typer.Option(
            "", "--share-with", help="With --store: party codes to share with, e.g. NATO,EU."
        ),
    ) -> None:
        """Schedule every unit of a force list against ships, trains, transporters, ports, railheads and roads."""
        from .deployments import run_force_file
        from .engine.deploy.export import to_csv, to_xlsx

        try:
            content = force.read_bytes()
        except OSError as exc:
            _problems([Problem(f"cannot read {force}: {exc.strerror or exc}", field="force_list")])
        if store:
            _store(content, force.name, user, title or force.stem, share_with, assets, time_limit, as_json)
            return
        with console.status("Scheduling the force…", spinner="dots") if not as_json else _Quiet() as status:

            def progress(done: int, total: int | None) -> None:
                if status is not None and total:
                    status.update(f"Scheduling the force… {100 * done // total}%")

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


def _store(content, name, username, title, share_with, assets, time_limit, as_json) -> None:
    """Store the plan (the job runs in this process or in `accord worker`s) and follow its progress."""
    import time

    import yaml

    from accord.platform import audit, policy
    from accord.platform.clitools import active_user

    if not username:
        _problems([Problem("--store needs --user (the editor who plans the deployment)", field="user")])
    account = active_user(username)
    from accord.background.models import Job

    from .deployments import create_plan

    data = {"title": title, "force_file": (content, name), "share_with": share_with, "time_limit": time_limit}
    if assets is not None:
        try:
            data["assets"] = yaml.safe_load(assets.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            _problems([Problem(f"the assets file cannot be read ({exc})", field="assets")])
    try:
        with audit.acting_as(account):
            plan = create_plan(account, data)
    except InputError as exc:
        _problems(exc.problems)
    except policy.Forbidden as exc:
        _problems([Problem(str(exc) or "only an editor of a state may plan a deployment")])
    with console.status("Scheduling the force…", spinner="dots") if not as_json else _Quiet() as status:
        # The job runs in this process at commit (the embedded default) or in `accord worker`s: follow it
        # until it finishes, at most as long as the solver may take and a margin for the route plans.
        deadline = time.monotonic() + 2 * time_limit + 600
        while time.monotonic() < deadline:
            job = Job.objects.get(pk=plan.job)
            if job.finished:
                break
            if status is not None:
                status.update(f"Scheduling the force… {job.percent or 0}% ({job.get_status_display().lower()})")
            time.sleep(1)
    plan.refresh_from_db()
    out = {
        "id": plan.pk,
        "title": plan.title,
        "status": plan.status,
        "job": str(plan.job),
        "error": plan.error,
        "summary": (plan.result or {}).get("summary"),
        "page": f"/mobility/deployments/{plan.pk}/",
    }
    if as_json:
        emit_json(out)
    else:
        console.print(
            f"Deployment plan {plan.pk} ({plan.title}): {plan.get_status_display().lower()}. "
            f"See /mobility/deployments/{plan.pk}/",
            highlight=False,
        )
    if plan.status == "failed":
        raise typer.Exit(EXIT_BAD_INPUT)


class _Quiet:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
