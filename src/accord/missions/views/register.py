"""Pages of the mission register: the list on a date, one mission's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accord.errors import InputError
from accord.missions import chart, services
from accord.missions.engine import words
from accord.missions.engine.catalogues import load_catalogues
from accord.missions.engine.register import MISSION_TYPES
from accord.missions.views.common import (
    ACTION_LABELS,
    PARTICIPATION_STATUS_LABELS,
    call_form_rows,
    date_of_answer,
    mission_or_404,
)
from accord.platform import policy
from accord.platform.models import Party


@login_required
def mission_list(request):
    on, problems = date_of_answer(request, request.GET)
    type_ = request.GET.get("type") or None
    region = request.GET.get("region") or None
    include_closed = request.GET.get("all") == "1"
    try:
        data = services.missions_for(
            request.user,
            on=on,
            type=type_,
            region=region,
            include_closed=include_closed,
        )
    except InputError as exc:
        problems += exc.problems
        data = services.missions_for(request.user, on=on, include_closed=include_closed)
    return render(
        request,
        "missions/list.html",
        {
            "on": on,
            "problems": problems,
            "data": data,
            "types": MISSION_TYPES,
            "selected_type": type_,
            "selected_region": region,
            "include_closed": include_closed,
        },
        status=400 if problems else 200,
    )


@login_required
def mission_detail(request, slug):
    mission = mission_or_404(request, slug)
    on, problems = date_of_answer(request, request.GET)
    return render_detail(request, mission, on, problems)


def render_detail(request, mission, on, problems, *, form=None, form_data=None, call_rows=None):
    page = services.mission_page(request.user, mission, on)
    for row in page["participations"]:
        row["status_label"] = PARTICIPATION_STATUS_LABELS.get(row["status"], row["status"])
        row["history_rows"] = [
            {
                "label": "Invited" if s.get("action") == "invite" else words.action_label(s.get("action") or ""),
                "party": words.capitalised(words.party_name(services.registry(), s.get("party") or "")),
                "by": s.get("by"),
                "at": s.get("at") or s.get("on"),
                "reason": s.get("reason"),
            }
            for s in row["history"] or []
        ]
        row["actions"] = [(a, ACTION_LABELS.get(a, a)) for a in row["available_actions"] if a != "offer"]
    page["mission"]["host_names"] = [
        words.country_name(services.registry(), code) for code in page["mission"]["host_countries"]
    ]
    fg = page["force_generation"]
    if fg:
        for r in fg["requirements"]:
            r["capability_label"] = services.capability_label(r["capability"])
    catalogues = load_catalogues()
    reg = services.registry()
    third_states = sorted(
        ((p.code, p.name) for p in Party.objects.filter(kind="state") if not reg.is_member(p.code, "EU", on=on)),
        key=lambda pair: pair[1],
    )
    rounds = [services.round_row(request.user, r) for r in services.rounds_for(request.user, mission)]
    return render(
        request,
        "missions/detail.html",
        {
            "on": on,
            "problems": problems,
            "form": form,
            "form_prefix": {
                "requirement": "req-",
                "offer": "off-",
                "call": "call-",
                "round": "round-",
            }.get(form, ""),
            "call_rows": call_rows or call_form_rows({}, []),
            "form_data": form_data or {},
            "mission": mission,
            "page": page,
            "m": page["mission"],
            "fg": fg,
            "chart": chart.gap_chart(fg) if fg else None,
            **services.page_permissions(request.user, mission, on),
            "capabilities": sorted(catalogues.capabilities.values(), key=lambda c: c.label),
            "job_descriptions": sorted(catalogues.job_descriptions.values(), key=lambda j: j.title),
            "status_label": page["mission"]["status_label"],
            "gap_rows": _gap_rows(fg) if fg else [],
            "third_states": third_states,
            "rounds": rounds,
            "may_run_rounds": policy.can(request.user, "missions.run_rounds", mission),
            "open_round": next((r for r in rounds if r["open"]), None),
        },
        status=400 if problems else 200,
    )


def _gap_rows(fg):
    reasons = {g["requirement"]: g["reasons"] for g in fg["gaps"]}
    return [
        {
            **r,
            "reasons": reasons.get(r["id"], []),
            "capability_label": services.capability_label(r["capability"]),
        }
        for r in fg["requirements"]
    ]
