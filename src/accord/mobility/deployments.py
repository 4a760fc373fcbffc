"""Deployment plans: run a force list through the scheduler; store, share and merge plans.

The scheduling itself is the pure engine (``engine/deploy``); this module
reads the inputs users bring (a file's bytes, an assets file) and, for stored
plans, keeps them with their owner state (``models.DeploymentPlan``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from accord.errors import InputError, Problem
from accord.rules.parameters import ParameterNotInForce

from .engine.deploy import DeployResult, deploy
from .engine.deploy.capacity import load_capacity
from .engine.deploy.forcelist import ForceList, read_force_list
from .engine.planner import default_network, shipped_catalogue
from .engine.rules import mobility_parameters


def _setting(content: bytes, name: str):
    # Node ids and the catalogue do not depend on the date; the engine builds the network whose
    # lengths follow the parameters in force on the force's first ready day.
    params = mobility_parameters()
    return params, shipped_catalogue(), default_network(params, dt.date.today())


def read_force(content: bytes, name: str) -> tuple[ForceList, object, object, object]:
    params, catalogue, network = _setting(content, name)
    return read_force_list(content, name, network, catalogue), params, catalogue, network


def run_force_file(
    content: bytes,
    name: str,
    *,
    assets: Path | dict | None = None,
    time_limit_s: float = 30.0,
    solver: bool = True,
    progress=None,
) -> DeployResult:
    force, params, catalogue, network = read_force(content, name)
    return run_force(
        force,
        params=params,
        catalogue=catalogue,
        assets=assets,
        time_limit_s=time_limit_s,
        solver=solver,
        progress=progress,
    )


def run_force(
    force: ForceList,
    *,
    params=None,
    catalogue=None,
    network=None,
    assets=None,
    time_limit_s: float = 30.0,
    solver: bool = True,
    progress=None,
) -> DeployResult:
    params = params or mobility_parameters()
    catalogue = catalogue or shipped_catalogue()
    first = min(u.ready.date() if isinstance(u.ready, dt.datetime) else u.ready for u in force.units)
    try:
        network = network or default_network(params, first)
    except ParameterNotInForce:
        raise InputError(
            Problem(
                f"no planning figures are recorded for {first.isoformat()}: enter a later ready date", field="ready"
            )
        ) from None
    if isinstance(assets, Path) and not assets.exists():
        raise InputError(Problem(f"the assets file {assets.name} does not exist", field="assets"))
    capacity = load_capacity(network, assets)
    return deploy(
        force,
        network=network,
        catalogue=catalogue,
        params=params,
        capacity=capacity,
        solver=solver,
        time_limit_s=time_limit_s,
        progress=progress,
    )


# --- stored plans (owned by a state, shared with the parties it names) -----------------------------

JOB_KIND = "mobility.deploy"
TITLE_MAX = 200


def _title(value, problems: list[Problem]) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem("Enter a title for the deployment plan", field="title"))
        return ""
    text = " ".join(value.split())
    if "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        problems.append(Problem("Title contains characters that cannot be stored", field="title"))
    if len(text) > TITLE_MAX:
        problems.append(Problem(f"Title must be {TITLE_MAX} characters or fewer", field="title"))
    return text[:TITLE_MAX]


def _parties(codes, problems: list[Problem]):
    from accord.platform.models import Party

    if codes in (None, "", []):
        return []
    if isinstance(codes, str):
        codes = [c for c in codes.replace(";", ",").split(",")]
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        problems.append(Problem("Share with: give party codes such as NATO or EU", field="share_with"))
        return []
    wanted = sorted({c.strip().upper() for c in codes if c.strip()})
    found = {p.code: p for p in Party.objects.filter(code__in=wanted)}
    for code in wanted:
        if code not in found:
            problems.append(Problem(f"Share with: {code[:20]!r} is not a party Accord knows", field="share_with"))
    return [found[c] for c in wanted if c in found]


def _assets(value, problems: list[Problem]) -> dict:
    if value in (None, "", {}):
        return {}
    if isinstance(value, (str, bytes)):
        import yaml

        try:
            value = yaml.safe_load(value) or {}
        except yaml.YAMLError as exc:
            problems.append(Problem(f"Assets: not readable YAML ({str(exc).splitlines()[0]})", field="assets"))
            return {}
    if not isinstance(value, dict):
        problems.append(
            Problem("Assets: give ships, trains, transporters or nodes as in an assets file", field="assets")
        )
        return {}
    try:
        params = mobility_parameters()
        load_capacity(default_network(params, dt.date.today()), value)
    except InputError as exc:
        problems += exc.problems
    return value


def _force_from(data: dict, problems: list[Problem]) -> ForceList | None:
    from .engine.deploy.forcelist import force_list_from_records, records_from_json

    params, catalogue, network = _setting(b"", "")
    try:
        if data.get("force_file") is not None:
            content, name = data["force_file"]
            return read_force_list(content, name, network, catalogue)
        force = data.get("force")
        if isinstance(force, str):
            return read_force_list(force.encode("utf-8"), "force list.csv", network, catalogue)
        if force is None:
            problems.append(Problem("Give the force list (a CSV, XLSX or JSON file, or its rows)", field="force_list"))
            return None
        return force_list_from_records(records_from_json(force), network, catalogue)
    except InputError as exc:
        problems += exc.problems
    return None


def create_plan(user, data: dict):
    """Store a deployment plan for the user's state and schedule it in the background."""
    from django.db import transaction

    from accord.background.jobs import submit
    from accord.platform import audit, policy

    from .models import DeploymentPlan

    policy.require(user, "create")
    party = policy.party_of(user)
    problems: list[Problem] = []
    title = _title(data.get("title"), problems)
    shared = _parties(data.get("share_with"), problems)
    assets = _assets(data.get("assets"), problems)
    force = _force_from(data, problems)
    limit = _time_limit(data, problems)
    if problems:
        raise InputError(problems)
    with transaction.atomic(), audit.acting_as(user):
        plan = DeploymentPlan.objects.create(
            owner=party,
            created_by=user,
            title=title,
            force=force.as_records(),
            assets=assets,
            units=len(force.units),
            vehicles=force.vehicle_count,
        )
        if shared:
            plan.shared_with.set(shared)
        job = submit(user, JOB_KIND, f"Deployment plan: {title}", {"plan": plan.pk, "time_limit": limit}, total=None)
        plan.job = job.pk
        plan.save(update_fields=["job", "updated_at"])
    plan.refresh_from_db()
    return plan


