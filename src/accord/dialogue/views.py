"""Web pages of the dialogue capability (thin: services and policy decide)."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.dialogue import services
from accord.dialogue.api import exercise_out, invitation_out, meeting_out
from accord.dialogue.engine import meetings as meeting_rules
from accord.dialogue.engine.meetings import ACTION_STATUSES
from accord.dialogue.engine.reference import areas, body_by_code
from accord.dialogue.models import (
    Action,
    Consultation,
    Exercise,
    ExerciseParticipation,
    Invitation,
    Meeting,
    WorkingGroup,
)
from accord.dialogue.schedule import schedule_data
from accord.errors import InputError, Problem
from accord.platform import policy
from accord.platform.models import Party
from accord.values import to_date_day_first
from accord.web.lists import Column, work_list


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
        return timezone.localdate(), ["Enter the date as a real date, for example 1 March 2026. Showing today instead."]


@login_required
def schedule(request):
    today = timezone.localdate()
    user = request.user
    cycle = schedule_data(6, today)
    return render(
        request,
        "dialogue/schedule.html",
        {
            "today": today,
            "cycle": cycle,
            "inferred": [p["label"] for p in cycle["basis"] if p["confidence"] == "inferred"],
            "consultations": policy.visible(user, Consultation.objects.all()),
            "meetings": policy.visible(user, Meeting.objects.select_related("owner", "working_group")),
            "working_groups": policy.visible(user, WorkingGroup.objects.all()),
            "may_record_meeting": policy.can(user, "dialogue.create_meeting"),
        },
    )


@login_required
def meeting_detail(request, meeting_id: int):
    meeting = _visible_or_404(request.user, Meeting.objects.all(), pk=meeting_id)
    return _meeting_page(request, meeting)


def _meeting_page(request, meeting: Meeting, *, action_values=None, action_problems=(), status: int = 200):
    """The meeting page; with the "Add an action" form's values and problems after a refused post."""
    on, errors = _date_param(request, "on")
    area_names = {a.code: a.name for a in areas()}
    data = meeting_out(request.user, meeting, on)
    for group in data["agenda"]:
        group["name"] = area_names.get(group["area"], group["area"])
    updatable = {
        a.pk
        for a in policy.visible(request.user, meeting.actions.select_related("owner_party", "owner"))
        if policy.can(request.user, "dialogue.update_action", a)
    }
    for action in data["actions"]:
        action["may_update"] = action["id"] in updatable
    form_errors = [_action_error(p) for p in action_problems]
    return render(
        request,
        "dialogue/meeting.html",
        {
            "meeting": data,
            "on": on,
            "errors": errors,
            "statuses": ACTION_STATUSES,
            "may_add_action": policy.can(request.user, "edit", meeting),
            "parties": _party_choices(),
            "action_values": action_values or {},
            "form_errors": form_errors,
            "action_field_errors": {e["field"]: e["text"] for e in form_errors if e["field"]},
        },
        status=status,
    )


# --- forms: record a meeting, add an action ----------------------------------------
#
# The forms only shape what was typed into the mapping the API passes to the same
# service functions; the services and the engine validate. Every ``Problem`` they
# report is shown in the error summary, linked to the field it names.

AGENDA_ROWS, ATTENDEE_ROWS, MORE_ROWS, MAX_ROWS = 4, 6, 3, 60
_MEETING_FIELDS = {
    "title": "Title",
    "date": "Date",
    "consultation": "Consultation",
    "working_group": "Working group",
    "location": "Location",
    "outcomes": "Outcomes",
}
# How each field is named in an error message, GOV.UK style: (kind, what it is).
# kind "text": "Enter the title of the meeting"; "select": "Select the working group";
# "date": "Enter the date of the meeting" / "... must be a real date".
_FIELD_WORDS = {
    "title": ("text", "the title of the meeting"),
    "date": ("date", "the date of the meeting"),
    "consultation": ("select", "a strategic consultation from the list"),
    "working_group": ("select", "a working group from the list"),
    "location": ("text", "the location"),
    "outcomes": ("text", "the outcomes"),
    "description": ("text", "a description of the action"),
    "owner_party": ("select", "the party that owns the action"),
    "due": ("date", "the due date of the action"),
    "area": ("select", "an area of common interest"),
    "name": ("text", "the name of the attendee"),
    "party": ("select", "the party of the attendee"),
    "item": ("text", "the item"),
}
_ACTION_FIELDS = {
    "description": ("action-description", "Description"),
    "owner_party": ("action-owner_party", "Owner party"),
    "due": ("action-due", "Due date"),
}
_TOO_LONG = re.compile(r"at most (\d+) characters")
DATE_EXAMPLE = "10 February 2026"


