"""Capability rules registered with the platform policy (registered in ``apps.py``)."""

from __future__ import annotations

from accord.platform import policy

DECIDERS = ("approver", "administrator")


@policy.rule("mobility.decide_permission")
def may_decide_permission(user, record=None, **context) -> bool:
    """Only an approver (or administrator) of the transit state decides that state's permission."""
    party = policy.party_of(user)
    if party is None or record is None or not policy.has_role(user, *DECIDERS):
        return False
    return record.state_id == party.pk and policy.can_see(user, record)


MERGERS = ("NATO", "EU")  # planner parties that coordinate several states' deployments


@policy.rule("mobility.merge_deployments")
def may_merge_deployments(user, record=None, plans=(), **context) -> bool:
    """A NATO or EU planner (editor or administrator) who may see every plan merges them."""
    party = policy.party_of(user)
    if party is None or party.code not in MERGERS or not policy.has_role(user, "editor", "administrator"):
        return False
    return all(policy.can_see(user, p) for p in (plans or [record]))
