"""The service layer of the mobility capability: every change goes through here.

Each change runs inside ``audit.acting_as(user)`` and a transaction; each
workflow step is recorded as an audit event. Access is decided by
``accord.platform.policy`` only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.errors import InputError, Problem
from accord.mobility.engine.planner import PlanRequest, plan
from accord.mobility.engine.routing import ROUTE_MODES
from accord.mobility.engine.permissions import REGIMES
from accord.mobility.models import DECISIONS, GRANTED, MovementRequest, Permission
from accord.platform import audit, policy
from accord.platform.models import Party

DECIDABLE = tuple(d for d in DECISIONS if d != "pending")
DECISION_OPTIONS = [(d, d.replace("_", " ").capitalize()) for d in DECIDABLE]


# --- input -----------------------------------------------------------------------------------

def _text(data: dict, key: str, problems: list, *, required: bool = True, default: str = "") -> str:
    value = data.get(key, default)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(Problem("this field is required", field=key))
        return default
    if not isinstance(value, str):
        problems.append(Problem("must be text", field=key))
        return default
    return value.strip()


def _bool(data: dict, key: str, problems: list) -> bool:
    value = data.get(key, False)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "on", "yes", "1", "false", "off", "no", "0", ""):
        return value.lower() in ("true", "on", "yes", "1")
    problems.append(Problem("must be true or false", field=key))
    return False


def _when(text: str, key: str, problems: list, *, date_only: bool = False):
    try:
        if not date_only and ("T" in text or " " in text):
            return dt.datetime.fromisoformat(text).replace(tzinfo=None)
        return dt.date.fromisoformat(text)
    except ValueError:
        form = "YYYY-MM-DD" if date_only else "YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        problems.append(Problem(f"{text!r} is not a date ({form})", field=key))
        return None


def _vehicles(data: dict, problems: list) -> str:
    value = data.get("vehicles")
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, list) and value:
        parts = []
        for i, item in enumerate(value):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                problems.append(Problem("each vehicle needs a name and a count", field=f"vehicles[{i}]"))
                continue
            parts.append(f"{item['name']}:{item.get('count', 1)}")
        return ",".join(parts)
    problems.append(Problem('give vehicles as "NAME:COUNT,..." or a list of {name, count}', field="vehicles"))
    return ""


def parse_request(data: dict, requesting_state: str) -> tuple[PlanRequest, str]:
    """A ``PlanRequest`` and a title from a form or JSON payload; every problem is reported."""
    if not isinstance(data, dict):
        raise InputError(Problem("the request body must be a JSON object"))
    problems: list[Problem] = []
    origin = _text(data, "origin", problems)
    destination = _text(data, "destination", problems)
    depart_text = _text(data, "depart", problems)
    vehicles = _vehicles(data, problems)
    mode = _text(data, "mode", problems, required=False, default="any")
    regime = _text(data, "regime", problems, required=False, default="current")
    emergency = _bool(data, "emergency", problems)
    filed_text = _text(data, "filed_on", problems, required=False)
    title = _text(data, "title", problems, required=False) or f"{origin} to {destination}"
    pre = data.get("pre_authorised") or []
    if isinstance(pre, str):
        pre = [s for s in pre.split(",") if s.strip()]
    if not isinstance(pre, list) or not all(isinstance(s, str) for s in pre):
        problems.append(Problem("must be a list of state codes", field="pre_authorised"))
        pre = []
    depart = _when(depart_text, "depart", problems) if depart_text else None
    filed = _when(filed_text, "filed_on", problems, date_only=True) if filed_text else None
    if mode not in ROUTE_MODES:
        problems.append(Problem(f"mode must be one of {', '.join(ROUTE_MODES)}", field="mode", item=mode))
    if regime not in REGIMES:
        problems.append(Problem(f"regime must be one of {', '.join(REGIMES)}", field="regime", item=regime))
    if len(title) > 200:
        problems.append(Problem("at most 200 characters", field="title"))
    if problems:
        raise InputError(problems)
    request = PlanRequest(origin=origin, destination=destination, depart=depart, vehicles=vehicles, mode=mode,
                          regime=regime, emergency=emergency, filed_on=filed, requesting_state=requesting_state,
                          pre_authorised=frozenset(s.strip().upper() for s in pre))
    return request, title


def plan_for(user, data: dict) -> dict[str, Any]:
    """A plan without storing anything (any signed-in user with a party)."""
    party = _party(user)
    request, _ = parse_request(data, party.code)
    return plan(request)


def _party(user) -> Party:
    party = policy.party_of(user)
    if party is None:
        raise policy.Forbidden("this user acts for no party")
    return party


def _aware(text: str) -> dt.datetime:
    """A plan time (ISO 8601 with its local UTC offset) as an aware datetime."""
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else timezone.make_aware(value, dt.timezone.utc)


# --- movement requests -------------------------------------------------------------------------

def create_movement(user, data: dict) -> MovementRequest:
    """Plan and submit a movement request for the user's state; one permission per transit state."""
    party = _party(user)
    policy.require(user, "create")
    request, title = parse_request(data, party.code)
    result = plan(request)
    transit = [s for s in result["states"] if s["permission"] is not None]
    parties = {p.code: p for p in Party.objects.filter(code__in=[s["state"] for s in transit])}
    missing = [s["state"] for s in transit if s["state"] not in parties]
    if missing:
        raise InputError(Problem(f"state(s) {', '.join(missing)} crossed by the route are not registered parties",
                                 field="destination"))
    with transaction.atomic(), audit.acting_as(user):
        movement = MovementRequest.objects.create(
            owner=party, created_by=user, title=title, origin=request.origin, destination=request.destination,
            depart=_aware(result["departure"]), arrival=_aware(result["arrival"]), vehicles=result["request"]["vehicles"],
            mode=request.mode, regime=request.regime, emergency=request.emergency,
            network_version=result["network_version"], plan=result,
        )
        movement.shared_with.set(parties.values())
        for s in transit:
            permission = Permission.objects.create(
                owner=parties[s["state"]], created_by=user, movement=movement, state=parties[s["state"]],
                entry=_aware(s["entry"]), exit=_aware(s["exit"]), lead_time=s["permission"]["lead_time"],
                latest_submission=s["permission"]["latest_submission"],
            )
            permission.shared_with.set([party, *[p for c, p in parties.items() if c != s["state"]]])
        audit.record_event(movement, "submitted", {"transit_states": [s["state"] for s in transit],
                                                   "regime": request.regime, "emergency": request.emergency})
        _update_status(movement)
    return movement


