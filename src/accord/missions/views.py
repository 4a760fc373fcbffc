"""Web pages of the missions capability (thin: the service layer does the work)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accord.errors import InputError
from accord.missions import chart, services
from accord.missions.engine.register import MISSION_TYPES
from accord.missions.engine.catalogues import load_catalogues
from accord.platform import policy

ACTION_LABELS = {
    "call_for_contributions": "Send the call for contributions",
    "offer": "Offer a contribution",
    "withdraw_offer": "Withdraw the offer",
    "recommend": "Recommend acceptance",
    "record_participation_agreement": "Record a participation agreement",
    "accept": "Accept (PSC decision)",
    "reject": "Reject (PSC decision)",
    "associate": "Associate with the Council decision",
}


def _on(request, source):
    today = timezone.localdate()
    try:
        return services.parse_on(source.get("on"), today), []
    except InputError as exc:
        return today, exc.problems


@login_required
def mission_list(request):
    on, problems = _on(request, request.GET)
    type_ = request.GET.get("type") or None
    region = request.GET.get("region") or None
    include_closed = request.GET.get("all") == "1"
    try:
        data = services.missions_for(request.user, on=on, type=type_, region=region, include_closed=include_closed)
    except InputError as exc:
        problems += exc.problems
        data = services.missions_for(request.user, on=on, include_closed=include_closed)
    for m in data["missions"]:
        m["status_label"] = m["status"].replace("_", " ")
    return render(
        request,
        "missions/list.html",
        {"on": on, "problems": problems, "data": data, "types": MISSION_TYPES, "selected_type": type_,
         "selected_region": region, "include_closed": include_closed},
        status=400 if problems else 200,
    )


@login_required
def mission_detail(request, slug):
    mission = _mission_or_404(request, slug)
    on, problems = _on(request, request.GET)
    return _render_detail(request, mission, on, problems)


def _mission_or_404(request, slug):
    try:
        return services.mission_for(request.user, slug)
    except policy.NotVisible:
        raise Http404("no such mission") from None


def _render_detail(request, mission, on, problems, *, form=None, form_data=None):
    page = services.mission_page(request.user, mission, on)
    for row in page["participations"]:
        row["actions"] = [(a, ACTION_LABELS.get(a, a)) for a in row["available_actions"] if a != "offer"]
    fg = page["force_generation"]
    if fg:
        for r in fg["requirements"]:
            r["capability_label"] = services.capability_label(r["capability"])
    catalogues = load_catalogues()
    return render(
        request,
        "missions/detail.html",
        {
            "on": on,
            "problems": problems,
            "form": form,
            "form_prefix": {"requirement": "req-", "offer": "off-"}.get(form, ""),
            "form_data": form_data or {},
            "mission": mission,
            "page": page,
            "m": page["mission"],
            "fg": fg,
            "chart": chart.gap_chart(fg) if fg else None,
            **services.page_permissions(request.user, mission, on),
            "capabilities": sorted(catalogues.capabilities.values(), key=lambda c: c.label),
            "job_descriptions": sorted(catalogues.job_descriptions.values(), key=lambda j: j.title),
            "status_label": page["mission"]["status"].replace("_", " ").capitalize(),
            "gap_rows": _gap_rows(fg) if fg else [],
        },
        status=400 if problems else 200,
    )


def _gap_rows(fg):
    reasons = {g["requirement"]: g["reasons"] for g in fg["gaps"]}
    return [
        {**r, "reasons": reasons.get(r["id"], []), "capability_label": services.capability_label(r["capability"])}
        for r in fg["requirements"]
    ]


@login_required
@require_POST
def participation_step(request, slug, pk):
    on, problems = _on(request, request.POST)
    if problems:
        messages.error(request, problems[0].message)
        return redirect("missions:detail", slug=slug)
    try:
        participation = services.participation_for(request.user, pk)
    except policy.NotVisible:
        raise Http404("no such participation") from None
    action = request.POST.get("action", "")
    try:
        services.take_step(request.user, participation, action, on)
    except InputError as exc:
        messages.error(request, "; ".join(p.message for p in exc.problems))
    except policy.Forbidden as exc:
        messages.error(request, str(exc))
    except services.StepRefused as exc:
        messages.error(request, "Refused: " + "; ".join(exc.decision.reasons))
    else:
        messages.success(request, f"{participation.state.code}: {ACTION_LABELS.get(action, action)} – done.")
    return redirect(reverse("missions:detail", args=[participation.mission.slug]) + f"?on={on.isoformat()}")


@login_required
@require_POST
def invite(request, slug):
    try:
        mission = services.mission_for(request.user, slug)
    except policy.NotVisible:
        raise Http404("no such mission") from None
    on, problems = _on(request, request.POST)
    if problems:
        messages.error(request, problems[0].message)
        return redirect("missions:detail", slug=slug)
    state = (request.POST.get("state") or "").strip().upper()
    try:
        services.invite(request.user, mission, state, on)
    except InputError as exc:
        messages.error(request, "; ".join(p.message for p in exc.problems))
    except policy.Forbidden as exc:
        messages.error(request, str(exc))
    except services.StepRefused as exc:
        messages.error(request, "Refused: " + "; ".join(exc.decision.reasons))
    else:
        messages.success(request, f"{state} invited to {mission.acronym}.")
    return redirect(reverse("missions:detail", args=[mission.slug]) + f"?on={on.isoformat()}")


def _words(value: str) -> list[str]:
    return [w.strip() for w in (value or "").split(",") if w.strip()]


def _number(value: str):
    """A whole number as typed; anything else is passed on for the engine to name."""
    value = (value or "").strip()
    if value == "":
        return None
    return int(value) if value.lstrip("-").isdigit() else value


def _text(value: str):
    value = (value or "").strip()
    return value or None


@login_required
@require_POST
def add_requirement(request, slug):
    mission = _mission_or_404(request, slug)
    on, problems = _on(request, request.POST)
    data = {
        "id": _text(request.POST.get("id")),
        "capability": _text(request.POST.get("capability")),
        "job_description": _text(request.POST.get("job_description")),
        "quantity": _number(request.POST.get("quantity")),
        "needed_from": _text(request.POST.get("needed_from")),
        "duration_days": _number(request.POST.get("duration_days")),
        "tasks": _words(request.POST.get("tasks")),
        "area": _text(request.POST.get("area")),
    }
    if not problems:
        try:
            services.add_requirement(request.user, mission, data, on)
        except InputError as exc:
            problems = exc.problems
        except policy.Forbidden as exc:
            messages.error(request, str(exc))
            return redirect(reverse("missions:detail", args=[mission.slug]))
    if problems:
        return _render_detail(request, mission, on, problems, form="requirement", form_data=request.POST)
    messages.success(request, f"Requirement {data['id']} added to {mission.acronym}.")
    return redirect(reverse("missions:detail", args=[mission.slug]) + f"?on={on.isoformat()}")


@login_required
@require_POST
def add_offer(request, slug):
    mission = _mission_or_404(request, slug)
    on, problems = _on(request, request.POST)
    data = {
        "id": _text(request.POST.get("id")),
        "capability": _text(request.POST.get("capability")),
        "job_description": _text(request.POST.get("job_description")),
        "quantity": _number(request.POST.get("quantity")),
        "available_from": _text(request.POST.get("available_from")),
        "available_until": _text(request.POST.get("available_until")),
        "max_duration_days": _number(request.POST.get("max_duration_days")),
        "excluded_tasks": _words(request.POST.get("excluded_tasks")),
        "excluded_areas": _words(request.POST.get("excluded_areas")),
        "common_cost": request.POST.get("common_cost") == "1",
    }
    if not problems:
        try:
            services.add_offer(request.user, mission, data, on)
        except InputError as exc:
            problems = exc.problems
        except policy.Forbidden as exc:
            messages.error(request, str(exc))
            return redirect(reverse("missions:detail", args=[mission.slug]))
        except services.StepRefused as exc:
            messages.error(request, "Refused: " + "; ".join(exc.decision.reasons))
            return redirect(reverse("missions:detail", args=[mission.slug]))
    if problems:
        return _render_detail(request, mission, on, problems, form="offer", form_data=request.POST)
    messages.success(request, f"Offer {data['id']} recorded for {mission.acronym}.")
    return redirect(reverse("missions:detail", args=[mission.slug]) + f"?on={on.isoformat()}")
