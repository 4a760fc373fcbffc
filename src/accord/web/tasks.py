"""What is waiting for a signed-in user, across the capabilities (read only).

Each capability's own service or policy-filtered query answers; this module
only gathers the answers for the home page. A capability switched off in
settings contributes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from accord.platform import policy
from accord.platform.capabilities import capability_configs


@dataclass
class Task:
    text: str
    href: str
    detail: str = ""


@dataclass
class TaskGroup:
    key: str
    title: str
    tasks: list[Task] = field(default_factory=list)
    more_href: str = ""
    none_text: str = "Nothing is waiting."


def _on(name: str) -> bool:
    return any(config.label == name for config in capability_configs())


def _permissions_to_decide(user) -> TaskGroup:
    """Movement permissions addressed to the user's state, still undecided, that they may decide."""
    from accord.mobility import services

    group = TaskGroup("permissions", "Permissions waiting for your state", more_href="/mobility/inbox/",
                      none_text="No movement is waiting for your state's permission.")
    for permission in services.inbox_for(user).filter(decision="pending"):
        if not policy.can(user, "mobility.decide_permission", permission):
            continue
        movement = permission.movement
        group.tasks.append(Task(
            movement.title or f"Movement {movement.pk}",
            f"/mobility/movements/{movement.pk}/",
            f"Requested by {movement.owner.name}; enters {permission.state.name} on {permission.entry:%-d %B %Y}",
        ))
    return group


def _invitations_to_answer(user) -> TaskGroup:
    from accord.dialogue.engine import invitations as rules
    from accord.dialogue.models import Invitation

    party = policy.party_of(user)
    group = TaskGroup("invitations", "Invitations to answer", more_href="/dialogue/invitations/",
                      none_text="No invitation is waiting for an answer.")
    if party is None or not policy.has_role(user, "editor", "approver", "administrator"):
        return group
    waiting = policy.visible(user, Invitation.objects.all()).filter(invitee_party=party, state=rules.INVITED)
    for invitation in waiting.order_by("date", "pk"):
        group.tasks.append(Task(invitation.meeting_title, "/dialogue/invitations/",
                                f"On {invitation.date:%-d %B %Y}"))
    return group


def _offers_to_answer(user) -> TaskGroup:
    """Offers to take part in an exercise that the user's party leads."""
    from accord.dialogue.engine import exercises as rules
    from accord.dialogue.models import ExerciseParticipation

    party = policy.party_of(user)
    group = TaskGroup("offers", "Offers to take part in your exercises", more_href="/dialogue/exercises/",
                      none_text="No offer to take part in an exercise is waiting.")
    if party is None or not policy.has_role(user, "approver", "administrator"):
        return group
    offers = policy.visible(user, ExerciseParticipation.objects.select_related("exercise", "partner"))
    for offer in offers.filter(state=rules.OFFERED).order_by("exercise__start", "pk"):
        if party.code in (offer.exercise.lead or []):
            group.tasks.append(Task(f"{offer.partner.name} offers to take part in {offer.exercise.name}",
                                    "/dialogue/exercises/"))
    return group


def _overdue_actions(user, today: dt.date) -> TaskGroup:
    """Actions agreed at meetings that the user's party owns and has not done by the due date."""
    from accord.dialogue import services

    party = policy.party_of(user)
    group = TaskGroup("actions", "Overdue actions for your party", more_href="/dialogue/actions/overdue/",
                      none_text="No action of your party is overdue.")
    if party is None:
        return group
    for row in services.overdue_actions(user, today):
        if row["owner_party"] != party.code:
            continue
        due = dt.date.fromisoformat(str(row["due"]))
        group.tasks.append(Task(row["description"], f"/dialogue/meetings/{row['meeting_id']}/",
                                f"Due {due.day} {due:%B %Y}, from {row['meeting_title']}"))
    return group


def tasks_for(user, today: dt.date) -> list[TaskGroup]:
    """The groups of tasks for ``user`` on ``today`` (the date comes from the entry point)."""
    if policy.party_of(user) is None:
        return []
    groups = []
    if _on("mobility"):
        groups.append(_permissions_to_decide(user))
    if _on("dialogue"):
        groups += [_invitations_to_answer(user), _offers_to_answer(user), _overdue_actions(user, today)]
    return groups
