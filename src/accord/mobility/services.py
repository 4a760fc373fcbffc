"""The service layer of the mobility capability: every change goes through here.

Each change runs inside ``audit.acting_as(user)`` and a transaction; each
workflow step is recorded as an audit event. Access is decided by
``accord.platform.policy`` only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.errors import InputError, Problem
from accord.mobility.engine.permissions import REGIMES
from accord.mobility.engine.planner import PlanRequest, plan
from accord.mobility.engine.routing import ROUTE_MODES
from accord.mobility.models import (
    DECISIONS,
    GRANTED,
    MovementRequest,
    Permission,
    PreAuthorisation,
)
from accord.platform import audit, policy
from accord.platform.models import Party
from accord.values import to_date

DECIDABLE = tuple(d for d in DECISIONS if d != "pending")
DECISION_LABELS = {
    "pending": "Waiting for a decision",
    "granted": "Granted",
    "granted_with_conditions": "Granted with conditions",
    "refused": "Refused",
}
DECISION_OPTIONS = [(d, DECISION_LABELS[d]) for d in DECIDABLE]
STATUS_LABELS = {"pending": "Waiting for decisions", "cleared": "Cleared", "refused": "Refused"}
MODE_LABELS = {"any": "Any mode (road, rail and sea)", "road": "Road (and sea crossings)", "rail": "Rail"}
REGIME_LABELS = {"current": "Current national rules", "proposed-2025": "Proposed Military Mobility Regulation (2025)"}


# --- input -----------------------------------------------------------------------------------

MISSING = {  # GOV.UK style: what to do, naming the field by its label
    "origin": "Select where the movement starts",
    "destination": "Select where the movement ends",
    "depart": "Enter the departure date",
    "beneficiary": "Select the state that may move under the pre-authorisation",
    "valid_from": "Enter the first day of the pre-authorisation",
    "valid_until": "Enter the last day of the pre-authorisation",
}
LABELS = {
    "title": "Title",
    "mode": "Mode",
    "regime": "Permission regime",
    "filed_on": "Requests filed on",
    "reference": "Reference",
}


def _text(data: dict, key: str, problems: list, *, required: bool = True, default: str = "") -> str:
    value = data.get(key, default)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(Problem(MISSING.get(key, f"Enter the {LABELS.get(key, key).lower()}"), field=key))
        return default
    if not isinstance(value, str):
        problems.append(Problem(f"Enter the {LABELS.get(key, key).lower()} as text", field=key))
        return default
    if "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        problems.append(Problem(f"{LABELS.get(key, key)} contains characters that cannot be stored", field=key))
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
        return to_date(text)
    except ValueError:
        problems.append(
            Problem(f"Enter a real date, for example 27 3 2027 or 27 March 2027 (not {text[:40]!r})", field=key)
        )
        return None


def _vehicles(data: dict, problems: list) -> str:
    value = data.get("vehicles")
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, list) and value:
        parts = []
        for i, item in enumerate(value):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                problems.append(Problem(f"Select the vehicle on line {i + 1}", field="vehicles"))
                continue
            parts.append(f"{item['name']}:{item.get('count', 1)}")
        return ",".join(parts)
    problems.append(Problem("Add at least one vehicle and how many", field="vehicles"))
    return ""


def _states(data: dict, key: str, problems: list, message: str) -> list[str]:
    """A list of state codes, from a list or a comma-separated text."""
    value = data.get(key) or []
    if isinstance(value, str):
        value = [s for s in value.split(",") if s.strip()]
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        problems.append(Problem(message, field=key))
        return []
    return value


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
    pre = _states(data, "pre_authorised", problems, "Give the states that pre-authorised the movement as a list")
    depart = _when(depart_text, "depart", problems) if depart_text else None
    filed = _when(filed_text, "filed_on", problems, date_only=True) if filed_text else None
    avoid = _states(data, "avoid_states", problems, "Give the states to avoid as a list")
    allow_sea = _bool(data, "allow_sea", problems)
    if mode not in ROUTE_MODES:
        problems.append(Problem("Select road, rail or any mode", field="mode"))
    if regime not in REGIMES:
        problems.append(Problem("Select current national rules or the proposed regulation", field="regime"))
    if len(title) > 200:
        problems.append(Problem("Enter a title of at most 200 characters", field="title"))
    if problems:
        raise InputError(problems)
    request = PlanRequest(
        origin=origin,
        destination=destination,
        depart=depart,
        vehicles=vehicles,
        mode=mode,
        regime=regime,
        emergency=emergency,
        filed_on=filed,
        requesting_state=requesting_state,
        pre_authorised=frozenset(s.strip().upper() for s in pre),
        avoid_states=frozenset(s.strip().upper() for s in avoid),
        allow_sea=allow_sea,
    )
    return request, title


def plan_for(user, data: dict) -> dict[str, Any]:
    """A plan without storing anything (any signed-in user with a party)."""
    party = _party(user)
    request, _ = parse_request(data, party.code)
    _check_pre_authorisations(party, request)
    return plan(request)


def _check_pre_authorisations(party: Party, request: PlanRequest) -> None:
    """A requester may claim only the pre-authorisations stored for it and in force on the departure day (issue 17)."""
    if not request.pre_authorised:
        return
    day = request.depart.date() if isinstance(request.depart, dt.datetime) else request.depart
    held = set(
        PreAuthorisation.objects.filter(
            beneficiary=party, owner__code__in=request.pre_authorised, valid_from__lte=day, valid_until__gte=day
        ).values_list("owner__code", flat=True)
    )
    missing = sorted(request.pre_authorised - held)
    if missing:
        names = dict(Party.objects.filter(code__in=missing).values_list("code", "name"))
        raise InputError(
            [
                Problem(
                    f"{names.get(code, code)} has not pre-authorised movements of {party.name} "
                    f"on {day.day} {day:%B %Y}; remove it or ask that state for a pre-authorisation",
                    field="pre_authorised",
                    item=code,
                )
                for code in missing
            ]
        )


def _party(user) -> Party:
    party = policy.party_of(user)
    if party is None:
        raise policy.Forbidden("this user acts for no party")
    return party


def _aware(text: str) -> dt.datetime:
    """A plan time (ISO 8601 with its local UTC offset) as an aware datetime."""
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else timezone.make_aware(value, dt.UTC)


# --- movement requests -------------------------------------------------------------------------


def create_movement(user, data: dict) -> MovementRequest:
    """Plan and submit a movement request for the user's state; one permission per transit state."""
    party = _party(user)
    policy.require(user, "create")
    request, title = parse_request(data, party.code)
    _check_pre_authorisations(party, request)
    # The request is filed now (server date): a departure whose deadlines have passed is refused.
    request = dataclasses.replace(request, filed_on=timezone.now().date())
    result = plan(request)
    filing = result["filing"]
    if not filing["requested_departure_feasible"]:
        late = dict(Party.objects.filter(code__in=filing["states_too_late"]).values_list("code", "name"))
        states = ", ".join(late.get(c, c) for c in filing["states_too_late"])
        earliest = (
            f" The earliest departure whose deadlines can all still be met is {_plain(filing['earliest_departure'])}."
            if filing["earliest_departure"]
            else " No departure within a year meets every deadline."
        )
        raise InputError(
            Problem(
                f"It is too late to request this departure: the deadline to ask {states} has passed." + earliest,
                field="depart",
            )
        )
    transit = [s for s in result["states"] if s["permission"] is not None]
    parties = {p.code: p for p in Party.objects.filter(code__in=[s["state"] for s in transit])}
    missing = [s["state"] for s in transit if s["state"] not in parties]
    if missing:
        raise InputError(
            Problem(
                f"state(s) {', '.join(missing)} crossed by the route are not registered parties", field="destination"
            )
        )
    with transaction.atomic(), audit.acting_as(user):
        movement = MovementRequest.objects.create(
            owner=party,
            created_by=user,
            title=title,
            origin=request.origin,
            destination=request.destination,
            depart=_aware(result["departure"]),
            arrival=_aware(result["arrival"]),
            vehicles=result["request"]["vehicles"],
            mode=request.mode,
            regime=request.regime,
            emergency=request.emergency,
            network_version=result["network_version"],
            plan=result,
        )
        movement.shared_with.set(parties.values())
        for s in transit:
            permission = Permission.objects.create(
                owner=parties[s["state"]],
                created_by=user,
                movement=movement,
                state=parties[s["state"]],
                entry=_aware(s["entry"]),
                exit=_aware(s["exit"]),
                lead_time=s["permission"]["lead_time"],
                latest_submission=s["permission"]["latest_submission"],
            )
            permission.shared_with.set([party, *[p for c, p in parties.items() if c != s["state"]]])
        audit.record_event(
            movement,
            "submitted",
            {"transit_states": [s["state"] for s in transit], "regime": request.regime, "emergency": request.emergency},
        )
        _update_status(movement)
    return movement