def movements_for(user):
    return policy.visible(user, MovementRequest.objects.all()).select_related("owner").order_by("depart", "id")


def movement_for(user, movement_id) -> MovementRequest:
    return policy.get_visible(user, MovementRequest.objects.select_related("owner"), pk=movement_id)


def permission_for(user, movement_id, state_code: str) -> Permission:
    movement = movement_for(user, movement_id)
    return policy.get_visible(user, Permission.objects.select_related("state", "movement"),
                              movement=movement, state__code=str(state_code).upper())


def decide(user, movement_id, state_code: str, data: dict) -> Permission:
    """A transit state's approver grants, grants with conditions, or refuses its permission."""
    permission = permission_for(user, movement_id, state_code)
    policy.require(user, "mobility.decide_permission", permission)
    if not isinstance(data, dict):
        raise InputError(Problem("the request body must be a JSON object"))
    decision = data.get("decision")
    conditions = data.get("conditions") or ""
    problems = []
    if decision not in DECIDABLE:
        problems.append(Problem(f"decision must be one of {', '.join(DECIDABLE)}", field="decision", item=str(decision)))
    if not isinstance(conditions, str):
        problems.append(Problem("must be text", field="conditions"))
        conditions = ""
    elif decision == "granted_with_conditions" and not conditions.strip():
        problems.append(Problem("state the conditions of the grant", field="conditions"))
    if problems:
        raise InputError(problems)
    with transaction.atomic(), audit.acting_as(user):
        before = permission.decision
        permission.decision = decision
        permission.conditions = conditions.strip()
        permission.decided_at = timezone.now()
        permission.save()
        audit.record_event(permission, "decision", {"state": permission.state.code, "from": before, "to": decision,
                                                   "conditions": permission.conditions})
        _update_status(permission.movement)
    return permission


def _update_status(movement: MovementRequest) -> None:
    """Cleared only when every transit state has granted; refused when any state refused."""
    decisions = list(movement.permissions.values_list("decision", flat=True))
    if any(d == "refused" for d in decisions):
        status = "refused"
    elif all(d in GRANTED for d in decisions):
        status = "cleared"
    else:
        status = "pending"
    if status != movement.status:
        before = movement.status
        movement.status = status
        movement.save(update_fields=["status", "updated_at"])
        audit.record_event(movement, "status", {"from": before, "to": status})


def inbox_for(user):
    """Permissions addressed to the user's state, soonest deadline first."""
    party = policy.party_of(user)
    if party is None:
        return Permission.objects.none()
    return (policy.visible(user, Permission.objects.select_related("movement", "movement__owner", "state"))
            .filter(state=party).order_by("decision", "latest_submission", "entry"))


# --- output ------------------------------------------------------------------------------------

def permission_dict(p: Permission, user=None) -> dict[str, Any]:
    return {
        "state": p.state.code, "state_name": p.state.name, "decision": p.decision,
        "decision_label": p.decision.replace("_", " ").capitalize(), "conditions": p.conditions,
        "entry": p.entry.isoformat(), "exit": p.exit.isoformat(), "lead_time": p.lead_time,
        "latest_submission": p.latest_submission,
        "decided_at": p.decided_at.isoformat() if p.decided_at else None,
        "may_decide": policy.can(user, "mobility.decide_permission", p) if user is not None else False,
    }


def movement_dict(m: MovementRequest, user=None, *, with_plan: bool = True) -> dict[str, Any]:
    out = {
        "id": m.pk, "title": m.title, "requesting_state": m.owner.code, "status": m.status,
        "origin": m.origin, "destination": m.destination, "depart": m.depart.isoformat(),
        "arrival": m.arrival.isoformat(), "vehicles": m.vehicles, "mode": m.mode, "regime": m.regime,
        "emergency": m.emergency, "network_version": m.network_version,
        "permissions": [permission_dict(p, user) for p in m.permissions.select_related("state").order_by("entry")],
        "created_at": m.created_at.isoformat(),
    }
    if with_plan:
        out["plan"] = m.plan
    return out