def _field_text(field: str | None, message: str) -> str:
    """The GOV.UK error text for a problem the service found with a form field.

    The services speak to API clients ("is required", "'2026-13-01' is not a date (YYYY-MM-DD)");
    people filling in the form read what to do, naming the field by its label.
    """
    kind, what = _FIELD_WORDS.get(field or "", (None, None))
    if kind is None:
        return message[:1].upper() + message[1:]
    too_long = _TOO_LONG.search(message)
    if too_long:
        return f"{what[:1].upper()}{what[1:]} must be {too_long.group(1)} characters or fewer"
    if kind == "date" and "date" in message and "need" not in message and "required" not in message:
        return f"{what[:1].upper()}{what[1:]} must be a real date, for example {DATE_EXAMPLE}"
    if kind == "select":
        return f"Select {what}"
    return f"Enter {what}"


def _action_error(problem: Problem) -> dict:
    field_id, _ = _ACTION_FIELDS.get(problem.field or "", (None, None))
    return {
        "id": field_id,
        "field": problem.field if field_id else None,
        "text": _field_text(problem.field if field_id else None, problem.message),
    }


def _typed_date(value: str) -> str:
    """A date as people type it, day first (10/02/2026, 10 February 2026), in the form the
    services read; anything else is passed on unchanged for the service to refuse."""
    try:
        return to_date_day_first(value).isoformat()
    except ValueError:
        return value


def _party_choices() -> list[tuple[str, list[Party]]]:
    """Parties for a select: the two sides of the partnership first, then every other party."""
    partnership = sorted(services.partnership_parties(), key=lambda p: (p.code != "GB", p.name))
    codes = {p.code for p in partnership}
    others = [p for p in Party.objects.order_by("name") if p.code not in codes]
    return [("UK–EU partnership", partnership), ("Other parties", others)]


def _row_count(post, name: str, default: int) -> int:
    try:
        count = int(post.get(name) or default)
    except ValueError:
        count = default
    return max(default, min(count, MAX_ROWS))


def _meeting_input(post, agenda_rows: int, attendee_rows: int):
    """The service's input from the form, and which form row each agenda item and attendee came from.

    A row left wholly blank is not an item; a half-filled row is passed on, for the engine to name
    what is missing.
    """
    data = {name: post.get(name, "").strip() for name in _MEETING_FIELDS}
    data["date"] = _typed_date(data["date"])
    data["consultation"] = data["consultation"] or None
    data["working_group"] = data["working_group"] or None
    data["agenda"], data["attendees"] = [], []
    rows = {"agenda": [], "attendees": []}
    for n in range(agenda_rows):
        area, title = post.get(f"agenda-{n}-area", "").strip(), post.get(f"agenda-{n}-title", "").strip()
        if area or title:
            data["agenda"].append({"area": area, "title": title})
            rows["agenda"].append(n)
    for n in range(attendee_rows):
        name, party = post.get(f"attendee-{n}-name", "").strip(), post.get(f"attendee-{n}-party", "").strip()
        if name or party:
            data["attendees"].append({"name": name, "party": party})
            rows["attendees"].append(n)
    return data, rows


_ROW_FIELD = re.compile(r"^(agenda|attendees)\[(\d+)\]\.(\w+)$")


