"""Capability rules registered with the platform policy (registered in ``apps.py``)."""

from __future__ import annotations

from accord.platform import policy

WRITERS = ("editor", "administrator")


@policy.rule("commitments.record_spending")
def may_record_spending(user, record=None, *, state=None, **context) -> bool:
    """A state's own editors record its spending figures (the figure is the state's record)."""
    party = policy.party_of(user)
    if party is None or state is None or not policy.has_role(user, *WRITERS):
        return False
    return party.pk == state.pk