def plans_for(user):
    from accord.platform import policy

    from .models import DeploymentPlan

    return policy.visible(user, DeploymentPlan.objects.select_related("owner")).defer("result", "force")


def plan_for(user, plan_id):
    from accord.platform import policy

    from .models import DeploymentPlan

    try:
        key = int(str(plan_id))
    except ValueError:
        raise policy.NotVisible() from None
    return policy.get_visible(user, DeploymentPlan.objects.select_related("owner"), pk=key)


def merge_plans(user, data: dict):
    """Merge national plans the user may see into one, scheduled against the shared node capacity."""
    from django.db import transaction

    from accord.background.jobs import submit
    from accord.platform import audit, policy

    from .models import DeploymentPlan

    problems: list[Problem] = []
    ids = data.get("plans")
    if not isinstance(ids, list) or len(ids) < 2:
        raise InputError(Problem("Select at least two deployment plans to merge", field="plans"))
    plans = [plan_for(user, i) for i in ids]  # 404 before anything else for a plan the user may not see
    policy.require(user, "mobility.merge_deployments", plans[0], plans=plans)
    title = _title(
        data.get("title") or "Merged deployment: " + ", ".join(sorted({p.owner.code for p in plans})), problems
    )
    for p in plans:
        if p.status != "planned":
            problems.append(
                Problem(
                    f"{p.title} is not planned yet: merge it once its schedule is ready", field="plans", item=str(p.pk)
                )
            )
        if p.merged_from.exists():
            problems.append(
                Problem(f"{p.title} is itself a merged plan: merge the national plans", field="plans", item=str(p.pk))
            )
    if len({p.pk for p in plans}) != len(plans):
        problems.append(Problem("Each plan may be merged once", field="plans"))
    limit = _time_limit(data, problems)
    if problems:
        raise InputError(problems)
    records = []
    names = [r["unit"] for p in plans for r in p.force]
    for p in plans:
        for r in p.force:
            unit = (
                r["unit"]
                if names.count(r["unit"]) == sum(1 for x in p.force if x["unit"] == r["unit"])
                else f"{p.owner.code} {r['unit']}"
            )
            records.append({**r, "unit": unit, "state": r.get("state") or p.owner.code})
    assets: dict = {}
    for p in plans:  # each state's own overrides (its fleets, its ships) count in the merged plan
        for key, value in (p.assets or {}).items():
            if isinstance(value, list):
                assets[key] = list(assets.get(key, [])) + value
            elif isinstance(value, dict):
                assets[key] = {**assets.get(key, {}), **value}
    conflicts = node_conflicts(plans)
    with transaction.atomic(), audit.acting_as(user):
        merged = DeploymentPlan.objects.create(
            owner=policy.party_of(user),
            created_by=user,
            title=title,
            force=records,
            assets=assets,
            units=len({r["unit"] for r in records}),
            vehicles=sum(int(r["count"]) for r in records),
            conflicts=conflicts,
        )
        merged.merged_from.set(plans)
        merged.shared_with.set(sorted({p.owner for p in plans}, key=lambda x: x.code))
        audit.record_event(merged, "merged", {"plans": [p.pk for p in plans], "conflicts": len(conflicts)})
        job = submit(user, JOB_KIND, f"Deployment plan: {title}", {"plan": merged.pk, "time_limit": limit}, total=None)
        merged.job = job.pk
        merged.save(update_fields=["job", "updated_at"])
    merged.refresh_from_db()
    return merged