def _meeting_error(problem: Problem, rows: dict[str, list[int]]) -> dict:
    """An error summary entry: the message, and the id of the form field it is about."""
    field = problem.field or ""
    match = _ROW_FIELD.match(field)
    if match:
        group, index, name = match.group(1), int(match.group(2)), match.group(3)
        slots = rows.get(group, [])
        if index < len(slots):
            n = slots[index]
            text = _field_text(name if name != "title" else "item", problem.message)
            if group == "agenda":
                return {"id": f"agenda-{n}-{name}", "text": f"Agenda item {n + 1}: {text[:1].lower()}{text[1:]}"}
            return {"id": f"attendee-{n}-{name}", "text": f"Attendee {n + 1}: {text[:1].lower()}{text[1:]}"}
    return {
        "id": field if field in _MEETING_FIELDS else None,
        "text": _field_text(field if field in _MEETING_FIELDS else None, problem.message),
    }


@require_http_methods(["GET", "POST"])
@login_required
def record_meeting(request):
    """Record a meeting (agenda by area, attendees, outcomes) through ``services.create_meeting``."""
    user = request.user
    if not policy.can(user, "dialogue.create_meeting"):
        raise PermissionDenied("you may not record dialogue meetings")
    post = request.POST if request.method == "POST" else {}
    agenda_rows = _row_count(post, "agenda_rows", AGENDA_ROWS)
    attendee_rows = _row_count(post, "attendee_rows", ATTENDEE_ROWS)
    errors, status = [], 200
    if request.method == "POST":
        more = post.get("more")
        if more == "agenda":
            agenda_rows = min(agenda_rows + MORE_ROWS, MAX_ROWS)
        elif more == "attendees":
            attendee_rows = min(attendee_rows + MORE_ROWS, MAX_ROWS)
        else:
            data, rows = _meeting_input(post, agenda_rows, attendee_rows)
            try:
                meeting = services.create_meeting(user, data)
            except InputError as exc:
                errors, status = [_meeting_error(p, rows) for p in exc.problems], 422
            except policy.Forbidden as exc:
                raise PermissionDenied(str(exc)) from None
            else:
                messages.success(request, f"Meeting recorded: {meeting.title}.")
                return redirect("dialogue:meeting", meeting_id=meeting.pk)
    field_errors = {e["id"]: e["text"] for e in errors if e["id"]}

    def row(prefix: str, n: int, *names: str) -> dict:
        out = {"n": n, "number": n + 1}
        for name in names:
            key = f"{prefix}-{n}-{name}"
            out[name] = {"id": key, "value": post.get(key, "").strip(), "error": field_errors.get(key)}
        return out

    return render(
        request,
        "dialogue/record_meeting.html",
        {
            "values": {name: post.get(name, "").strip() for name in _MEETING_FIELDS},
            "form_errors": errors,
            "field_errors": field_errors,
            "agenda": [row("agenda", n, "area", "title") for n in range(agenda_rows)],
            "attendees": [row("attendee", n, "name", "party") for n in range(attendee_rows)],
            "agenda_rows": agenda_rows,
            "attendee_rows": attendee_rows,
            "max_rows": MAX_ROWS,
            "areas": areas(),
            "parties": _party_choices(),
            "consultations": policy.visible(user, Consultation.objects.all()),
            "working_groups": policy.visible(user, WorkingGroup.objects.all()),
        },
        status=status,
    )


@require_POST
@login_required
def add_action(request, meeting_id: int):
    """Add an action to a meeting through ``services.add_action`` (the recording party)."""
    meeting = _visible_or_404(request.user, Meeting.objects.all(), pk=meeting_id)
    if not policy.can(request.user, "edit", meeting):
        raise PermissionDenied("only the party that recorded the meeting adds actions")
    values = {name: request.POST.get(name, "").strip() for name in ("description", "owner_party", "due")}
    try:
        action = services.add_action(request.user, meeting, {**values, "due": _typed_date(values["due"]) or None})
    except InputError as exc:
        return _meeting_page(request, meeting, action_values=values, action_problems=exc.problems, status=422)
    except policy.Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, f"Action added: {action.description[:80]}.")
    return redirect("dialogue:meeting", meeting_id=meeting.pk)


def _act(request, act, success) -> None:
    """Take one step through the service, then say how it went: the success message
    (worded after the step, from the new state), every problem, or why it was refused."""
    try:
        act()
    except InputError as exc:
        for problem in exc.problems:
            # The message alone, as a sentence: the field's internal name means nothing to people.
            messages.error(request, f"{problem.message[:1].upper()}{problem.message[1:]}.")
    except policy.Forbidden as exc:
        messages.error(request, f"{str(exc)[:1].upper()}{str(exc)[1:]}.")
    else:
        messages.success(request, success())


