"""REST API of the mobility capability (mounted at /api/v1/mobility/).

Every route needs a bearer token. A movement request is visible to the
requesting state and every state it crosses; others get 404. Only an
approver of a transit state decides that state's permission (else 403).
Bad input answers 422 with every problem.
"""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema, Status

from accord.mobility import services

router = Router(tags=["Mobility"])


class MovementIn(Schema):
    origin: Any = None
    destination: Any = None
    depart: Any = None
    vehicles: Any = None
    mode: Any = "any"
    regime: Any = "current"
    emergency: Any = False
    filed_on: Any = None
    pre_authorised: Any = None
    avoid_states: Any = None
    allow_sea: Any = False
    title: Any = None


class DecisionIn(Schema):
    decision: Any = None
    conditions: Any = ""
    reason: Any = ""


class PreAuthorisationIn(Schema):
    beneficiary: Any = None
    valid_from: Any = None
    valid_until: Any = None
    reference: Any = ""


@router.post("/plan", summary="Plan a movement without storing it (route, timing, states, deadlines)")
def plan_movement(request, payload: MovementIn):
    return services.plan_for(request.auth, payload.dict())


@router.post("/movements", response={201: dict}, summary="Submit a movement request for the caller's state")
def create_movement(request, payload: MovementIn):
    movement = services.create_movement(request.auth, payload.dict())
    return Status(201, services.movement_dict(movement, request.auth))


@router.get("/movements", summary="Movement requests the caller may see (own state's and those crossing it)")
def list_movements(request):
    return [services.movement_dict(m, request.auth, with_plan=False) for m in services.movements_for(request.auth)]


@router.get("/movements/{movement_id}", summary="One movement request with its plan and permissions")
def get_movement(request, movement_id: int):
    return services.movement_dict(services.movement_for(request.auth, movement_id), request.auth)


@router.post(
    "/movements/{movement_id}/permissions/{state}",
    summary="Decide a transit state's permission (its approvers); final once made; a refusal needs a reason",
)
def decide_permission(request, movement_id: int, state: str, payload: DecisionIn):
    permission = services.decide(request.auth, movement_id, state, payload.dict())
    return services.movement_dict(permission.movement, request.auth)


@router.get("/inbox", summary="Permissions addressed to the caller's state")
def inbox(request):
    return [
        {
            "movement": services.movement_dict(p.movement, request.auth, with_plan=False),
            "permission": services.permission_dict(p, request.auth),
        }
        for p in services.inbox_for(request.auth)
    ]


@router.post(
    "/pre-authorisations",
    response={201: dict},
    summary="Store the caller's state's annual pre-authorisation of low-impact movements by another state",
)
def create_pre_authorisation(request, payload: PreAuthorisationIn):
    record = services.grant_pre_authorisation(request.auth, payload.dict())
    return Status(201, services.pre_authorisation_dict(record))


@router.get("/pre-authorisations", summary="Pre-authorisations the caller's state gave or holds")
def list_pre_authorisations(request):
    return [services.pre_authorisation_dict(p) for p in services.pre_authorisations_for(request.auth)]


from accord.mobility.deploy_api import router as deployments_router  # noqa: E402  (issue 14)

router.add_router("/deployments", deployments_router)