def movements_for(user):
    return policy.visible(user, MovementRequest.objects.all()).select_related("owner").order_by("depart", "id")


def movement_for(user, movement_id) -> MovementRequest:
    return policy.get_visible(user, MovementRequest.objects.select_related("owner"), pk=movement_id)


def permission_for(user, movement_id, state_code: str) -> Permission:
    movement = movement_for(user, movement_id)
    return policy.get_visible(
        user,
        Permission.objects.select_related("state", "movement"),
        movement=movement,
        state__code=str(state_code).upper(),
    )


def decide(user, movement_id, state_code: str, data: dict) -> Permission:
    """A transit state's approver grants, grants with conditions, or refuses its permission."""
    permission = permission_for(user, movement_id, state_code)
    policy.require(user, "mobility.decide_permission", permission)
    if not isinstance(data, dict):
        raise InputError(Problem("the request body must be a JSON object"))
    decision = data.get("decision")
    conditions = data.get("conditions") or ""
    reason = data.get("reason") or ""
    problems = []
    if permission.decision != "pending":
        # A decision is final once made (issues 13 and 17): a refusal cannot be flipped to a grant, nor a
        # grant withdrawn after the movement is cleared; the requesting state files a new request instead.
        raise InputError(
            Problem(
                f"{permission.state.name} has already decided: {DECISION_LABELS[permission.decision].lower()} on "
                f"{_plain(permission.decided_at)}. A decision is final; the requesting state may submit a new request.",
                field="decision",
            )
        )
    if decision not in DECIDABLE:
        problems.append(Problem("Select a decision: granted, granted with conditions, or refused", field="decision"))
    for name, value in (("conditions", conditions), ("reason", reason)):
        if not isinstance(value, str):
            problems.append(Problem("Enter text", field=name))
    conditions = conditions.strip() if isinstance(conditions, str) else ""
    reason = reason.strip() if isinstance(reason, str) else ""
    if decision == "granted_with_conditions" and not conditions:
        problems.append(Problem("Enter the conditions of the grant", field="conditions"))
    if decision == "refused" and not reason:
        problems.append(Problem("Enter the reason for the refusal", field="reason"))
    for name, value in (("conditions", conditions), ("reason", reason)):
        if len(value) > 2000:
            problems.append(Problem("Enter at most 2,000 characters", field=name))
    if problems:
        raise InputError(problems)
    with transaction.atomic(), audit.acting_as(user):
        before = permission.decision
        permission.decision = decision
        permission.conditions = conditions if decision == "granted_with_conditions" else ""
        permission.reason = reason
        permission.decided_at = timezone.now()
        permission.decided_by = user
        permission.save()
        audit.record_event(
            permission,
            "decision",
            {
                "state": permission.state.code,
                "from": before,
                "to": decision,
                "conditions": permission.conditions,
                "reason": permission.reason,
            },
        )
        _update_status(permission.movement)
    return permission


