"""Forms of the third-state participation workflow: invite, each step."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accord.errors import InputError
from accord.missions import services
from accord.missions.views.common import ACTION_LABELS, date_of_answer
from accord.platform import policy
from accord.platform.models import Party


@login_required
@require_POST
def participation_step(request, slug, pk):
    on, problems = date_of_answer(request, request.POST)
    if problems:
        messages.error(request, problems[0].message)
        return redirect("missions:detail", slug=slug)
    try:
        participation = services.participation_for(request.user, pk)
    except policy.NotVisible:
        raise Http404("no such participation") from None
    action = request.POST.get("action", "")
    try:
        agreement = {k: request.POST.get(f"agreement_{k}", "") for k in ("title", "signed_on", "href")}
        services.take_step(request.user, participation, action, reason=request.POST.get("reason"), agreement=agreement)
    except InputError as exc:
        messages.error(request, "; ".join(p.message for p in exc.problems))
    except policy.Forbidden as exc:
        messages.error(request, str(exc))
    except services.StepRefused as exc:
        messages.error(request, "Refused: " + "; ".join(exc.decision.reasons))
    else:
        messages.success(
            request,
            f"{participation.state.name}: {ACTION_LABELS.get(action, action)} – done.",
        )
    return redirect(reverse("missions:detail", args=[participation.mission.slug]) + f"?on={on.isoformat()}")


@login_required
@require_POST
def invite(request, slug):
    try:
        mission = services.mission_for(request.user, slug)
    except policy.NotVisible:
        raise Http404("no such mission") from None
    on, problems = date_of_answer(request, request.POST)
    if problems:
        messages.error(request, problems[0].message)
        return redirect("missions:detail", slug=slug)
    state = (request.POST.get("state") or "").strip().upper()
    try:
        services.invite(request.user, mission, state)
    except InputError as exc:
        messages.error(request, "; ".join(p.message for p in exc.problems))
    except policy.Forbidden as exc:
        messages.error(request, str(exc))
    except services.StepRefused as exc:
        messages.error(request, "Refused: " + "; ".join(exc.decision.reasons))
    else:
        invited = Party.objects.filter(code=state).first()
        messages.success(request, f"{invited.name if invited else state} invited to {mission.acronym}.")
    return redirect(reverse("missions:detail", args=[mission.slug]) + f"?on={on.isoformat()}")
