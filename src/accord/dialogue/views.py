"""Web pages of the dialogue capability (thin: services and policy decide)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.dialogue import forms, services
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
from accord.web.lists import Column, work_list


def _visible_or_404(user, queryset, **lookup):
    try:
        return policy.get_visible(user, queryset, **lookup)
    except policy.NotVisible:
        raise Http404() from None


def _date_param(request) -> tuple[dt.date, forms.AsOfForm, list[dict]]:
    """The report's date (``?on=``, or the day, month and year boxes), its form, and the error
    summary when the date is refused (today is shown instead)."""
    on, form = forms.AsOfForm.read(request.GET, timezone.localdate())
    errors = [{**e, "text": f"{e['text']}. Showing today instead."} for e in form.summary]
    return on, form, errors


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


def _meeting_page(request, meeting: Meeting, *, action_form=None, status: int = 200):
    """The meeting page; with the "Add an action" form, its values and problems after a refused post."""
    on, _, errors = _date_param(request)
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
    action_form = action_form or forms.ActionForm()
    return render(
        request,
        "dialogue/meeting.html",
        {
            "meeting": data,
            "on": on,
            "errors": errors,
            "statuses": ACTION_STATUSES,
            "may_add_action": policy.can(request.user, "edit", meeting),
            "action_form": action_form,
            "form_errors": action_form.summary,
        },
        status=status,
    )


# --- forms: record a meeting, add an action ----------------------------------------
#
# The forms (``dialogue/forms.py``) read what was typed; the services and the engine
# validate. Every ``Problem`` they report is shown in the error summary, linked to the
# field it names. A form refused by its own checks is still run through the service
# (in a transaction rolled back), so every problem is reported at once and nothing is stored.

AGENDA_ROWS, ATTENDEE_ROWS, MORE_ROWS, MAX_ROWS = 4, 6, 3, 60


class _Refused(Exception):
    """Raised inside the transaction to roll back what the service stored for a refused form."""


def _through_service(form, act, elsewhere=lambda problem: False, *, keep: bool = True, others_valid: bool = True):
    """Run ``act`` (a service call) for a bound form: the record, or None with the service's
    problems put on the form, and the problems about something outside the form (``elsewhere``,
    such as the rows of the meeting form). Nothing is kept unless the form (and the others, if
    any) and the service all accept, and nothing at all with ``keep=False`` (checking the answers
    before "Check your answers")."""
    valid = form.is_valid() and others_valid
    try:
        with transaction.atomic():
            record = act()
            if not valid or not keep:
                raise _Refused
    except InputError as exc:
        form.add_problems([p for p in exc.problems if not elsewhere(p)], forms.words)
        return None, [p for p in exc.problems if elsewhere(p)]
    except _Refused:
        return None, []
    return record, []


def _row_count(post, name: str, default: int) -> int:
    try:
        count = int(post.get(name) or default)
    except ValueError:
        count = default
    return max(default, min(count, MAX_ROWS))


_ROW_FIELD = re.compile(r"^(agenda|attendees)\[(\d+)\]\.(\w+)$")
_ROW_NAMES = {"agenda": ("area", "title"), "attendees": ("name", "party")}


def _row_input(rows: dict[str, list]) -> tuple[dict, dict[str, list[int]]]:
    """The agenda items and attendees for the service, and the form row each came from.

    A row left wholly blank is not an item; a half-filled row is passed on, for the engine to
    name what is missing.
    """
    data, slots = {"agenda": [], "attendees": []}, {"agenda": [], "attendees": []}
    for group, forms_of_group in rows.items():
        for n, row in enumerate(forms_of_group):
            row.is_valid()
            values = {name: row.cleaned_data.get(name) or "" for name in _ROW_NAMES[group]}
            if any(values.values()):
                data[group].append(values)
                slots[group].append(n)
    return data, slots


def _put_on_row(problem: Problem, rows: dict[str, list], slots: dict[str, list[int]]) -> None:
    """A service's problem with the i-th agenda item or attendee, put on the form row it came from."""
    group, index, name = _ROW_FIELD.match(problem.field).groups()
    row = rows[group][slots[group][int(index)]]
    words = "item" if (group, name) == ("agenda", "title") else name
    row.add_problems([problem], lambda p: (name, forms.field_text(words, p.message)))


