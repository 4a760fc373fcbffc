"""Capability rules registered with the platform policy (the one place that
decides access). Registered when the app is ready (``apps.py``)."""

from __future__ import annotations

from accord.dialogue.engine.invitations import TRANSITIONS, InvitationParties, may_act
from accord.dialogue.engine.reference import side_of
from accord.platform import policy

WRITERS = ("editor", "administrator")
ANSWERERS = ("editor", "approver", "administrator")


def _party_code(user) -> str | None:
    party = policy.party_of(user)
    return party.code if party else None


@policy.rule("dialogue.create_meeting")
def may_create_meeting(user, record=None, **context) -> bool:
    """Dialogue meetings are recorded by an editor of either side of the partnership."""
    code = _party_code(user)
    return code is not None and side_of(code) is not None and policy.has_role(user, *WRITERS)


@policy.rule("dialogue.administer")
def may_administer(user, record=None, **context) -> bool:
    """Working groups and the consultation cycle: an administrator of either side."""
    code = _party_code(user)
    return code is not None and side_of(code) is not None and policy.has_role(user, "administrator")


@policy.rule("dialogue.update_action")
def may_update_action(user, action, **context) -> bool:
    """The party that owes the action, or the meeting's recording party, updates its status."""
    code = _party_code(user)
    if code is None or not policy.has_role(user, *WRITERS) or not policy.can_see(user, action):
        return False
    return code in (action.owner_party.code, action.owner.code)


@policy.rule("dialogue.create_invitation")
def may_create_invitation(user, record=None, **context) -> bool:
    """An editor invites; which side may invite to which meeting is the engine's rule."""
    return _party_code(user) is not None and policy.has_role(user, *WRITERS)


@policy.rule("dialogue.move_invitation")
def may_move_invitation(user, invitation, *, target: str = "", **context) -> bool:
    """The invitee answers; the inviting side records attendance (engine.invitations)."""
    code = _party_code(user)
    if code is None or not policy.has_role(user, *ANSWERERS) or not policy.can_see(user, invitation):
        return False
    if target not in TRANSITIONS:
        return True  # an impossible target is a bad input (422), decided by the engine
    who = TRANSITIONS[target][1]
    parties = InvitationParties(invitation.inviting_party.code, invitation.invitee_party.code)
    return may_act(who, code, parties)


@policy.rule("dialogue.offer_participation")
def may_offer_participation(user, exercise, **context) -> bool:
    """An editor of a party that can see the exercise offers its participation."""
    return _party_code(user) is not None and policy.has_role(user, *WRITERS) and policy.can_see(user, exercise)


@policy.rule("dialogue.answer_offer")
def may_answer_offer(user, participation, **context) -> bool:
    """The exercise's lead (or the party that recorded the exercise) answers an offer."""
    code = _party_code(user)
    if code is None or not policy.has_role(user, *ANSWERERS) or not policy.can_see(user, participation):
        return False
    exercise = participation.exercise
    return code in set(exercise.lead) or code == exercise.owner.code


@policy.rule("dialogue.create_exercise")
def may_create_exercise(user, record=None, **context) -> bool:
    """The EU crisis-management exercise calendar is kept by editors of the EU side."""
    code = _party_code(user)
    return code is not None and side_of(code) == "EU" and policy.has_role(user, *WRITERS)
