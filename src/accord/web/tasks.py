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


def tasks_for(user, today: dt.date) -> list[TaskGroup]:
    """The groups of tasks for ``user`` on ``today`` (the date comes from the entry point).

    Each capability that has something to ask of people offers it in its
    ``home_tasks_module`` (``home_tasks(user, today) -> list[TaskGroup]``), so
    the web knows no capability by name."""
    if policy.party_of(user) is None:
        return []
    groups: list[TaskGroup] = []
    for capability in capability_configs():
        groups += capability.home_tasks(user, today)
    return groups
