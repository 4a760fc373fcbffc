"""Web pages of the mobility capability (thin: the service layer and the engine do the work)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accord.errors import InputError, Problem
from accord.mobility import maps, services
from accord.mobility.engine.permissions import REGIMES
from accord.mobility.engine.planner import (
    default_network,
    shipped_catalogue,
    validate_parts,
)
from accord.mobility.engine.routing import ROUTE_MODES
from accord.mobility.engine.rules import mobility_parameters
from accord.platform import policy
from accord.platform.models import Party

FORM_FIELDS = ("origin", "destination", "mode", "regime", "filed_on", "title")
VEHICLE_ROWS = 6
FIELD_LABELS = {
    "origin": "From",
    "destination": "To",
    "from": "From",
    "to": "To",
    "depart": "Departure",
    "vehicles": "Vehicles",
    "mode": "Mode",
    "regime": "Permission rules",
    "filed_on": "Requests filed on",
    "title": "Title",
    "pre_authorised": "Pre-authorisation",
    "avoid_states": "States to avoid",
    "requesting_state": "Requesting state",
    "decision": "Decision",
    "conditions": "Conditions",
    "reason": "Reason",
}
ANCHORS = {
    "from": "origin",
    "to": "destination",
    "depart": "depart_day",
    "vehicles": "vehicle_name_1",
    "avoid_states": "origin",
    "pre_authorised": "origin",
    "requesting_state": "origin",
}


def _network():
    params = mobility_parameters()
    return default_network(params, params["mobility.network.detour_factor"].values[-1][0])


def _country_names() -> dict[str, str]:
    return dict(Party.objects.values_list("code", "name"))


def shown_problems(problems) -> list[dict]:
    """Problems as the error summary shows them: in words, each linked to its field."""
    out = []
    for p in problems:
        field = (p.field or "").split("[")[0]
        message = p.message
        if message[:1].islower():  # an engine message: say which field it is about
            message = f"{FIELD_LABELS.get(field, 'Movement')}: {message}"
        out.append({"text": message, "anchor": ANCHORS.get(field, field or "origin")})
    return out


def _form_context(data: dict) -> dict:
    network = _network()
    names = _country_names()
    nodes = sorted(
        ({"id": n.id, "name": n.name, "country_name": names.get(n.country, n.country)} for n in network.nodes),
        key=lambda n: (n["country_name"], n["name"]),
    )
    rows = list(data.get("vehicle_rows") or [])
    rows += [{"name": "", "count": ""}] * (VEHICLE_ROWS - len(rows))
    form = {k: data.get(k, "") for k in FORM_FIELDS} | {
        "emergency": data.get("emergency") in ("on", "true", True),
        "allow_sea": data.get("allow_sea") in ("on", "true", True),
        "vehicle_rows": rows[: max(VEHICLE_ROWS, len(rows))],
        "avoid_states": list(data.get("avoid_states") or []),
        **{k: data.get(k, "") for k in ("depart_day", "depart_month", "depart_year", "depart_time")},
    }
    return {
        "form": form,
        "nodes": nodes,
        "modes": [(m, services.MODE_LABELS[m]) for m in ROUTE_MODES],
        "regimes": [(r, services.REGIME_LABELS[r]) for r in REGIMES],
        "vehicle_names": [v.name for v in shipped_catalogue().vehicles if not v.transporter],
    }


def _plan_context(plan: dict) -> dict:
    network = _network()
    names = _country_names()
    timeline_rows = [
        {
            "state": s["state"],
            "entry": s["entry"],
            "exit": s["exit"],
            "latest_submission": (s["permission"] or {}).get("latest_submission"),
        }
        for s in plan["states"]
    ]
    origin, destination = network.node(plan["request"]["from"]), network.node(plan["request"]["to"])
    return {
        "plan": plan,
        "origin_name": origin.name,
        "destination_name": destination.name,
        "origin_country": origin.country,
        "destination_country": destination.country,
        "regime_label": services.REGIME_LABELS.get(plan["request"]["regime"], plan["request"]["regime"]),
        "avoid_names": [names.get(c, c) for c in plan["request"].get("avoid_states", [])],
        "map": maps.route_map(network, plan),
        "timeline": maps.state_timeline(timeline_rows),
    }


def _form_data(post) -> tuple[dict, list]:
    """The service payload from the form: vehicles from the list rows, the departure from day, month, year, time."""
    data = {k: post.get(k, "") for k in FORM_FIELDS}
    data["emergency"] = post.get("emergency", "")
    data["allow_sea"] = post.get("allow_sea", "")
    data["avoid_states"] = [c for c in post.getlist("avoid_states") if c.strip()][:10]
    rows, vehicles = [], []
    for i in range(1, VEHICLE_ROWS + 1):
        name, count = post.get(f"vehicle_name_{i}", "").strip(), post.get(f"vehicle_count_{i}", "").strip()
        rows.append({"name": name, "count": count})
        if name:
            vehicles.append({"name": name, "count": count or "1"})
    data["vehicles"] = [{"name": v["name"], "count": v["count"]} for v in vehicles]
    data["vehicle_rows"] = rows
    parts = {k: post.get(k, "").strip() for k in ("depart_day", "depart_month", "depart_year", "depart_time")}
    data.update(parts)
    problems = []
    if not (parts["depart_day"] or parts["depart_month"] or parts["depart_year"]):
        data["depart"] = ""
    else:
        try:
            day = dt.date(int(parts["depart_year"]), int(parts["depart_month"]), int(parts["depart_day"]))
            data["depart"] = day.isoformat()
            if parts["depart_time"]:
                at = dt.time.fromisoformat(parts["depart_time"].replace(".", ":"))
                data["depart"] = dt.datetime.combine(day, at).isoformat(timespec="minutes")
        except (ValueError, OverflowError):
            problems.append(
                Problem("Enter a real departure date and, if you give one, a time such as 06:00", field="depart")
            )
            data["depart"] = None
    return data, problems


@login_required
def plan_page(request):
    """The plan form; POST plans (and, with ``action=submit``, files the movement request)."""
    may_submit = policy.can(request.user, "create")
    if request.method != "POST":
        defaults = {
            "origin": "tidworth",
            "destination": "tapa",
            "mode": "any",
            "regime": "current",
            "vehicle_rows": [{"name": "Challenger 3", "count": "14"}, {"name": "MAN HX60", "count": "40"}],
        }
        notice = None
        replan = _replan_defaults(request)
        if replan:
            defaults, notice = replan
        return render(
            request,
            "mobility/plan.html",
            {**_form_context(defaults), "problems": [], "may_submit": may_submit, "replan_notice": notice},
        )
    data, form_problems = _form_data(request.POST)
    context = {**_form_context(data), "may_submit": may_submit}
    try:
        if form_problems:
            raise InputError(form_problems + _other_problems(data))
        if request.POST.get("action") == "submit":
            movement = services.create_movement(request.user, data)
            messages.success(
                request, f"Movement request {movement.pk} submitted to {movement.permissions.count()} state(s)."
            )
            return redirect("mobility:movement", movement_id=movement.pk)
        plan = services.plan_for(request.user, data)
    except InputError as exc:
        return render(request, "mobility/plan.html", {**context, "problems": shown_problems(exc.problems)}, status=400)
    except policy.Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    return render(request, "mobility/plan.html", {**context, **_plan_context(plan), "problems": []})


def _other_problems(data: dict) -> list:
    """With a bad departure, the other fields' problems too, so that all are reported at once."""
    problems = []
    try:
        services.parse_request({**data, "depart": "2030-01-01"}, "")
    except InputError as exc:
        problems += exc.problems
    vehicles = services._vehicles(data, [])
    if vehicles:
        problems += [
            p
            for p in validate_parts(
                _network(), shipped_catalogue(), data.get("origin"), data.get("destination"), vehicles, "any", "current"
            )
            if p.field == "vehicles"
        ]
    return problems


