"""Web pages of the mobility capability (thin: the service layer and the engine do the work)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accord.errors import InputError
from accord.mobility import maps, services
from accord.mobility.engine.permissions import REGIMES
from accord.mobility.engine.planner import default_network, shipped_catalogue
from accord.mobility.engine.routing import ROUTE_MODES
from accord.mobility.engine.rules import mobility_parameters
from accord.platform import policy

FORM_FIELDS = ("origin", "destination", "depart", "vehicles", "mode", "regime", "filed_on", "title")


def _network():
    params = mobility_parameters()
    return default_network(params, params["mobility.network.detour_factor"].values[-1][0])


def _form_context(data: dict) -> dict:
    network = _network()
    nodes = sorted(network.nodes, key=lambda n: (n.country, n.name))
    return {
        "form": {k: data.get(k, "") for k in FORM_FIELDS} | {"emergency": data.get("emergency") in ("on", "true", True)},
        "nodes": nodes, "modes": ROUTE_MODES, "regimes": REGIMES,
        "vehicle_names": [v.name for v in shipped_catalogue().vehicles],
    }


def _plan_context(plan: dict) -> dict:
    network = _network()
    timeline_rows = [{"state": s["state"], "entry": s["entry"], "exit": s["exit"],
                      "latest_submission": (s["permission"] or {}).get("latest_submission")} for s in plan["states"]]
    ends = {"origin_name": network.node(plan["request"]["from"]).name,
            "destination_name": network.node(plan["request"]["to"]).name}
    return {"plan": plan, **ends, "map": maps.route_map(network, plan), "timeline": maps.state_timeline(timeline_rows)}


@login_required
def plan_page(request):
    """The plan form; POST plans (and, with ``action=submit``, files the movement request)."""
    if request.method != "POST":
        defaults = {"origin": "tidworth", "destination": "tapa", "vehicles": "Challenger 3:14,MAN HX60:40",
                    "mode": "any", "regime": "current"}
        return render(request, "mobility/plan.html", {**_form_context(defaults), "problems": [],
                                                      "may_submit": policy.can(request.user, "create")})
    data = {k: request.POST.get(k, "") for k in FORM_FIELDS} | {"emergency": request.POST.get("emergency", "")}
    context = {**_form_context(data), "may_submit": policy.can(request.user, "create")}
    try:
        if request.POST.get("action") == "submit":
            movement = services.create_movement(request.user, data)
            messages.success(request, f"Movement request {movement.pk} submitted to {movement.permissions.count()} state(s).")
            return redirect("mobility:movement", movement_id=movement.pk)
        plan = services.plan_for(request.user, data)
    except InputError as exc:
        return render(request, "mobility/plan.html", {**context, "problems": exc.problems}, status=400)
    except policy.Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    return render(request, "mobility/plan.html", {**context, **_plan_context(plan), "problems": []})


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
    return render(request, "mobility/detail.html", {"m": data, **_plan_context(data["plan"]),
                                                    "decisions": services.DECISION_OPTIONS})


@login_required
@require_POST
def decide(request, movement_id: int, state: str):
    try:
        services.decide(request.user, movement_id, state, {"decision": request.POST.get("decision"),
                                                           "conditions": request.POST.get("conditions", "")})
    except policy.NotVisible:
        raise Http404() from None
    except policy.Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except InputError as exc:
        for p in exc.problems:
            messages.error(request, f"{p.field}: {p.message}")
    else:
        messages.success(request, f"Decision for {state.upper()} recorded.")
    target = request.POST.get("next")
    if target == "inbox":
        return redirect("mobility:inbox")
    return redirect(reverse("mobility:movement", kwargs={"movement_id": movement_id}) + "#permissions")


@login_required
def inbox(request):
    party = policy.party_of(request.user)
    rows = [{"movement": services.movement_dict(p.movement, request.user, with_plan=False),
             "permission": services.permission_dict(p, request.user)} for p in services.inbox_for(request.user)]
    return render(request, "mobility/inbox.html", {"rows": rows, "party": party, "decisions": services.DECISION_OPTIONS})
