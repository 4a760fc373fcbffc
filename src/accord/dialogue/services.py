"""The service layer of the dialogue capability: every change goes through here.

Each function takes the acting user, asks the platform policy, validates the
whole input with the pure engine before storing anything, and writes inside
``audit.acting_as(user)`` so every audit entry names who acted. Dates ("as
of") are arguments: the entry points decide what today is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accord.dialogue.engine import cadence
from accord.dialogue.engine import exercises as exercise_rules
from accord.dialogue.engine import invitations as invitation_rules
from accord.dialogue.engine import meetings as meeting_rules
from accord.dialogue.engine.ical import CalendarEntry, build_calendar
from accord.dialogue.engine.reference import area_codes, body_by_code, side_of, side_parties
from accord.dialogue.models import (
    Action,
    CalendarFeed,
    Consultation,
    Exercise,
    ExerciseParticipation,
    Invitation,
    Meeting,
    WorkingGroup,
)
from accord.dialogue.schedule import HOST_NAMES, dialogue_parameters, parameter_date
from accord.errors import InputError, Problem
from accord.platform import audit, policy
from accord.platform.models import Party
from accord.values import to_date
from accord.web import notifications

FEED_PREFIX = "cal_"


# --- helpers ---------------------------------------------------------------


def partnership_parties() -> list[Party]:
    """Every party acting for either side of the UK-EU partnership."""
    codes = [*side_parties("GB"), *side_parties("EU")]
    return list(Party.objects.filter(code__in=codes))


def _share(record, parties: Iterable[Party]) -> None:
    others = [p for p in parties if p.pk != record.owner_id]
    if others:
        record.shared_with.add(*others)


def _party(code: Any, field: str, problems: list[Problem]) -> Party | None:
    party = Party.objects.filter(code=str(code or "").strip().upper()).first()
    if party is None:
        problems.append(Problem(f"unknown party {code!r}", field=field))
    return party


def _date(value: Any, field: str, problems: list[Problem]) -> dt.date | None:
    """A date as the API takes it (``values.to_date``: ISO, or with the month's name), or a problem."""
    try:
        return to_date(value)
    except (ValueError, TypeError):
        problems.append(Problem(f"{value!r} is not a date (YYYY-MM-DD)", field=field))
        return None


def _text(data: Mapping, key: str, problems: list[Problem], *, required: bool = True, limit: int = 200) -> str:
    value = str(data.get(key) or "").strip()
    if required and not value:
        problems.append(Problem("is required", field=key))
    elif len(value) > limit:
        problems.append(Problem(f"at most {limit} characters", field=key))
    return value


def _require_party(user) -> Party:
    party = policy.party_of(user)
    if party is None:
        raise policy.Forbidden("this user acts for no party")
    return party


# --- working groups and the consultation cycle -----------------------------


def add_working_group(user, data: Mapping) -> WorkingGroup:
    policy.require(user, "dialogue.administer")
    problems: list[Problem] = []
    name = _text(data, "name", problems)
    code = _text(data, "code", problems, limit=60).lower()
    if code and WorkingGroup.objects.filter(code=code).exists():
        problems.append(Problem(f"a working group {code!r} already exists", field="code"))
    if code and not all(c.isalnum() or c == "-" for c in code):
        problems.append(Problem("letters, digits and hyphens only", field="code"))
    if problems:
        raise InputError(problems)
    with audit.acting_as(user), transaction.atomic():
        group = WorkingGroup.objects.create(
            code=code,
            name=name,
            owner=_require_party(user),
            created_by=user,
            source_title=f"Added by {user.get_username()}",
        )
        _share(group, partnership_parties())
    return group


def generate_consultations(user, count: int, from_date: dt.date | None = None) -> list[Consultation]:
    """Store the next ``count`` consultations of the cycle (idempotent by sequence).

    Each is owned by its host side's party and shared with both sides.
    """
    policy.require(user, "dialogue.administer")
    params = dialogue_parameters()
    settings = cadence.settings_from_parameters(params, parameter_date(params, from_date))
    slots = cadence.schedule(settings, count, from_date)
    hosts = {p.code: p for p in Party.objects.filter(code__in=settings.hosts)}
    missing = sorted(set(settings.hosts) - set(hosts))
    if missing:
        raise InputError(Problem(f"host parties not loaded: {', '.join(missing)}", field="hosts"))
    everyone = partnership_parties()
    out = []
    with audit.acting_as(user), transaction.atomic():
        for slot in slots:
            title = f"UK-EU strategic consultation {slot.sequence} ({HOST_NAMES.get(slot.host, slot.host)} hosting)"
            record = Consultation.objects.filter(sequence=slot.sequence).first()
            if record is None:
                record = Consultation.objects.create(
                    sequence=slot.sequence,
                    date=slot.date,
                    host=slot.host,
                    title=title,
                    owner=hosts[slot.host],
                    created_by=user,
                )
                _share(record, everyone)
            elif (record.date, record.host) != (slot.date, slot.host):
                record.date, record.host, record.title = slot.date, slot.host, title
                record.owner = hosts[slot.host]
                record.save()
            out.append(record)
    return out


# --- meetings and actions ---------------------------------------------------


def _known_party_codes() -> set[str]:
    return set(Party.objects.values_list("code", flat=True))


def create_meeting(user, data: Mapping) -> Meeting:
    """A dialogue meeting with its agenda, attendees, outcomes and actions, all or nothing."""
    policy.require(user, "dialogue.create_meeting")
    problems: list[Problem] = []
    title = _text(data, "title", problems)
    day = _date(data.get("date"), "date", problems) if data.get("date") else None
    if not data.get("date"):
        problems.append(Problem("is required", field="date"))
    consultation = working_group = None
    if data.get("consultation") is not None:
        try:
            consultation = policy.get_visible(user, Consultation.objects.all(), pk=data["consultation"])
        except policy.NotVisible:
            problems.append(Problem("no such consultation", field="consultation"))
    if data.get("working_group"):
        try:
            working_group = policy.get_visible(user, WorkingGroup.objects.all(), code=data["working_group"])
        except policy.NotVisible:
            problems.append(Problem("no such working group", field="working_group"))
    agenda = []
    try:
        agenda = meeting_rules.validate_agenda(list(data.get("agenda") or []), area_codes())
    except InputError as exc:
        problems.extend(exc.problems)
    known = _known_party_codes()
    attendees = []
    for i, a in enumerate(data.get("attendees") or []):
        name, party = str(a.get("name") or "").strip(), str(a.get("party") or "").strip().upper()
        if not name:
            problems.append(Problem("an attendee needs a name", field=f"attendees[{i}].name"))
        if party not in known:
            problems.append(Problem(f"unknown party {party!r}", field=f"attendees[{i}].party"))
        attendees.append({"name": name, "party": party})
    actions = []
    for i, raw in enumerate(data.get("actions") or []):
        try:
            actions.append(meeting_rules.parse_action(dict(raw), item=f"actions[{i}]", parties=known))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    party = _require_party(user)
    everyone = partnership_parties()
    with audit.acting_as(user), transaction.atomic():
        meeting = Meeting.objects.create(
            title=title,
            date=day,
            consultation=consultation,
            working_group=working_group,
            location=str(data.get("location") or "").strip()[:200],
            agenda=[{"area": a.area, "title": a.title} for a in agenda],
            attendees=attendees,
            outcomes=str(data.get("outcomes") or "").strip(),
            owner=party,
            created_by=user,
        )
        _share(meeting, everyone)
        for parsed in actions:
            _store_action(user, meeting, parsed)
    return meeting


def _store_action(user, meeting: Meeting, parsed: meeting_rules.Action) -> Action:
    action = Action.objects.create(
        meeting=meeting,
        description=parsed.description,
        owner_party=Party.objects.get(code=parsed.owner_party),
        due=parsed.due,
        status=parsed.status,
        owner=meeting.owner,
        created_by=user,
    )
    _share(action, meeting.shared_with.all())
    return action


def add_action(user, meeting: Meeting, data: Mapping) -> Action:
    """An action on a meeting; only the party that recorded the meeting adds one."""
    policy.require(user, "edit", meeting)
    parsed = meeting_rules.parse_action(dict(data), item="action", parties=_known_party_codes())
    with audit.acting_as(user), transaction.atomic():
        return _store_action(user, meeting, parsed)


def set_action_status(user, action: Action, status: str) -> Action:
    policy.require(user, "dialogue.update_action", action)
    if status not in meeting_rules.ACTION_STATUSES:
        raise InputError(Problem(f"must be one of {', '.join(meeting_rules.ACTION_STATUSES)}", field="status"))
    with audit.acting_as(user):
        action.status = status
        action.save()
    return action


def overdue_actions(user, on: dt.date) -> list[dict]:
    """The overdue-actions report over the actions the user may see, as of ``on``."""
    records = {a.pk: a for a in policy.visible(user, Action.objects.select_related("meeting", "owner_party"))}
    pairs = [
        (str(a.meeting_id), meeting_rules.Action(str(a.pk), a.description, a.owner_party.code, a.due, a.status))
        for a in records.values()
    ]
    report = meeting_rules.overdue_report(pairs, on)
    return [
        {
            **o.as_dict(),
            "id": int(o.action.ref),
            "meeting_id": records[int(o.action.ref)].meeting_id,
            "meeting_title": records[int(o.action.ref)].meeting.title,
        }
        for o in report
    ]


# --- invitations -------------------------------------------------------------


def create_invitation(user, data: Mapping) -> Invitation:
    """Invite the other side to one's internal meeting; visible to the inviting side and the invitee."""
    policy.require(user, "dialogue.create_invitation")
    inviter = _require_party(user)
    problems: list[Problem] = []
    body = body_by_code(str(data.get("body") or ""))
    if body is None:
        problems.append(Problem(f"unknown meeting body {data.get('body')!r}", field="body"))
    title = _text(data, "meeting_title", problems)
    day = _date(data.get("date"), "date", problems)
    invitee = _party(data.get("invitee_party"), "invitee_party", problems)
    if body is not None and invitee is not None:
        try:
            invitation_rules.check_new_invitation(body.convener, inviter.code, invitee.code)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    side = side_of(inviter.code)
    inviting_side = Party.objects.filter(code__in=side_parties(side)) if side else []
    with audit.acting_as(user), transaction.atomic():
        invitation = Invitation.objects.create(
            body=body.code,
            meeting_title=title,
            date=day,
            inviting_party=inviter,
            invitee_party=invitee,
            note=str(data.get("note") or "").strip(),
            owner=inviter,
            created_by=user,
        )
        _share(invitation, [invitee, *inviting_side])
        notifications.notify(
            [invitee.code],
            notifications.INVITATIONS,
            f"Invitation to {title}",
            "web/email/invitation_sent.txt",
            {
                "inviting": inviter.name,
                "invitee": invitee.name,
                "title": title,
                "body": body.name,
                "date": f"{day.day} {day:%B %Y}",
                "note": invitation.note,
                "link": notifications.link("/dialogue/invitations/"),
            },
        )
    return invitation


def move_invitation(user, invitation: Invitation, target: str) -> Invitation:
    policy.require(user, "dialogue.move_invitation", invitation, target=target)
    parties = invitation_rules.InvitationParties(invitation.inviting_party.code, invitation.invitee_party.code)
    new_state = invitation_rules.next_state(invitation.state, target, policy.party_of(user).code, parties)
    with audit.acting_as(user), transaction.atomic():
        before = invitation.state
        invitation.state = new_state
        invitation.save()
        audit.record_event(invitation, f"invitation.{new_state}", {"from": before, "to": new_state})
        if new_state in (invitation_rules.ACCEPTED, invitation_rules.DECLINED):  # the invitee's decision
            notifications.notify(
                [invitation.inviting_party.code],
                notifications.DECISIONS,
                f"Invitation {new_state}: {invitation.meeting_title}",
                "web/email/decision.txt",
                {
                    "decision": f"{invitation.invitee_party.name} has {new_state} your invitation to "
                    f"{invitation.meeting_title} on {invitation.date.day} {invitation.date:%B %Y}.",
                    "who": f"{user.username} for {invitation.invitee_party.name}",
                    "at": invitation.updated_at,
                    "party": invitation.inviting_party.name,
                    "link": notifications.link("/dialogue/invitations/"),
                },
            )
    return invitation


# --- exercises -----------------------------------------------------------------


def create_exercise(user, data: Mapping) -> Exercise:
    """Record an exercise on the EU calendar; shared with the EU side and the invited partners.

    Unknown facts stay empty (null dates, null invited partners).
    """
    policy.require(user, "dialogue.create_exercise")
    party = _require_party(user)
    problems: list[Problem] = []
    name = _text(data, "name", problems)
    code = _text(data, "code", problems, limit=60).lower()
    if code and not all(c.isalnum() or c == "-" for c in code):
        problems.append(Problem("letters, digits and hyphens only", field="code"))
    elif code and Exercise.objects.filter(code=code).exists():
        problems.append(Problem(f"an exercise {code!r} already exists", field="code"))
    start = _date(data["start"], "start", problems) if data.get("start") else None
    end = _date(data["end"], "end", problems) if data.get("end") else None
    if start and end and end < start:
        problems.append(Problem("ends before it starts", field="end"))
    lead_codes = [str(c).upper() for c in (data.get("lead") or [party.code])]
    leads = [_party(c, "lead", problems) for c in lead_codes]
    partner_codes = data.get("invited_partners")
    partners = None
    if partner_codes is not None:
        partners = [_party(c, "invited_partners", problems) for c in partner_codes]
    if problems:
        raise InputError(problems)
    eu_side = Party.objects.filter(code__in=side_parties("EU"))
    with audit.acting_as(user), transaction.atomic():
        exercise = Exercise.objects.create(
            code=code,
            name=name,
            series=str(data.get("series") or "").strip()[:60],
            start=start,
            end=end,
            lead=[p.code for p in leads],
            scenario=str(data.get("scenario") or "").strip(),
            invited_partners=None if partners is None else [p.code for p in partners],
            source_title=str(data.get("source_title") or "").strip()[:300],
            source_href=str(data.get("source_href") or "").strip()[:500],
            owner=party,
            created_by=user,
        )
        _share(exercise, [*eu_side, *leads, *(partners or [])])
    return exercise


def offer_participation(user, exercise: Exercise, on: dt.date, note: str = "") -> ExerciseParticipation:
    policy.require(user, "dialogue.offer_participation", exercise)
    partner = _require_party(user)
    exercise_rules.check_offer(
        partner=partner.code,
        lead=tuple(exercise.lead) + (exercise.owner.code,),
        exercise_end=exercise.end,
        exercise_start=exercise.start,
        on=on,
    )
    if ExerciseParticipation.objects.filter(exercise=exercise, partner=partner).exists():
        raise InputError(Problem(f"{partner.code} has already offered to take part", field="exercise"))
    leads = Party.objects.filter(code__in=[*exercise.lead, exercise.owner.code])
    try:
        with audit.acting_as(user), transaction.atomic():
            offer = ExerciseParticipation.objects.create(
                exercise=exercise,
                partner=partner,
                offered_on=on,
                note=note.strip(),
                owner=partner,
                created_by=user,
            )
            _share(offer, leads)
    except IntegrityError:  # a simultaneous second offer lost the race
        raise InputError(Problem(f"{partner.code} has already offered to take part", field="exercise")) from None
    return offer


def may_offer_now(user, exercise: Exercise, on: dt.date) -> bool:
    """Whether an offer by the user's party would be taken on ``on`` (to show the button)."""
    party = policy.party_of(user)
    if party is None or not policy.can(user, "dialogue.offer_participation", exercise):
        return False
    try:
        exercise_rules.check_offer(
            partner=party.code,
            lead=tuple(exercise.lead) + (exercise.owner.code,),
            exercise_end=exercise.end,
            exercise_start=exercise.start,
            on=on,
        )
    except InputError:
        return False
    return not ExerciseParticipation.objects.filter(exercise=exercise, partner=party).exists()


def answer_offer(user, offer: ExerciseParticipation, target: str, on: dt.date) -> ExerciseParticipation:
    policy.require(user, "dialogue.answer_offer", offer)
    exercise = offer.exercise
    actor = policy.party_of(user).code
    new_state = exercise_rules.answer_offer(offer.state, target, actor, tuple(exercise.lead) + (exercise.owner.code,))
    with audit.acting_as(user), transaction.atomic():
        offer.state, offer.answered_on = new_state, on
        offer.save()
        audit.record_event(
            offer, f"participation.{new_state}", {"exercise": exercise.code, "partner": offer.partner.code}
        )
        notifications.notify(
            [offer.partner.code],
            notifications.DECISIONS,
            f"Offer {new_state}: {exercise.name}",
            "web/email/decision.txt",
            {
                "decision": f"Your offer to take part in {exercise.name} has been {new_state}.",
                "who": f"{user.username} for {policy.party_of(user).name}",
                "at": offer.updated_at,
                "party": offer.partner.name,
                "link": notifications.link("/dialogue/exercises/"),
            },
        )
    return offer


# --- calendar feed ---------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_feed(user) -> str:
    """A new secret feed URL for the user; any earlier one is revoked. Shown once."""
    _require_party(user)
    secret = FEED_PREFIX + secrets.token_urlsafe(32)
    with audit.acting_as(user), transaction.atomic():
        CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        feed = CalendarFeed.objects.create(user=user, secret_hash=_hash(secret), prefix=secret[:10])
        audit.append(
            action="calendar_feed.create",
            record_type="dialogue.CalendarFeed",
            record_id=feed.pk,
            detail={"user": user.get_username(), "prefix": feed.prefix},
        )
    return secret


def revoke_feed(user) -> int:
    with audit.acting_as(user), transaction.atomic():
        count = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit.append(
            action="calendar_feed.revoke",
            record_type="dialogue.CalendarFeed",
            record_id=user.pk,
            detail={"user": user.get_username(), "revoked": count},
        )
    return count


def active_feed(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def user_for_feed(secret: str):
    """The active user of an unrevoked feed secret, or None."""
    if not secret or not secret.startswith(FEED_PREFIX):
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(secret_hash=_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def calendar_entries(user) -> list[CalendarEntry]:
    """What goes in the user's feed: consultations, meetings and invitations they may
    see, and the exercises their party leads or takes part in (offer accepted)."""
    party = policy.party_of(user)
    if party is None:
        return []
    entries = [
        CalendarEntry(
            "consultation",
            str(c.sequence),
            c.title,
            c.date,
            categories=("consultation",),
            description=f"Host: {HOST_NAMES.get(c.host, c.host)}",
        )
        for c in policy.visible(user, Consultation.objects.all())
    ]
    entries += [
        CalendarEntry(
            "meeting",
            str(m.pk),
            m.title,
            m.date,
            location=m.location or None,
            categories=("meeting",),
            description=m.outcomes or None,
        )
        for m in policy.visible(user, Meeting.objects.all())
    ]
    for i in policy.visible(user, Invitation.objects.select_related("inviting_party", "invitee_party")):
        if i.state == invitation_rules.DECLINED:
            continue
        body = body_by_code(i.body)
        entries.append(
            CalendarEntry(
                "invitation",
                str(i.pk),
                f"{i.meeting_title} ({body.name if body else i.body})",
                i.date,
                categories=("invitation",),
                description=f"Invited: {i.invitee_party.code} by {i.inviting_party.code}; {i.state}",
            )
        )
    taking_part = set(
        policy.visible(
            user, ExerciseParticipation.objects.filter(partner=party, state=exercise_rules.ACCEPTED)
        ).values_list("exercise_id", flat=True)
    )
    for e in policy.visible(user, Exercise.objects.all()):
        leads = party.code in e.lead or e.owner_id == party.pk
        if e.start is None or not (leads or e.pk in taking_part):
            continue
        entries.append(
            CalendarEntry(
                "exercise",
                e.code,
                e.name,
                e.start,
                e.end,
                categories=("exercise",),
                description=e.scenario or None,
                url=e.source_href or None,
            )
        )
    return entries


def feed_calendar(user, stamp: dt.datetime) -> bytes:
    party = policy.party_of(user)
    return build_calendar(calendar_entries(user), name=f"Accord dialogue - {party.code if party else ''}", stamp=stamp)