def _replan_defaults(request):
    """The form filled from a stored movement (``?replan=ID&avoid=LV``): the re-plan after a refusal."""
    raw_id, avoid = request.GET.get("replan", ""), request.GET.get("avoid", "")
    if not raw_id.isdigit() or len(raw_id) > 12:
        return None
    try:
        movement = services.movement_for(request.user, int(raw_id))
    except policy.NotVisible:
        return None
    req = movement.plan.get("request", {})
    depart = dt.datetime.fromisoformat(movement.plan.get("departure") or req.get("depart"))
    avoid_states = sorted(
        {*req.get("avoid_states", []), *([avoid.upper()] if avoid.isalpha() and len(avoid) <= 8 else [])}
    )
    names = _country_names()
    data = {
        "origin": movement.origin,
        "destination": movement.destination,
        "mode": movement.mode,
        "regime": movement.regime,
        "emergency": movement.emergency,
        "title": movement.title,
        "vehicle_rows": [{"name": v["name"], "count": str(v["count"])} for v in movement.vehicles],
        "depart_day": str(depart.day),
        "depart_month": str(depart.month),
        "depart_year": str(depart.year),
        "depart_time": f"{depart:%H:%M}",
        "avoid_states": avoid_states,
    }
    notice = (
        f"Planning movement {movement.pk} again, avoiding {', '.join(names.get(c, c) for c in avoid_states)}. "
        "A new request replaces the refused one."
    )
    return data, notice


@login_required
def movement_list(request):
    movements = [services.movement_dict(m, request.user, with_plan=False) for m in services.movements_for(request.user)]
    return render(request, "mobility/list.html", {"movements": movements})


@login_required
def movement_detail(request, movement_id: int):
    try:
        movement = services.movement_for(request.user, movement_id)
    except policy.NotVisible:
        raise Http404() from None
    data = services.movement_dict(movement, request.user)
    # The requester is told of each decision here (an in-app notice), with who decided, when and why.
    party = policy.party_of(request.user)
    notices = (
        [p for p in data["permissions"] if p["decision"] != "pending"]
        if party is not None and party.code == data["requesting_state"]
        else []
    )
    return render(
        request,
        "mobility/detail.html",
        {"m": data, **_plan_context(data["plan"]), "notices": notices, "decisions": services.DECISION_OPTIONS},
    )


@login_required
@require_POST
def decide(request, movement_id: int, state: str):
    try:
        services.decide(
            request.user,
            movement_id,
            state,
            {
                "decision": request.POST.get("decision"),
                "conditions": request.POST.get("conditions", ""),
                "reason": request.POST.get("reason", ""),
            },
        )
    except policy.NotVisible:
        raise Http404() from None
    except policy.Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except InputError as exc:
        for p in shown_problems(exc.problems):
            messages.error(request, p["text"])
    else:
        messages.success(request, "Decision recorded. The requesting state sees it on the movement page.")
    target = request.POST.get("next")
    if target == "inbox":
        return redirect("mobility:inbox")
    return redirect(reverse("mobility:movement", kwargs={"movement_id": movement_id}) + "#permissions")


@login_required
def inbox(request):
    party = policy.party_of(request.user)
    rows = [
        {
            "movement": services.movement_dict(p.movement, request.user, with_plan=False),
            "permission": services.permission_dict(p, request.user),
        }
        for p in services.inbox_for(request.user)
    ]
    return render(
        request, "mobility/inbox.html", {"rows": rows, "party": party, "decisions": services.DECISION_OPTIONS}
    )
