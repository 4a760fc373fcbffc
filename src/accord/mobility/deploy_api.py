"""REST API of deployment plans (mounted at /api/v1/mobility/deployments, issue 14).

A plan is owned by the state that made it and visible to it and the parties
it is shared with (others get 404). Creating a plan stores it and schedules
it in the background: 202 with the job to poll. A NATO or EU planner who may
see several states' plans merges them (403 for anyone else).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema, Status

from accord.mobility import deployments
from accord.mobility.engine.deploy.export import TABLES, to_csv, to_xlsx

router = Router(tags=["Mobility: deployments"])


class DeploymentIn(Schema):
    title: Any = None
    force: Any = None  # a list of unit rows (objects with the force list's columns), or CSV text
    assets: Any = None  # capacity overrides, as an --assets file (object or YAML text)
    share_with: Any = None  # party codes, e.g. ["NATO"]
    time_limit: Any = None  # seconds the solver may spend (1-300; default 30)


class MergeIn(Schema):
    plans: Any = None  # plan ids
    title: Any = None
    time_limit: Any = None


class UnitOut(Schema):
    unit: str
    state: str
    vehicles: int
    priority: int
    ready: str | None
    arrival: str | None
    due: str | None
    late_hours: float | None
    binding: str | None


class NodeLoadOut(Schema):
    node: str
    node_name: str
    country: str
    date: str
    kind: str
    used: int
    capacity: int | None


class PermissionOut(Schema):
    state: str
    requesting_state: str
    units: int
    columns: int
    vehicles: int
    first_entry: str | None
    last_exit: str | None
    latest_submission: str | None


class ConflictOut(Schema):
    node: str
    node_name: str
    date: str
    kind: str
    capacity: int
    demand: int
    by_state: dict[str, int]


class DeploymentOut(Schema):
    id: int
    title: str
    owner: str
    shared_with: list[str]
    status: str
    units: int
    vehicles: int
    job: str | None
    job_page: str | None
    merged_from: list[int]
    conflicts: list[ConflictOut]
    summary: dict[str, Any] | None
    error: str


class DeploymentDetailOut(DeploymentOut):
    units_schedule: list[UnitOut]
    schedule: list[dict[str, Any]]
    lifts: list[dict[str, Any]]
    node_load: list[NodeLoadOut]
    permissions: list[PermissionOut]


class Accepted(Schema):
    plan: DeploymentOut
    job: str
    job_url: str


def plan_out(plan, *, detail: bool = False) -> dict[str, Any]:
    result = plan.result or {}
    out = {
        "id": plan.pk,
        "title": plan.title,
        "owner": plan.owner.code,
        "shared_with": sorted(plan.shared_with.values_list("code", flat=True)),
        "status": plan.status,
        "units": plan.units,
        "vehicles": plan.vehicles,
        "job": str(plan.job) if plan.job else None,
        "job_page": f"/jobs/{plan.job}/" if plan.job else None,
        "merged_from": sorted(plan.merged_from.values_list("pk", flat=True)),
        "conflicts": plan.conflicts or [],
        "summary": result.get("summary"),
        "error": plan.error,
    }
    if detail:
        out |= {
            "units_schedule": result.get("units", []),
            "schedule": result.get("schedule", []),
            "lifts": result.get("lifts", []),
            "node_load": result.get("node_load", []),
            "permissions": result.get("permissions", []),
        }
    return out


def _accepted(plan) -> dict[str, Any]:
    return {"plan": plan_out(plan), "job": str(plan.job), "job_url": f"/api/v1/jobs/{plan.job}"}


@router.post(
    "",
    response={202: Accepted},
    summary="Store a deployment plan for the caller's state and schedule it in the background",
)
def create_deployment(request, payload: DeploymentIn):
    plan = deployments.create_plan(request.auth, payload.dict())
    return Status(202, _accepted(plan))


@router.get("", response=list[DeploymentOut], summary="Deployment plans the caller may see")
def list_deployments(request):
    return [plan_out(p) for p in deployments.plans_for(request.auth).prefetch_related("shared_with", "merged_from")]


@router.post(
    "/merge",
    response={202: Accepted},
    summary="Merge several states' plans (NATO or EU planners) against shared node capacity",
)
def merge_deployments(request, payload: MergeIn):
    plan = deployments.merge_plans(request.auth, payload.dict())
    return Status(202, _accepted(plan))


@router.get(
    "/{plan_id}",
    response=DeploymentDetailOut,
    summary="One deployment plan with its schedule, node load and permissions",
)
def get_deployment(request, plan_id: int):
    return plan_out(deployments.plan_for(request.auth, plan_id), detail=True)


@router.get("/{plan_id}/export", summary="The plan as XLSX (every table) or CSV (one table: ?table=schedule)")
def export_deployment(request, plan_id: int, format: str = "xlsx", table: str = "schedule"):
    from accord.errors import InputError, Problem

    plan = deployments.plan_for(request.auth, plan_id)
    if format not in ("csv", "xlsx"):
        raise InputError(Problem("format must be csv or xlsx", field="format"))
    if table not in TABLES:
        raise InputError(Problem(f"table must be one of {', '.join(TABLES)}", field="table"))
    data = plan.result or {}
    if format == "csv":
        response = HttpResponse(to_csv(data, table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="deployment-{plan.pk}-{table}.csv"'
    else:
        response = HttpResponse(
            to_xlsx(data), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="deployment-{plan.pk}.xlsx"'
    return response