def _row_summary(label: str, rows: list) -> list[dict]:
    return [
        {"id": e["id"], "text": f"{label} {n + 1}: {e['text'][:1].lower()}{e['text'][1:]}"}
        for n, row in enumerate(rows)
        for e in row.summary
    ]


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
    more = post.get("more")
    if more == "agenda":
        agenda_rows = min(agenda_rows + MORE_ROWS, MAX_ROWS)
    elif more == "attendees":
        attendee_rows = min(attendee_rows + MORE_ROWS, MAX_ROWS)
    data = post if request.method == "POST" else None
    form = forms.MeetingForm(data, user)
    agenda, attendees = forms.meeting_rows(data, agenda_rows, attendee_rows)
    rows = {"agenda": agenda, "attendees": attendees}
    if request.method == "POST" and more not in ("agenda", "attendees"):
        row_data, slots = _row_input(rows)
        meeting, row_problems = _through_service(
            form,
            lambda: services.create_meeting(user, {**form.service_input(), **row_data}),
            elsewhere=lambda p: bool(_ROW_FIELD.match(p.field or "")),
            others_valid=all([row.is_valid() for row in (*agenda, *attendees)]),
        )
        if meeting is not None:
            messages.success(request, f"Meeting recorded: {meeting.title}.")
            return redirect("dialogue:meeting", meeting_id=meeting.pk)
        for problem in row_problems:
            _put_on_row(problem, rows, slots)
        errors = form.summary + _row_summary("Agenda item", agenda) + _row_summary("Attendee", attendees)
        status = 422
    elif request.method == "POST":  # adding rows is not a submission: no errors yet
        for each in (form, *agenda, *attendees):
            each.errors.clear()

    return render(
        request,
        "dialogue/record_meeting.html",
        {
            "form": form,
            "form_errors": errors,
            "agenda": agenda,
            "attendees": attendees,
            "agenda_rows": agenda_rows,
            "attendee_rows": attendee_rows,
            "max_rows": MAX_ROWS,
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
    form = forms.ActionForm(request.POST)

    def add():
        data = getattr(form, "cleaned_data", {})
        values = {name: data.get(name) or "" for name in ("description", "owner_party")}
        return services.add_action(request.user, meeting, {**values, "due": data.get("due")})

    action, _ = _through_service(form, add)
    if action is None:
        return _meeting_page(request, meeting, action_form=form, status=422)
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
    on, as_of, errors = _date_param(request)
    return render(
        request,
        "dialogue/overdue.html",
        {
            "on": on,
            "as_of": as_of,
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
    return render(
        request,
        "dialogue/invitations.html",
        {"invitations": rows, "may_invite": policy.can(user, "dialogue.create_invitation")},
    )


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
    return render(
        request,
        "dialogue/exercises.html",
        {"exercises": rows, "may_record": policy.can(user, "dialogue.create_exercise")},
    )


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


# --- create on the web what the API creates: invitations and exercises ------------------
#
# The GOV.UK pattern: the form, then "Check your answers" (a summary list with a "Change"
# link per answer), then a confirmation page. The answers wait in the session between the
# steps; they are checked by the service at each step (rolled back until the last), so the
# "Check your answers" page never shows answers the service would refuse.


@dataclass(frozen=True)
class _Journey:
    key: str  # where the answers wait in the session
    form: type
    permission: str
    refusal: str
    create: Callable  # (user, cleaned data) -> record, through the service
    done: Callable  # record -> the confirmation page's address
    form_url: str
    check_url: str
    list_url: str
    list_name: str
    title: str
    intro: str
    check_title: str
    send: str


def _answers(saved: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in saved.items():
        data.setlist(name, values)
    return data


def _journey_allowed(request, journey: _Journey) -> None:
    """Permission first: a user who may not create one learns nothing more."""
    if not policy.can(request.user, journey.permission):
        raise PermissionDenied(journey.refusal)


def _journey_form_page(request, journey: _Journey, form, status: int = 200):
    return render(
        request,
        "dialogue/new_record.html",
        {"form": form, "journey": journey, "form_errors": form.summary},
        status=status,
    )


def _create_through(journey: _Journey, user, form):
    return journey.create(user, getattr(form, "cleaned_data", {}))


def _new_record(request, journey: _Journey):
    _journey_allowed(request, journey)
    if request.method == "POST":
        form = journey.form(request.POST, user=request.user)
        _through_service(form, lambda: _create_through(journey, request.user, form), keep=False)
        if not form.errors:
            request.session[journey.key] = {
                name: request.POST.getlist(name) for name in request.POST if name != "csrfmiddlewaretoken"
            }
            return redirect(journey.check_url)
        return _journey_form_page(request, journey, form, status=422)
    saved = request.session.get(journey.key)
    if saved and request.GET.get("change"):
        form = journey.form(_answers(saved), user=request.user)
    else:
        form = journey.form(user=request.user)
    return _journey_form_page(request, journey, form)


def _check_answers(request, journey: _Journey):
    _journey_allowed(request, journey)
    saved = request.session.get(journey.key)
    if not saved:
        return redirect(journey.form_url)
    form = journey.form(_answers(saved), user=request.user)
    if not form.is_valid():
        return redirect(f"{journey.form_url}?change=1")
    if request.method == "POST":
        record, _ = _through_service(form, lambda: _create_through(journey, request.user, form))
        if record is None:  # something changed since the answers were checked: say what
            return _journey_form_page(request, journey, form, status=422)
        del request.session[journey.key]
        return redirect(journey.done(record))
    return render(
        request,
        "dialogue/check_answers.html",
        {"journey": journey, "rows": form.answers(), "change_url": f"{journey.form_url}?change=1"},
    )


def _create_invitation(user, data: dict):
    return services.create_invitation(
        user,
        {
            "body": data.get("body"),
            "meeting_title": data.get("meeting_title", ""),
            "date": data.get("date"),
            "invitee_party": data.get("invitee_party"),
            "note": data.get("note", ""),
        },
    )


INVITATION = _Journey(
    key="dialogue.new-invitation",
    form=forms.InvitationForm,
    permission="dialogue.create_invitation",
    refusal="Only editors invite the other side to a meeting",
    create=_create_invitation,
    done=lambda invitation: f"/dialogue/invitations/{invitation.pk}/sent/",
    form_url="/dialogue/invitations/new/",
    check_url="/dialogue/invitations/new/check/",
    list_url="/dialogue/invitations/",
    list_name="Invitations",
    title="Invite the other side to a meeting",
    intro=(
        "Invite the other side of the partnership to an internal meeting of your side. "
        "Only your side and the invited party will see the invitation."
    ),
    check_title="Check your answers before sending the invitation",
    send="Send the invitation",
)

EXERCISE = _Journey(
    key="dialogue.new-exercise",
    form=forms.ExerciseForm,
    permission="dialogue.create_exercise",
    refusal="The exercise calendar is kept by editors of the EU side",
    create=lambda user, data: services.create_exercise(user, forms.ExerciseForm.service_input_of(data)),
    done=lambda exercise: f"/dialogue/exercises/{exercise.code}/recorded/",
    form_url="/dialogue/exercises/new/",
    check_url="/dialogue/exercises/new/check/",
    list_url="/dialogue/exercises/",
    list_name="Exercise calendar",
    title="Record an exercise",
    intro=(
        "Add an exercise to the EU crisis-management exercise calendar. Leave what is not known yet "
        "empty: it is shown as not known, never guessed."
    ),
    check_title="Check your answers before recording the exercise",
    send="Record the exercise",
)


@require_http_methods(["GET", "POST"])
@login_required
def new_invitation(request):
    return _new_record(request, INVITATION)


@require_http_methods(["GET", "POST"])
@login_required
def check_invitation(request):
    return _check_answers(request, INVITATION)


@require_http_methods(["GET", "POST"])
@login_required
def new_exercise(request):
    return _new_record(request, EXERCISE)


@require_http_methods(["GET", "POST"])
@login_required
def check_exercise(request):
    return _check_answers(request, EXERCISE)


@login_required
def invitation_sent(request, invitation_id: int):
    invitation = _visible_or_404(
        request.user, Invitation.objects.select_related("inviting_party", "invitee_party"), pk=invitation_id
    )
    body = body_by_code(invitation.body)
    return render(
        request,
        "dialogue/confirmation.html",
        {
            "panel_title": "Invitation sent",
            "panel_body": f"{invitation.invitee_party.name} is invited to {invitation.meeting_title}",
            "next_steps": [
                f"{invitation.invitee_party.name} accepts or declines the invitation on this service.",
                f"Your side records whether they attended the {body.name if body else 'meeting'} "
                f"on {invitation.date.day} {invitation.date:%B %Y}.",
            ],
            "journey": INVITATION,
            "again": "Invite someone else",
        },
    )


@login_required
def exercise_recorded(request, code: str):
    exercise = _visible_or_404(request.user, Exercise.objects.all(), code=code)
    return render(
        request,
        "dialogue/confirmation.html",
        {
            "panel_title": "Exercise recorded",
            "panel_body": f"{exercise.name} is on the exercise calendar",
            "next_steps": [
                "Parties that can see the exercise may offer to take part until it ends.",
                "The leading parties accept or decline each offer on the exercise calendar.",
            ],
            "journey": EXERCISE,
            "again": "Record another exercise",
        },
    )
