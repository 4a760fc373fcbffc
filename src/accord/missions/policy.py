"""Capability rules registered with the platform policy (imported in ``apps.py``).

Who may take a participation step is the pure engine's transition table
(parameter ``missions.workflow.transitions``); these rules only translate
the user into the engine's ``Actor`` and ask it.
"""

from __future__ import annotations

import datetime as dt

from accord.missions.engine import workflow
from accord.missions.mappers import actor_of, as_engine_participation
from accord.parties import load_registry
from accord.platform import policy

EEAS = "EEAS"
WRITERS = ("editor", "approver", "administrator")
PERMISSION_RULES = ("action_is_known", "party_may_take_step", "role_may_take_step")


@policy.rule("missions.participation_step")
def may_take_participation_step(
    user, record=None, *, step: str = "", on: dt.date | None = None, registry=None, mission=None, **context
) -> bool:
    """May this user's party and role take ``step`` (the engine's table says who)?

    Only the who-rules decide here; whether the step may follow the current
    state, or needs an FPA, is the workflow's answer (409), not a permission.
    """
    actor = actor_of(user)
    if actor is None or record is None or on is None:
        return False
    decision = workflow.check(
        as_engine_participation(record),
        step,
        actor,
        registry=registry or load_registry(),
        on=on,
        mission=mission,
    )
    return all(r.passed for r in decision.results if r.rule in PERMISSION_RULES)


@policy.rule("missions.write_requirements")
def may_write_requirements(user, record=None, **context) -> bool:
    """The EEAS drafts statements of requirements (EU Concept for Force Generation)."""
    party = policy.party_of(user)
    return party is not None and party.code == EEAS and policy.has_role(user, *WRITERS)


@policy.rule("missions.run_rounds")
def may_run_rounds(user, record=None, **context) -> bool:
    """The EEAS calls force generation rounds and closes them with the shortfall list
    (EU Concept for Force Generation, docs/law/csdp.md#force-generation)."""
    party = policy.party_of(user)
    return party is not None and party.code == EEAS and policy.has_role(user, *WRITERS)


@policy.rule("missions.make_offer")
def may_make_offer(user, record=None, *, state_may_offer: bool = False, **context) -> bool:
    """A state's editors or approvers offer its contributions; a third state only once called."""
    party = policy.party_of(user)
    return party is not None and party.kind == "state" and policy.has_role(user, *WRITERS) and state_may_offer


@policy.rule("missions.write_secondment_call")
def may_write_secondment_call(user, record=None, **context) -> bool:
    """The EEAS (Headhunter) publishes calls for seconded posts."""
    party = policy.party_of(user)
    return party is not None and party.code == EEAS and policy.has_role(user, *WRITERS)


@policy.rule("missions.apply_secondment")
def may_apply_secondment(user, record=None, **context) -> bool:
    """A state's editors or approvers nominate its candidates."""
    party = policy.party_of(user)
    return party is not None and party.kind == "state" and policy.has_role(user, *WRITERS)


@policy.rule("missions.select_secondment")
def may_select_secondment(user, record=None, **context) -> bool:
    """An EEAS approver selects among applications."""
    party = policy.party_of(user)
    return party is not None and party.code == EEAS and policy.has_role(user, "approver", "administrator")


@policy.rule("missions.set_committee")
def may_set_committee(user, record=None, **context) -> bool:
    """The Council records the PSC decision setting up a Committee of Contributors
    (e.g. PSC Decision (CFSP) 2015/664, Article 1), as it records invitations."""
    party = policy.party_of(user)
    return party is not None and party.code == "COUNCIL" and policy.has_role(user, "approver", "administrator")
