"""REST API of the dialogue capability (mounted at /api/v1/dialogue/).

Every route needs a bearer token. Records the caller may not see answer 404;
actions the caller may not take answer 403; bad input answers 422 with every
problem found. Listings go through ``policy.visible``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from accord.dialogue import services
from accord.dialogue.engine.meetings import AgendaItem, agenda_by_area
from accord.dialogue.engine.reference import areas
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

router = Router(tags=["Dialogue"])

MAX_COUNT = 200


# --- schemas ------------------------------------------------------------------


class AgendaItemIn(Schema):
    area: str
    title: str


class AttendeeIn(Schema):
    name: str
    party: str


class ActionIn(Schema):
    description: str
    owner_party: str
    due: str
    status: str = "open"


class MeetingIn(Schema):
    title: str
    date: str
    consultation: int | None = None
    working_group: str | None = None
    location: str = ""
    agenda: list[AgendaItemIn] = []
    attendees: list[AttendeeIn] = []
    outcomes: str = ""
    actions: list[ActionIn] = []


class StatusIn(Schema):
    status: str


class StateIn(Schema):
    state: str


class InvitationIn(Schema):
    body: str
    meeting_title: str
    date: str
    invitee_party: str
    note: str = ""


class OfferIn(Schema):
    note: str = ""


class ExerciseIn(Schema):
    code: str
    name: str
    series: str = ""
    start: str | None = None
    end: str | None = None
    lead: list[str] | None = None
    scenario: str = ""
    invited_partners: list[str] | None = None
    source_title: str = ""
    source_href: str = ""


class AnswerIn(Schema):
    state: str


class WorkingGroupIn(Schema):
    code: str
    name: str


class GenerateIn(Schema):
    count: int = 4
    from_date: dt.date | None = Field(None, alias="from")


# --- serialisers (stable JSON: ISO dates, party codes) -------------------------


def consultation_out(c: Consultation) -> dict[str, Any]:
    return {"id": c.pk, "sequence": c.sequence, "date": c.date, "host": c.host, "title": c.title}


def working_group_out(w: WorkingGroup) -> dict[str, Any]:
    return {
        "code": w.code,
        "name": w.name,
        "established": w.established,
        "active": w.active,
        "source": {"title": w.source_title, "href": w.source_href or None},
    }


def action_out(a: Action, on: dt.date | None = None) -> dict[str, Any]:
    from accord.dialogue.engine.meetings import Action as RuleAction
    from accord.dialogue.engine.meetings import is_overdue

    out = {
        "id": a.pk,
        "meeting_id": a.meeting_id,
        "description": a.description,
        "owner_party": a.owner_party.code,
        "due": a.due,
        "status": a.status,
    }
    if on is not None:
        out["overdue"] = is_overdue(RuleAction(str(a.pk), a.description, a.owner_party.code, a.due, a.status), on)
    return out


def meeting_out(user, m: Meeting, on: dt.date | None = None) -> dict[str, Any]:
    grouped = agenda_by_area([AgendaItem(i["area"], i["title"]) for i in m.agenda], [a.code for a in areas()])
    actions = policy.visible(user, m.actions.select_related("owner_party"))
    return {
        "id": m.pk,
        "title": m.title,
        "date": m.date,
        "location": m.location,
        "consultation": m.consultation_id,
        "working_group": m.working_group.code if m.working_group_id else None,
        "owner": m.owner.code,
        "agenda": [{"area": area, "items": [i.title for i in items]} for area, items in grouped],
        "attendees": m.attendees,
        "outcomes": m.outcomes,
        "actions": [action_out(a, on) for a in actions],
    }


def invitation_out(user, i: Invitation) -> dict[str, Any]:
    from accord.dialogue.engine.invitations import InvitationParties, allowed_targets

    party = policy.party_of(user)
    parties = InvitationParties(i.inviting_party.code, i.invitee_party.code)
    return {
        "id": i.pk,
        "body": i.body,
        "meeting_title": i.meeting_title,
        "date": i.date,
        "inviting_party": i.inviting_party.code,
        "invitee_party": i.invitee_party.code,
        "state": i.state,
        "note": i.note,
        "your_moves": allowed_targets(i.state, party.code, parties) if party else [],
    }


def exercise_out(e: Exercise) -> dict[str, Any]:
    return {
        "id": e.pk,
        "code": e.code,
        "name": e.name,
        "series": e.series or None,
        "start": e.start,
        "end": e.end,
        "lead": e.lead,
        "scenario": e.scenario or None,
        "invited_partners": e.invited_partners,
        "source": {"title": e.source_title, "href": e.source_href or None},
    }


def offer_out(o: ExerciseParticipation) -> dict[str, Any]:
    return {
        "id": o.pk,
        "exercise": o.exercise.code,
        "partner": o.partner.code,
        "state": o.state,
        "offered_on": o.offered_on,
        "answered_on": o.answered_on,
        "note": o.note,
    }


def _today() -> dt.date:
    return timezone.localdate()


# --- schedule, consultations, working groups -------------------------------------


@router.get("/schedule", summary="The six-monthly consultation cycle (parameters, no records)")
def get_schedule(request, count: int = 4, from_: dt.date | None = Query(None, alias="from")):
    if not 1 <= count <= MAX_COUNT:
        raise InputError(Problem(f"must be between 1 and {MAX_COUNT}", field="count"))
    return schedule_data(count, from_)


@router.get("/consultations", summary="Stored consultations you may see")
def list_consultations(request):
    return [consultation_out(c) for c in policy.visible(request.auth, Consultation.objects.all())]


@router.post("/consultations/generate", summary="Store the next consultations of the cycle (administrator)")
def generate(request, payload: GenerateIn):
    if not 1 <= payload.count <= MAX_COUNT:
        raise InputError(Problem(f"must be between 1 and {MAX_COUNT}", field="count"))
    return [
        consultation_out(c) for c in services.generate_consultations(request.auth, payload.count, payload.from_date)
    ]


@router.get("/working-groups", summary="Working groups of the dialogue")
def list_working_groups(request):
    return [working_group_out(w) for w in policy.visible(request.auth, WorkingGroup.objects.all())]


@router.post("/working-groups", summary="Add a working group (administrator)")
def add_working_group(request, payload: WorkingGroupIn):
    return working_group_out(services.add_working_group(request.auth, payload.dict()))


# --- meetings and actions ------------------------------------------------------


@router.get("/meetings", summary="Meetings you may see")
def list_meetings(request):
    meetings = policy.visible(request.auth, Meeting.objects.select_related("owner", "working_group"))
    return [
        {
            "id": m.pk,
            "title": m.title,
            "date": m.date,
            "owner": m.owner.code,
            "working_group": m.working_group.code if m.working_group_id else None,
        }
        for m in meetings
    ]


@router.post("/meetings", summary="Record a meeting with agenda, attendees, outcomes and actions")
def create_meeting(request, payload: MeetingIn):
    meeting = services.create_meeting(request.auth, payload.dict())
    return meeting_out(request.auth, meeting, _today())


@router.get("/meetings/{meeting_id}", summary="One meeting with its actions")
def get_meeting(request, meeting_id: int, on: dt.date | None = None):
    meeting = policy.get_visible(request.auth, Meeting.objects.all(), pk=meeting_id)
    return meeting_out(request.auth, meeting, on or _today())


@router.post("/meetings/{meeting_id}/actions", summary="Add an action to a meeting")
def add_action(request, meeting_id: int, payload: ActionIn):
    meeting = policy.get_visible(request.auth, Meeting.objects.all(), pk=meeting_id)
    return action_out(services.add_action(request.auth, meeting, payload.dict()), _today())


@router.post("/actions/{action_id}/status", summary="Change an action's status")
def set_action_status(request, action_id: int, payload: StatusIn):
    action = policy.get_visible(request.auth, Action.objects.select_related("owner_party", "owner"), pk=action_id)
    return action_out(services.set_action_status(request.auth, action, payload.status), _today())


@router.get("/actions/overdue", summary="Overdue actions as of a date (default today)")
def overdue(request, on: dt.date | None = None):
    on = on or _today()
    return {"on": on, "overdue": services.overdue_actions(request.auth, on)}


# --- invitations ------------------------------------------------------------------


@router.get("/invitations", summary="Invitations your party sent (its side) or received")
def list_invitations(request):
    invitations = policy.visible(request.auth, Invitation.objects.select_related("inviting_party", "invitee_party"))
    return [invitation_out(request.auth, i) for i in invitations]


@router.post("/invitations", summary="Invite the other side to an internal meeting")
def create_invitation(request, payload: InvitationIn):
    return invitation_out(request.auth, services.create_invitation(request.auth, payload.dict()))


@router.get("/invitations/{invitation_id}", summary="One invitation")
def get_invitation(request, invitation_id: int):
    invitation = policy.get_visible(request.auth, Invitation.objects.all(), pk=invitation_id)
    return invitation_out(request.auth, invitation)


@router.post("/invitations/{invitation_id}/state", summary="Accept, decline, or record attendance")
def move_invitation(request, invitation_id: int, payload: StateIn):
    invitation = policy.get_visible(request.auth, Invitation.objects.all(), pk=invitation_id)
    return invitation_out(request.auth, services.move_invitation(request.auth, invitation, payload.state))


# --- exercises ----------------------------------------------------------------------


@router.get("/exercises", summary="The exercise calendar")
def list_exercises(request):
    return [exercise_out(e) for e in policy.visible(request.auth, Exercise.objects.all())]


@router.post("/exercises", summary="Record an exercise on the EU calendar (EU side editors)")
def create_exercise(request, payload: ExerciseIn):
    return exercise_out(services.create_exercise(request.auth, payload.dict()))


@router.get("/exercises/{code}", summary="One exercise with the participation offers you may see")
def get_exercise(request, code: str):
    exercise = policy.get_visible(request.auth, Exercise.objects.all(), code=code)
    offers = policy.visible(request.auth, exercise.participations.select_related("partner", "exercise"))
    return {**exercise_out(exercise), "offers": [offer_out(o) for o in offers]}


@router.post("/exercises/{code}/offers", summary="Offer your party's participation")
def offer(request, code: str, payload: OfferIn):
    exercise = policy.get_visible(request.auth, Exercise.objects.all(), code=code)
    return offer_out(services.offer_participation(request.auth, exercise, _today(), payload.note))


@router.post("/offers/{offer_id}/answer", summary="Accept or decline an offer (the exercise lead)")
def answer(request, offer_id: int, payload: AnswerIn):
    offer_record = policy.get_visible(
        request.auth, ExerciseParticipation.objects.select_related("exercise", "partner"), pk=offer_id
    )
    return offer_out(services.answer_offer(request.auth, offer_record, payload.state, _today()))


# --- calendar feed ---------------------------------------------------------------------


@router.post("/calendar-feed", summary="A new secret iCalendar URL for you (revokes the previous one)")
def create_feed(request):
    secret = services.create_feed(request.auth)
    return {
        "url": request.build_absolute_uri(f"/dialogue/calendar/{secret}.ics"),
        "note": "Shown once. Anyone with this URL can read your party's dialogue calendar; revoke it if it leaks.",
    }


@router.delete("/calendar-feed", summary="Revoke your secret iCalendar URL")
def revoke_feed(request):
    return {"revoked": services.revoke_feed(request.auth)}