def _plain(value) -> str:
    """A date-time for people: "18 December 2026, 07:49 UTC" (or the offset it carries)."""
    if value is None:
        return "an unknown date"
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    offset = value.utcoffset() or dt.timedelta(0)
    hours = offset.total_seconds() / 3600
    zone = "UTC" if not hours else f"UTC{'+' if hours > 0 else '-'}{abs(hours):g}"
    return f"{value.day} {value:%B %Y, %H:%M} {zone}"


# --- pre-authorisations -----------------------------------------------------------------------


def grant_pre_authorisation(user, data: dict) -> PreAuthorisation:
    """An approver of a state stores its annual pre-authorisation of low-impact movements by another state."""
    party = _party(user)
    if not policy.has_role(user, "approver", "administrator"):
        raise policy.Forbidden("only an approver of the granting state may pre-authorise movements")
    if not isinstance(data, dict):
        raise InputError(Problem("the request body must be a JSON object"))
    problems: list[Problem] = []
    code = _text(data, "beneficiary", problems).upper()
    start = _text(data, "valid_from", problems)
    end = _text(data, "valid_until", problems)
    reference = _text(data, "reference", problems, required=False)
    beneficiary = Party.objects.filter(code=code).first() if code else None
    if code and beneficiary is None:
        problems.append(Problem("Select a state that is a registered party", field="beneficiary", item=code))
    if beneficiary is not None and beneficiary.pk == party.pk:
        problems.append(Problem("A state does not pre-authorise its own movements", field="beneficiary"))
    valid_from = _when(start, "valid_from", problems, date_only=True) if start else None
    valid_until = _when(end, "valid_until", problems, date_only=True) if end else None
    if valid_from and valid_until and valid_until < valid_from:
        problems.append(Problem("The end date must be on or after the start date", field="valid_until"))
    if len(reference) > 200:
        problems.append(Problem("Enter at most 200 characters", field="reference"))
    if problems:
        raise InputError(problems)
    with transaction.atomic(), audit.acting_as(user):
        record = PreAuthorisation.objects.create(
            owner=party,
            created_by=user,
            beneficiary=beneficiary,
            valid_from=valid_from,
            valid_until=valid_until,
            reference=reference,
        )
        record.shared_with.set([beneficiary])
        audit.record_event(
            record, "pre_authorised", {"beneficiary": beneficiary.code, "valid_from": start, "valid_until": end}
        )
    return record


