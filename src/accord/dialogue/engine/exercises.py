"""Partner participation in EU crisis-management exercises (SDP mechanism M3).

Under the partnership the UK may take part in EU crisis-management exercises
(docs/law/uk-eu-sdp.md#exercises). A partner offers to take part; the exercise's lead
accepts or declines the offer:

    offered -> accepted
    offered -> declined
"""

from __future__ import annotations

import datetime as dt

from accord.errors import InputError, Problem

OFFERED, ACCEPTED, DECLINED = "offered", "accepted", "declined"
STATES = (OFFERED, ACCEPTED, DECLINED)


def check_offer(
    *, partner: str, lead: tuple[str, ...], exercise_end: dt.date | None, exercise_start: dt.date | None, on: dt.date
) -> None:
    """A partner may offer to join an exercise that has not yet ended on ``on``.

    The lead does not offer to join its own exercise. When the end date is
    unknown, the start date decides; when both are unknown, the offer stands.
    """
    problems = []
    if partner in lead:
        problems.append(Problem("the lead of an exercise does not offer to join it", field="partner"))
    last_day = exercise_end or exercise_start
    if last_day is not None and on > last_day:
        problems.append(Problem(f"the exercise ended on {last_day.isoformat()}; offers close then", field="exercise"))
    if problems:
        raise InputError(problems)


def answer_offer(current: str, target: str, actor_party: str, lead: tuple[str, ...]) -> str:
    """The lead accepts or declines an open offer."""
    problems = []
    if target not in (ACCEPTED, DECLINED):
        problems.append(Problem(f"an offer can only be accepted or declined, not {target!r}", field="state"))
    if current != OFFERED:
        problems.append(Problem(f"this offer was already {current}", field="state"))
    if actor_party not in lead:
        problems.append(Problem(f"only the exercise lead ({', '.join(lead)}) answers an offer", field="state"))
    if problems:
        raise InputError(problems)
    return target