def node_conflicts(plans) -> list[dict]:
    """Per node and day: where the national plans, each scheduled alone, together need more than the capacity."""
    demand: dict[tuple, dict] = {}
    for p in plans:
        for row in (p.result or {}).get("node_load", []):
            if row.get("capacity") is None:
                continue
            key = (row["node"], row["date"], row["kind"])
            entry = demand.setdefault(
                key,
                {
                    "node": row["node"],
                    "node_name": row["node_name"],
                    "date": row["date"],
                    "kind": row["kind"],
                    "capacity": row["capacity"],
                    "by_state": {},
                },
            )
            entry["by_state"][p.owner.code] = entry["by_state"].get(p.owner.code, 0) + row["used"]
    out = []
    for key in sorted(demand):
        entry = demand[key]
        total = sum(entry["by_state"].values())
        if len(entry["by_state"]) > 1 and total > entry["capacity"]:
            out.append({**entry, "demand": total})
    return out


def _failed(plan, why: str) -> None:
    from django.db import transaction

    from accord.platform import audit

    with transaction.atomic(), audit.acting_as(plan.created_by):
        plan.status, plan.error = "failed", why[:5000]
        plan.save(update_fields=["status", "error", "updated_at"])


def _time_limit(data: dict, problems: list[Problem]) -> float:
    value = data.get("time_limit", DEFAULT_TIME_LIMIT_S)
    if value in (None, ""):
        return DEFAULT_TIME_LIMIT_S
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= MAX_TIME_LIMIT_S:
        problems.append(Problem(f"Solver time limit: give seconds from 1 to {MAX_TIME_LIMIT_S:g}", field="time_limit"))
        return DEFAULT_TIME_LIMIT_S
    return float(value)


def schedule_stored(plan_id: int, progress=None, time_limit_s: float = 30.0) -> dict:
    """Run the scheduler for a stored plan (the background job) and keep the result with the plan."""
    from django.db import transaction
    from django.utils import timezone

    from accord.platform import audit

    from .engine.deploy.forcelist import force_list_from_records, records_from_json
    from .models import DeploymentPlan

    plan = DeploymentPlan.objects.get(pk=plan_id)
    params, catalogue, network = _setting(b"", "")
    try:
        force = force_list_from_records(records_from_json(plan.force), network, catalogue)
        result = run_force(
            force,
            params=params,
            catalogue=catalogue,
            assets=plan.assets or None,
            time_limit_s=time_limit_s,
            progress=progress,
        )
    except InputError as exc:
        _failed(plan, "; ".join(str(p) for p in exc.problems))
        raise
    except Exception:
        # A fault of ours: the plan must not stay "being scheduled" for ever (the job logs the fault).
        _failed(plan, "The plan could not be scheduled because of a fault in Accord. It has been logged.")
        raise
    with transaction.atomic(), audit.acting_as(plan.created_by):
        plan.result, plan.status, plan.planned_at, plan.error = result.data, "planned", timezone.now(), ""
        plan.save(update_fields=["result", "status", "planned_at", "error", "updated_at"])
        audit.record_event(plan, "scheduled", result.data["summary"])
    return result.data["summary"]


DEFAULT_TIME_LIMIT_S = 30.0  # seconds CP-SAT may improve the greedy schedule (a service setting, not a rule)
MAX_TIME_LIMIT_S = 300.0
