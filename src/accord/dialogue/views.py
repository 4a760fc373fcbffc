"""Web pages of the dialogue capability (thin: services and policy decide)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accord.dialogue import services
from accord.dialogue.api import exercise_out, invitation_out, meeting_out
from accord.dialogue.engine.meetings import ACTION_STATUSES
from accord.dialogue.engine.reference import areas, body_by_code
from accord.dialogue.models import Action, Consultation, Exercise, ExerciseParticipation, Invitation, Meeting, WorkingGroup
from accord.dialogue.schedule import schedule_data
from accord.errors import InputError
from accord.platform import policy


def _visible_or_404(user, queryset, **lookup):
    try:
        return policy.get_visible(user, queryset, **lookup)
    except policy.NotVisible:
        raise Http404() from None


def _date_param(request, name: str) -> tuple[dt.date, list[str]]:
    raw = request.GET.get(name)
    if not raw:
        return timezone.localdate(), []
    try:
        return dt.date.fromisoformat(raw), []
    except ValueError:
        return timezone.localdate(), [f"{raw!r} is not a date (YYYY-MM-DD); showing today."]


@login_required
def schedule(request):
    today = timezone.localdate()
    user = request.user
    cycle = schedule_data(6, today)
    return render(request, "dialogue/schedule.html", {
        "today": today,
        "cycle": cycle,
        "inferred": [p["label"] for p in cycle["basis"] if p["confidence"] == "inferred"],
        "consultations": policy.visible(user, Consultation.objects.all()),
        "meetings": policy.visible(user, Meeting.objects.select_related("owner", "working_group")),
        "working_groups": policy.visible(user, WorkingGroup.objects.all()),
    })


@login_required
def meeting_detail(request, meeting_id: int):
    meeting = _visible_or_404(request.user, Meeting.objects.all(), pk=meeting_id)
    on, errors = _date_param(request, "on")
    area_names = {a.code: a.name for a in areas()}
    data = meeting_out(request.user, meeting, on)
    for group in data["agenda"]:
        group["name"] = area_names.get(group["area"], group["area"])
    updatable = {
        a.pk for a in policy.visible(request.user, meeting.actions.select_related("owner_party", "owner"))
        if policy.can(request.user, "dialogue.update_action", a)
    }
    for action in data["actions"]:
        action["may_update"] = action["id"] in updatable
    return render(request, "dialogue/meeting.html", {
        "meeting": data, "on": on, "errors": errors, "statuses": ACTION_STATUSES,
    })


@require_POST
@login_required
def action_status(request, action_id: int):
    action = _visible_or_404(request.user, Action.objects.select_related("owner_party", "owner"), pk=action_id)
    try:
        services.set_action_status(request.user, action, request.POST.get("status", ""))
        messages.success(request, f"Action status: {action.status.replace('_', ' ')}.")
    except InputError as exc:
        for problem in exc.problems:
            messages.error(request, str(problem))
    except policy.Forbidden as exc:
        messages.error(request, str(exc))
    return redirect("dialogue:meeting", meeting_id=action.meeting_id)


@login_required
def overdue(request):
    on, errors = _date_param(request, "on")
    return render(request, "dialogue/overdue.html", {
        "on": on, "errors": errors, "overdue": services.overdue_actions(request.user, on),
    })


@login_required
def invitations(request):
    user = request.user
    rows = []
    for invitation in policy.visible(user, Invitation.objects.select_related("inviting_party", "invitee_party")):
        row = invitation_out(user, invitation)
        body = body_by_code(invitation.body)
        row["body_name"] = body.name if body else invitation.body
        rows.append(row)
    return render(request, "dialogue/invitations.html", {"invitations": rows})


@require_POST
@login_required
def move_invitation(request, invitation_id: int):
    invitation = _visible_or_404(request.user, Invitation.objects.all(), pk=invitation_id)
    try:
        services.move_invitation(request.user, invitation, request.POST.get("state", ""))
        messages.success(request, f"Invitation to {invitation.meeting_title}: {invitation.state}.")
    except InputError as exc:
        for problem in exc.problems:
            messages.error(request, str(problem))
    except policy.Forbidden as exc:
        messages.error(request, str(exc))
    return redirect("dialogue:invitations")


@login_required
def exercises(request):
    user = request.user
    today = timezone.localdate()
    rows = []
    for exercise in policy.visible(user, Exercise.objects.all()):
        row = exercise_out(exercise)
        row["offers"] = list(policy.visible(user, exercise.participations.select_related("partner")))
        row["may_answer"] = [o.pk for o in row["offers"] if policy.can(user, "dialogue.answer_offer", o)]
        row["may_offer"] = services.may_offer_now(user, exercise, today)
        rows.append(row)
    return render(request, "dialogue/exercises.html", {"exercises": rows})


@require_POST
@login_required
def offer(request, code: str):
    exercise = _visible_or_404(request.user, Exercise.objects.all(), code=code)
    try:
        services.offer_participation(request.user, exercise, timezone.localdate(), request.POST.get("note", ""))
        messages.success(request, f"Participation in {exercise.name} offered.")
    except InputError as exc:
        for problem in exc.problems:
            messages.error(request, str(problem))
    except policy.Forbidden as exc:
        messages.error(request, str(exc))
    return redirect("dialogue:exercises")


@require_POST
@login_required
def answer_offer(request, offer_id: int):
    record = _visible_or_404(request.user, ExerciseParticipation.objects.select_related("exercise"), pk=offer_id)
    try:
        services.answer_offer(request.user, record, request.POST.get("state", ""), timezone.localdate())
        messages.success(request, f"Offer {record.state}.")
    except InputError as exc:
        for problem in exc.problems:
            messages.error(request, str(problem))
    except policy.Forbidden as exc:
        messages.error(request, str(exc))
    return redirect("dialogue:exercises")


@login_required
def calendar(request):
    """Manage the user's secret calendar URL (the secret is shown once, after creation)."""
    secret = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_feed(request.user)
            messages.success(request, "Your calendar URL is revoked; it no longer works.")
            return redirect("dialogue:calendar")
        secret = services.create_feed(request.user)
    url = request.build_absolute_uri(f"/dialogue/calendar/{secret}.ics") if secret else None
    return render(request, "dialogue/calendar.html", {"feed": services.active_feed(request.user), "url": url})


@require_GET
def calendar_feed(request, secret: str):
    """The feed: no sign-in, only a valid unrevoked secret; 404 otherwise (never say why)."""
    user = services.user_for_feed(secret)
    if user is None:
        raise Http404()
    body = services.feed_calendar(user, timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
