"""Forms of force generation: a requirement, an offer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accord.errors import InputError
from accord.missions import services
from accord.missions.views.common import (
    date_of_answer,
    mission_or_404,
    number,
    text,
    words,
)
from accord.missions.views.register import render_detail
from accord.platform import policy


def _save_and_respond(request, mission, on, problems, *, form: str, save, success: str):
    """Save through the service unless the date was already wrong; show the form again
    with every problem, or go back to the mission with a message."""
    if not problems:
        try:
            save()
        except InputError as exc:
            problems = exc.problems
        except policy.Forbidden as exc:
            messages.error(request, str(exc))
            return redirect(reverse("missions:detail", args=[mission.slug]))
        except services.StepRefused as exc:
            messages.error(request, "Refused: " + "; ".join(exc.decision.reasons))
            return redirect(reverse("missions:detail", args=[mission.slug]))
    if problems:
        return render_detail(request, mission, on, problems, form=form, form_data=request.POST)
    messages.success(request, success)
    return redirect(reverse("missions:detail", args=[mission.slug]) + f"?on={on.isoformat()}")


@login_required
@require_POST
def add_requirement(request, slug):
    mission = mission_or_404(request, slug)
    on, problems = date_of_answer(request, request.POST)
    data = {
        "id": text(request.POST.get("id")),
        "capability": text(request.POST.get("capability")),
        "job_description": text(request.POST.get("job_description")),
        "quantity": number(request.POST.get("quantity")),
        "needed_from": text(request.POST.get("needed_from")),
        "duration_days": number(request.POST.get("duration_days")),
        "tasks": words(request.POST.get("tasks")),
        "area": text(request.POST.get("area")),
        "priority": number(request.POST.get("priority")),
        "rotation": request.POST.get("rotation") == "1",
    }
    return _save_and_respond(
        request,
        mission,
        on,
        problems,
        form="requirement",
        save=lambda: services.add_requirement(request.user, mission, data),
        success=f"Requirement {data['id']} added to {mission.acronym}.",
    )


@login_required
@require_POST
def add_offer(request, slug):
    mission = mission_or_404(request, slug)
    on, problems = date_of_answer(request, request.POST)
    data = {
        "id": text(request.POST.get("id")),
        "capability": text(request.POST.get("capability")),
        "job_description": text(request.POST.get("job_description")),
        "quantity": number(request.POST.get("quantity")),
        "available_from": text(request.POST.get("available_from")),
        "available_until": text(request.POST.get("available_until")),
        "max_duration_days": number(request.POST.get("max_duration_days")),
        "excluded_tasks": words(request.POST.get("excluded_tasks")),
        "excluded_areas": words(request.POST.get("excluded_areas")),
        "common_cost": request.POST.get("common_cost") == "1",
        "reserve": request.POST.get("reserve") == "1",
    }
    return _save_and_respond(
        request,
        mission,
        on,
        problems,
        form="offer",
        save=lambda: services.add_offer(request.user, mission, data),
        success=f"Offer {data['id']} recorded for {mission.acronym}.",
    )


@login_required
@require_POST
def open_round(request, slug):
    mission = mission_or_404(request, slug)
    on, problems = date_of_answer(request, request.POST)
    data = {"closes_on": text(request.POST.get("closes_on"))}
    return _save_and_respond(
        request,
        mission,
        on,
        problems,
        form="round",
        save=lambda: services.open_round(request.user, mission, data),
        success="Round opened: the call for offers is sent.",
    )


@login_required
@require_POST
def close_round(request, slug, number):
    mission = mission_or_404(request, slug)
    on, problems = date_of_answer(request, request.POST)
    return _save_and_respond(
        request,
        mission,
        on,
        problems,
        form="round",
        save=lambda: services.close_round(request.user, mission, number),
        success=f"Round {number} closed: its shortfall list is kept below.",
    )