@require_POST
@login_required
def action_status(request, action_id: int):
    action = _visible_or_404(request.user, Action.objects.select_related("owner_party", "owner"), pk=action_id)
    _act(
        request,
        lambda: services.set_action_status(request.user, action, request.POST.get("status", "")),
        lambda: f"Action status: {action.status.replace('_', ' ')}.",
    )
    return redirect("dialogue:meeting", meeting_id=action.meeting_id)


@login_required
def overdue(request):
    on, errors = _date_param(request, "on")
    return render(
        request,
        "dialogue/overdue.html",
        {
            "on": on,
            "errors": errors,
            "overdue": services.overdue_actions(request.user, on),
        },
    )


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
    _act(
        request,
        lambda: services.move_invitation(request.user, invitation, request.POST.get("state", "")),
        lambda: f"Invitation to {invitation.meeting_title}: {invitation.state}.",
    )
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
    _act(
        request,
        lambda: services.offer_participation(
            request.user, exercise, timezone.localdate(), request.POST.get("note", "")
        ),
        lambda: f"Participation in {exercise.name} offered.",
    )
    return redirect("dialogue:exercises")


@require_POST
@login_required
def answer_offer(request, offer_id: int):
    record = _visible_or_404(request.user, ExerciseParticipation.objects.select_related("exercise"), pk=offer_id)
    _act(
        request,
        lambda: services.answer_offer(request.user, record, request.POST.get("state", ""), timezone.localdate()),
        lambda: f"Offer {record.state}.",
    )
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


# --- lists to work with: meetings and actions -------------------------------------------

MEETING_COLUMNS = [
    Column("title", "Meeting", link=lambda r: f"/dialogue/meetings/{r['id']}/"),
    Column("date", "Date"),
    Column("working_group", "Working group"),
    Column("recorded_by", "Recorded by"),
    Column("actions", "Actions", numeric=True),
]


@login_required
def meeting_list(request):
    meetings = policy.visible(request.user, Meeting.objects.select_related("owner", "working_group"))
    rows = [
        {
            "id": m.pk,
            "title": m.title,
            "date": m.date,
            "working_group": m.working_group.name if m.working_group else "",
            "recorded_by": m.owner.name,
            "actions": m.actions.count(),
        }
        for m in meetings
    ]
    result = work_list(
        request, rows, MEETING_COLUMNS, filename="dialogue-meetings", default_sort="date", default_dir="desc"
    )
    if not isinstance(result, dict):
        return result
    return render(
        request,
        "dialogue/list.html",
        {
            "list": result,
            "noun": "meetings",
            "title": "Meetings",
            "search_label": "Search meetings by title, group or party",
        },
    )


ACTION_COLUMNS = [
    Column("description", "Action", link=lambda r: f"/dialogue/meetings/{r['meeting_id']}/"),
    Column("meeting", "Meeting"),
    Column("owner", "Owner"),
    Column("due", "Due"),
    Column("status", "Status"),
]


@login_required
def action_list(request):
    actions = policy.visible(request.user, Action.objects.select_related("meeting", "owner_party"))
    today = timezone.localdate()
    rows = []
    for a in actions:
        status = a.status.replace("_", " ").capitalize()
        if a.status not in meeting_rules.CLOSED_STATUSES and a.due < today:
            status += " (overdue)"
        rows.append(
            {
                "meeting_id": a.meeting_id,
                "description": a.description,
                "meeting": a.meeting.title,
                "owner": a.owner_party.name,
                "due": a.due,
                "status": status,
            }
        )
    result = work_list(request, rows, ACTION_COLUMNS, filename="dialogue-actions", default_sort="due")
    if not isinstance(result, dict):
        return result
    return render(
        request,
        "dialogue/list.html",
        {
            "list": result,
            "noun": "actions",
            "title": "Actions",
            "search_label": "Search actions by text, meeting, owner or status",
        },
    )