def pre_authorisations_for(user):
    return policy.visible(user, PreAuthorisation.objects.select_related("owner", "beneficiary")).order_by(
        "valid_from", "id"
    )


def pre_authorisation_dict(p: PreAuthorisation) -> dict[str, Any]:
    return {
        "id": p.pk,
        "granted_by": p.owner.code,
        "granted_by_name": p.owner.name,
        "beneficiary": p.beneficiary.code,
        "beneficiary_name": p.beneficiary.name,
        "valid_from": p.valid_from.isoformat(),
        "valid_until": p.valid_until.isoformat(),
        "reference": p.reference,
    }


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
    return (
        policy.visible(user, Permission.objects.select_related("movement", "movement__owner", "state"))
        .filter(state=party)
        .order_by("decision", "latest_submission", "entry")
    )


# --- output ------------------------------------------------------------------------------------


def permission_dict(p: Permission, user=None) -> dict[str, Any]:
    return {
        "state": p.state.code,
        "state_name": p.state.name,
        "decision": p.decision,
        "decision_label": DECISION_LABELS.get(p.decision, p.decision),
        "conditions": p.conditions,
        "reason": p.reason,
        "entry": p.entry.isoformat(),
        "exit": p.exit.isoformat(),
        "lead_time": p.lead_time,
        "latest_submission": p.latest_submission,
        "decided_at": p.decided_at.isoformat() if p.decided_at else None,
        "decided_by": _who(p.decided_by),
        "may_decide": policy.can(user, "mobility.decide_permission", p) if user is not None else False,
    }


def movement_dict(m: MovementRequest, user=None, *, with_plan: bool = True) -> dict[str, Any]:
    out = {
        "id": m.pk,
        "title": m.title,
        "requesting_state": m.owner.code,
        "requesting_state_name": m.owner.name,
        "status": m.status,
        "status_label": STATUS_LABELS.get(m.status, m.status),
        "origin_country": ((m.plan or {}).get("states") or [{}])[0].get("state", ""),
        "mode_label": MODE_LABELS.get(m.mode, m.mode),
        "regime_label": REGIME_LABELS.get(m.regime, m.regime),
        "origin": m.origin,
        "destination": m.destination,
        "depart": m.depart.isoformat(),
        "arrival": m.arrival.isoformat(),
        "vehicles": m.vehicles,
        "mode": m.mode,
        "regime": m.regime,
        "emergency": m.emergency,
        "network_version": m.network_version,
        "permissions": [permission_dict(p, user) for p in m.permissions.select_related("state").order_by("entry")],
        "created_at": m.created_at.isoformat(),
    }
    if with_plan:
        out["plan"] = m.plan
    return out


def _who(user) -> str | None:
    if user is None:
        return None
    full = (user.get_full_name() or "").strip()
    return f"{full} ({user.username})" if full else user.username
