"""Invitations to the other side's internal meetings (SDP mechanism M5).

The partnership sets out a mechanism by which the EU can invite the UK to
internal EU meetings (Foreign Affairs Council, European Council, PSC,
Schuman Security and Defence Forum; docs/law/uk-eu-sdp.md#invitations); the
UK likewise invites EU representatives. The life of an invitation:

    invited -> accepted -> attended
    invited -> declined

Only the invitee answers (accepts or declines); only the inviting side, whose
meeting it is, records attendance. Nothing else moves. A "side" is the UK or
the EU with the parties acting for it (``data/sides.yaml``): the Council may
invite for the EU, and the EEAS may then record attendance.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.dialogue.engine.reference import side_of
from accord.errors import InputError, Problem

INVITED, ACCEPTED, DECLINED, ATTENDED = "invited", "accepted", "declined", "attended"
STATES = (INVITED, ACCEPTED, DECLINED, ATTENDED)

# target state -> (states it may come from, who may move it there)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    ACCEPTED: (frozenset({INVITED}), "invitee"),
    DECLINED: (frozenset({INVITED}), "invitee"),
    ATTENDED: (frozenset({ACCEPTED}), "inviting side"),
}


@dataclass(frozen=True)
class InvitationParties:
    inviting_party: str
    invitee_party: str


def check_new_invitation(body_convener: str, inviting_party: str, invitee_party: str) -> None:
    """An invitation is sent by the side whose internal meeting it is, to the other side.

    ``body_convener`` is the side (``GB`` or ``EU``) whose meeting it is.
    """
    problems = []
    if side_of(inviting_party) != body_convener:
        problems.append(
            Problem(
                f"only the {body_convener} side invites to this meeting (it is an internal {body_convener} meeting)",
                field="body",
            )
        )
    inviting_side = side_of(inviting_party) or inviting_party
    if (side_of(invitee_party) or invitee_party) == inviting_side:
        problems.append(Problem("a side does not invite itself to its own meeting", field="invitee_party"))
    if problems:
        raise InputError(problems)


def may_act(who: str, actor_party: str, parties: InvitationParties) -> bool:
    """The invitee is the invited party itself; the inviting side is any party of that side."""
    if who == "invitee":
        return actor_party == parties.invitee_party
    inviting_side = side_of(parties.inviting_party)
    if inviting_side is None:
        return actor_party == parties.inviting_party
    return side_of(actor_party) == inviting_side


def next_state(current: str, target: str, actor_party: str, parties: InvitationParties) -> str:
    """The state after ``actor_party`` moves the invitation to ``target``, or an InputError.

    The error names the transition refused and why, so the user knows what
    would be allowed.
    """
    if target not in TRANSITIONS:
        raise InputError(
            Problem(
                f"an invitation cannot be moved to {target!r}; possible: accepted, declined, attended", field="state"
            )
        )
    allowed_from, who = TRANSITIONS[target]
    problems = []
    if current not in allowed_from:
        problems.append(
            Problem(
                f"an invitation that is {current} cannot become {target} (only from {', '.join(sorted(allowed_from))})",
                field="state",
            )
        )
    if not may_act(who, actor_party, parties):
        expected = (
            parties.invitee_party if who == "invitee" else (side_of(parties.inviting_party) or parties.inviting_party)
        )
        problems.append(Problem(f"only the {who} ({expected}) may mark an invitation {target}", field="state"))
    if problems:
        raise InputError(problems)
    return target


def allowed_targets(current: str, actor_party: str, parties: InvitationParties) -> list[str]:
    """The moves ``actor_party`` may make now (for buttons on a page)."""
    out = []
    for target, (allowed_from, who) in TRANSITIONS.items():
        if current in allowed_from and may_act(who, actor_party, parties):
            out.append(target)
    return out
