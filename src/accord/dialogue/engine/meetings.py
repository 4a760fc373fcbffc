"""Meetings of the dialogue: agenda by area of common interest, actions.

A meeting (a consultation or a working-group meeting) has an agenda whose
items each belong to an area of common interest (docs/law/uk-eu-sdp.md#areas-of-cooperation: "areas
of common interest such as Russia, the Western Balkans and East Asia"),
attendees, outcomes and actions. Each action has an owner party, a due date
and a status; an action still open after its due date is overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from accord.errors import InputError, Problem

ACTION_STATUSES = ("open", "in_progress", "done", "cancelled")
# Done or cancelled actions can no longer be late.
CLOSED_STATUSES = frozenset({"done", "cancelled"})


@dataclass(frozen=True)
class AgendaItem:
    area: str
    title: str


@dataclass(frozen=True)
class Action:
    ref: str  # a stable identifier the caller chooses (a record id, a line)
    description: str
    owner_party: str
    due: dt.date
    status: str = "open"

    def as_dict(self) -> dict:
        return {
            "ref": self.ref,
            "description": self.description,
            "owner_party": self.owner_party,
            "due": self.due,
            "status": self.status,
        }


@dataclass(frozen=True)
class OverdueAction:
    action: Action
    days_overdue: int
    meeting: str | None = None

    def as_dict(self) -> dict:
        return {**self.action.as_dict(), "days_overdue": self.days_overdue, "meeting": self.meeting}


def is_overdue(action: Action, on: dt.date) -> bool:
    """Overdue on ``on``: still open, and its due date has passed.

    An action due today is not yet overdue; it becomes overdue the day after.
    """
    return action.status not in CLOSED_STATUSES and action.due < on


def overdue_report(actions: Iterable[tuple[str | None, Action]], on: dt.date) -> list[OverdueAction]:
    """Every overdue action as of ``on``, the longest overdue first.

    ``actions`` pairs each action with the meeting it came from (or None).
    """
    late = [OverdueAction(action=a, days_overdue=(on - a.due).days, meeting=m) for m, a in actions if is_overdue(a, on)]
    return sorted(late, key=lambda o: (o.action.due, o.action.owner_party, o.action.ref))


def agenda_by_area(items: Sequence[AgendaItem], area_order: Sequence[str]) -> list[tuple[str, list[AgendaItem]]]:
    """Group the agenda by area, areas in catalogue order, items in given order."""
    grouped: dict[str, list[AgendaItem]] = {}
    for item in items:
        grouped.setdefault(item.area, []).append(item)
    rank = {code: i for i, code in enumerate(area_order)}
    return sorted(grouped.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))


def parse_action(data: Mapping, *, item: str, parties: Iterable[str] | None = None) -> Action:
    """An action from user input, with every problem found named by field."""
    problems: list[Problem] = []
    description = str(data.get("description") or "").strip()
    if not description:
        problems.append(Problem("an action needs a description", field="description", item=item))
    owner = str(data.get("owner_party") or "").strip()
    allowed = None if parties is None else set(parties)
    if not owner:
        problems.append(Problem("an action needs an owner party", field="owner_party", item=item))
    elif allowed is not None and owner not in allowed:
        problems.append(Problem(f"unknown party {owner!r}", field="owner_party", item=item))
    due = data.get("due")
    if isinstance(due, str):
        try:
            due = dt.date.fromisoformat(due)
        except ValueError:
            problems.append(Problem(f"{due!r} is not a date (YYYY-MM-DD)", field="due", item=item))
            due = None
    elif due is None:
        problems.append(Problem("an action needs a due date", field="due", item=item))
    elif isinstance(due, dt.datetime) or not isinstance(due, dt.date):
        problems.append(Problem("must be a date (YYYY-MM-DD)", field="due", item=item))
        due = None
    status = str(data.get("status") or "open")
    if status not in ACTION_STATUSES:
        problems.append(Problem(f"must be one of {', '.join(ACTION_STATUSES)}", field="status", item=item))
    if problems:
        raise InputError(problems)
    return Action(ref=item, description=description, owner_party=owner, due=due, status=status)


def validate_agenda(items: Sequence[Mapping], known_areas: Iterable[str]) -> list[AgendaItem]:
    """Agenda items from user input; each must name a known area of common interest."""
    known = set(known_areas)
    problems: list[Problem] = []
    agenda: list[AgendaItem] = []
    for i, raw in enumerate(items):
        field_prefix = f"agenda[{i}]"
        area = str(raw.get("area") or "").strip()
        title = str(raw.get("title") or "").strip()
        if area not in known:
            problems.append(Problem(f"unknown area of common interest {area!r}", field=f"{field_prefix}.area"))
        if not title:
            problems.append(Problem("an agenda item needs a title", field=f"{field_prefix}.title"))
        agenda.append(AgendaItem(area=area, title=title))
    if problems:
        raise InputError(problems)
    return agenda
