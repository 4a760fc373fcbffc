"""What the dialogue asks of people, for their home page (read only)."""

from __future__ import annotations

import datetime as dt

from accord.platform import policy
from accord.web.tasks import Task, TaskGroup


def _invitations_to_answer(user) -> TaskGroup:
    from accord.dialogue.engine import invitations as rules
    from accord.dialogue.models import Invitation

    party = policy.party_of(user)
    group = TaskGroup(
        "invitations",
        "Invitations to answer",
        more_href="/dialogue/invitations/",
        none_text="No invitation is waiting for an answer.",
    )
    if party is None or not policy.has_role(user, "editor", "approver", "administrator"):
        return group
    waiting = policy.visible(user, Invitation.objects.all()).filter(invitee_party=party, state=rules.INVITED)
    for invitation in waiting.order_by("date", "pk"):
        group.tasks.append(Task(invitation.meeting_title, "/dialogue/invitations/", f"On {invitation.date:%-d %B %Y}"))
    return group


def _offers_to_answer(user) -> TaskGroup:
    """Offers to take part in an exercise that the user's party leads."""
    from accord.dialogue.engine import exercises as rules
    from accord.dialogue.models import ExerciseParticipation

    party = policy.party_of(user)
    group = TaskGroup(
        "offers",
        "Offers to take part in your exercises",
        more_href="/dialogue/exercises/",
        none_text="No offer to take part in an exercise is waiting.",
    )
    if party is None or not policy.has_role(user, "approver", "administrator"):
        return group
    offers = policy.visible(user, ExerciseParticipation.objects.select_related("exercise", "partner"))
    for offer in offers.filter(state=rules.OFFERED).order_by("exercise__start", "pk"):
        if party.code in (offer.exercise.lead or []):
            group.tasks.append(
                Task(f"{offer.partner.name} offers to take part in {offer.exercise.name}", "/dialogue/exercises/")
            )
    return group


def _overdue_actions(user, today: dt.date) -> TaskGroup:
    """Actions agreed at meetings that the user's party owns and has not done by the due date."""
    from accord.dialogue import services

    party = policy.party_of(user)
    group = TaskGroup(
        "actions",
        "Overdue actions for your party",
        more_href="/dialogue/actions/overdue/",
        none_text="No action of your party is overdue.",
    )
    if party is None:
        return group
    for row in services.overdue_actions(user, today):
        if row["owner_party"] != party.code:
            continue
        due = dt.date.fromisoformat(str(row["due"]))
        group.tasks.append(
            Task(
                row["description"],
                f"/dialogue/meetings/{row['meeting_id']}/",
                f"Due {due.day} {due:%B %Y}, from {row['meeting_title']}",
            )
        )
    return group


def home_tasks(user, today: dt.date) -> list[TaskGroup]:
    return [_invitations_to_answer(user), _offers_to_answer(user), _overdue_actions(user, today)]
