"""What mobility asks of people, for their home page (read only)."""

from __future__ import annotations

import datetime as dt

from accord.platform import policy
from accord.web.tasks import Task, TaskGroup


def _permissions_to_decide(user) -> TaskGroup:
    """Movement permissions addressed to the user's state, still undecided, that they may decide."""
    from accord.mobility import services

    group = TaskGroup(
        "permissions",
        "Permissions waiting for your state",
        more_href="/mobility/inbox/",
        none_text="No movement is waiting for your state's permission.",
    )
    for permission in services.inbox_for(user).filter(decision="pending"):
        if not policy.can(user, "mobility.decide_permission", permission):
            continue
        movement = permission.movement
        group.tasks.append(
            Task(
                movement.title or f"Movement {movement.pk}",
                f"/mobility/movements/{movement.pk}/",
                f"Requested by {movement.owner.name}; enters {permission.state.name} on {permission.entry:%-d %B %Y}",
            )
        )
    return group


def home_tasks(user, today: dt.date) -> list[TaskGroup]:
    return [_permissions_to_decide(user)]
