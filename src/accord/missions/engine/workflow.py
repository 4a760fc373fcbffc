"""Third-state participation in a CSDP mission: a pure state machine.

invitation -> call for contributions -> offer -> recommendation ->
PSC decision (accept or reject) -> association with the Council decision.

Who may take each step (party and role) is the parameter
``missions.workflow.transitions`` (Council Decision 2005/495/CFSP, EU-Ukraine framework participation agreement), not code. Each check
returns a ``Decision`` that names every rule it applied, so a refusal says
why. The party registry (``accord.parties``) is an argument: whether a state
is an EU member or has a Framework Participation Agreement (FPA) on the date
comes from it, never from a list in code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from accord.rules.parameters import ParameterSet, load_parameters

from . import words
from .register import (
    STATUS_END_UNKNOWN,
    STATUS_LABELS,
    STATUS_NOT_LAUNCHED,
    STATUS_ONGOING,
    Mission,
    mission_status,
)

TRANSITIONS_PARAMETER = "missions.workflow.transitions"
COMMITTEE_PARAMETER = "missions.workflow.committee_of_contributors"
START = "start"  # the state before any invitation
INVITED_STATE = "invited_state"  # party placeholder: the third state the participation is about
FPA_FRAMEWORK = "CSDP_FPA"  # framework code in accord.parties
EU_FRAMEWORK = "EU"
FPA_ARTICLE = "Framework Participation Agreement (e.g. Council Decision 2005/495/CFSP, EU-Ukraine)"
MEMBER_STATE_ARTICLE = "Article 42(3) TEU: member states make capabilities available to the CSDP by right; invitations are for third states"


class PartyFacts(Protocol):
    """The part of ``accord.parties.PartyRegistry`` this engine uses."""

    def is_known(self, code: str) -> bool: ...

    def is_member(self, party: str, framework: str, *, on: dt.date) -> bool: ...

    def party(self, code: str) -> Any: ...


@dataclass(frozen=True)
class Actor:
    """Who asks to take a step: the user's party and roles."""

    party: str
    roles: frozenset[str]

    @classmethod
    def of(cls, party: str, *roles: str) -> Actor:
        return cls(party=party, roles=frozenset(roles))


@dataclass(frozen=True)
class Transition:
    action: str
    from_states: tuple[str, ...]
    to: str | None  # None: records a fact, the state does not change
    party: str
    roles: tuple[str, ...]
    step: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "from": list(self.from_states),
            "to": self.to,
            "party": self.party,
            "roles": list(self.roles),
            "step": self.step,
        }


@dataclass(frozen=True)
class Step:
    action: str
    from_status: str
    to_status: str
    party: str
    on: dt.date

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "from": self.from_status,
            "to": self.to_status,
            "party": self.party,
            "on": self.on.isoformat(),
        }


@dataclass(frozen=True)
class Participation:
    """One third state's participation in one mission."""

    mission: str  # acronym
    state: str  # party code of the third state
    status: str = START
    participation_agreement: bool = False  # a mission-specific agreement is recorded
    history: tuple[Step, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "mission": self.mission,
            "state": self.state,
            "status": self.status,
            "participation_agreement": self.participation_agreement,
            "history": [s.as_dict() for s in self.history],
        }


@dataclass(frozen=True)
class RuleResult:
    rule: str
    passed: bool
    explanation: str
    reference: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "passed": self.passed,
            "explanation": self.explanation,
            "reference": self.reference,
        }


@dataclass(frozen=True)
class Decision:
    action: str
    from_status: str
    to_status: str | None
    results: tuple[RuleResult, ...] = field(default=())

    @property
    def allowed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def reasons(self) -> list[str]:
        """Why it is refused (empty when allowed)."""
        return [r.explanation for r in self.results if not r.passed]

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "allowed": self.allowed,
            "from": self.from_status,
            "to": self.to_status,
            "rules": [r.as_dict() for r in self.results],
        }


class TransitionRefused(Exception):
    """The step is not allowed; ``decision`` says why."""

    def __init__(self, decision: Decision) -> None:
        self.decision = decision
        super().__init__(
            f"{words.capitalised(words.step(decision.action))} was refused: " + "; ".join(decision.reasons)
        )


# ----------------------------------------------------------- the table


def transitions(on: dt.date, params: ParameterSet | None = None) -> dict[str, Transition]:
    """The transition table in force on ``on``, keyed by action."""
    params = params or load_parameters("missions")
    table = {}
    for row in params.value(TRANSITIONS_PARAMETER, on):
        t = Transition(
            action=row["action"],
            from_states=tuple(row["from"]),
            to=row.get("to"),
            party=row["party"],
            roles=tuple(row["roles"]),
            step=row["step"],
        )
        table[t.action] = t
    return table


def _table_reference(params: ParameterSet) -> str:
    return params[TRANSITIONS_PARAMETER].reference


# ----------------------------------------------------------- the rules


def rule_step_follows_from_state(p: Participation, t: Transition, ref: str) -> RuleResult:
    passed = p.status in t.from_states
    now = words.status_words(p.status)
    needed = words.either([words.status_words(s) for s in t.from_states])
    return RuleResult(
        "step_follows_from_state",
        passed,
        (
            f"{words.capitalised(words.step(t.action))} may follow: the participation is {now}"
            if passed
            else f"{words.capitalised(words.step(t.action))} is not possible now: the participation is {now}, "
            f"and this step can only be taken when it is {needed}"
        ),
        ref,
    )


def rule_party_may_take_step(
    p: Participation, t: Transition, actor: Actor, ref: str, registry: PartyFacts | None = None
) -> RuleResult:
    expected = p.state if t.party == INVITED_STATE else t.party

    def name(code: str) -> str:
        return words.party_name(registry, code) if registry is not None else code

    passed = actor.party == expected
    if t.party == INVITED_STATE:
        who = f"the invited state ({name(p.state)})" if p.state else "the invited state"
    else:
        who = name(t.party)
    return RuleResult(
        "party_may_take_step",
        passed,
        (
            f"{words.capitalised(name(actor.party))} takes {words.step(t.action)}"
            if passed
            else f"Only {who} may take {words.step(t.action)}; {name(actor.party)} may not"
        ),
        ref,
    )


def rule_role_may_take_step(t: Transition, actor: Actor, ref: str) -> RuleResult:
    held = sorted(actor.roles & set(t.roles))
    passed = bool(held)
    has = words.either([words.role_words(r) for r in sorted(actor.roles)]) or "no role"
    return RuleResult(
        "role_may_take_step",
        passed,
        (
            f"An {words.role_words(held[0])} may take {words.step(t.action)}"
            if passed
            else f"{words.capitalised(words.step(t.action))} needs the role of "
            f"{words.either([words.role_words(r) for r in t.roles])}; your roles: {has}"
        ),
        ref,
    )


def rule_invitee_is_a_third_state(p: Participation, registry: PartyFacts, on: dt.date) -> RuleResult:
    if not registry.is_known(p.state):
        return RuleResult(
            "invitee_is_a_third_state", False, "The state named is not known to the service", MEMBER_STATE_ARTICLE
        )
    name = words.capitalised(words.party_name(registry, p.state))
    if registry.is_member(p.state, EU_FRAMEWORK, on=on):
        return RuleResult(
            "invitee_is_a_third_state",
            False,
            f"{name} is an EU member state on {words.day(on)}: it takes part by right, not by invitation",
            MEMBER_STATE_ARTICLE,
        )
    return RuleResult(
        "invitee_is_a_third_state",
        True,
        f"{name} is not an EU member state on {words.day(on)}",
        MEMBER_STATE_ARTICLE,
    )


def rule_mission_is_ongoing(mission: Mission, on: dt.date) -> RuleResult:
    status = mission_status(mission, on)
    # A mission whose mandate end is unknown is not known to have ended: third states may still join.
    # Between its establishing act and its launch a mission is force-generated: invitations come then.
    passed = status in (STATUS_ONGOING, STATUS_END_UNKNOWN, STATUS_NOT_LAUNCHED)
    return RuleResult(
        "mission_is_ongoing",
        passed,
        f"{mission.acronym} is {STATUS_LABELS[status].lower()} on {words.day(on)}"
        + ("" if passed else ": no state can be invited to it"),
        mission.legal_basis.title,
    )


def has_fpa(state: str, registry: PartyFacts, on: dt.date) -> bool:
    return registry.is_member(state, FPA_FRAMEWORK, on=on)


def needs_mission_agreement(p: Participation, registry: PartyFacts, on: dt.date) -> bool:
    """A third state without an FPA on ``on`` needs a mission-specific agreement
    (Article 37 TEU) before its contribution can be accepted, unless one is recorded."""
    return not has_fpa(p.state, registry, on) and not p.participation_agreement


def rule_fpa_or_agreement_before_acceptance(p: Participation, registry: PartyFacts, on: dt.date) -> RuleResult:
    name = words.capitalised(words.party_name(registry, p.state))
    if has_fpa(p.state, registry, on):
        return RuleResult(
            "fpa_or_agreement_before_acceptance",
            True,
            f"{name} has a Framework Participation Agreement in force on {words.day(on)}",
            FPA_ARTICLE,
        )
    if p.participation_agreement:
        return RuleResult(
            "fpa_or_agreement_before_acceptance",
            True,
            f"{name} has no Framework Participation Agreement, but a participation agreement for "
            f"{p.mission} is recorded",
            FPA_ARTICLE,
        )
    return RuleResult(
        "fpa_or_agreement_before_acceptance",
        False,
        f"{name} has no Framework Participation Agreement in force on {words.day(on)}: a participation "
        f"agreement for {p.mission} must be recorded before its contribution can be accepted",
        FPA_ARTICLE,
    )


def rule_agreement_only_without_fpa(p: Participation, registry: PartyFacts, on: dt.date) -> RuleResult:
    name = words.capitalised(words.party_name(registry, p.state))
    if has_fpa(p.state, registry, on):
        return RuleResult(
            "agreement_only_without_fpa",
            False,
            f"{name} has a Framework Participation Agreement in force on {words.day(on)}: "
            "no agreement for this mission is needed",
            FPA_ARTICLE,
        )
    if p.participation_agreement:
        return RuleResult(
            "agreement_only_without_fpa",
            False,
            f"A participation agreement for {p.mission} is already recorded",
            FPA_ARTICLE,
        )
    return RuleResult(
        "agreement_only_without_fpa",
        True,
        f"{name} has no Framework Participation Agreement; the agreement for this mission fills that gap",
        FPA_ARTICLE,
    )


# ----------------------------------------------------------- the engine


def check(
    p: Participation,
    action: str,
    actor: Actor,
    *,
    registry: PartyFacts,
    on: dt.date,
    mission: Mission | None = None,
    params: ParameterSet | None = None,
) -> Decision:
    """Every rule that applies to ``actor`` taking ``action`` on ``p`` on ``on``."""
    params = params or load_parameters("missions")
    table = transitions(on, params)
    ref = _table_reference(params)
    t = table.get(action)
    if t is None:
        return Decision(
            action,
            p.status,
            None,
            (
                RuleResult(
                    "action_is_known",
                    False,
                    "This is not a step of the participation workflow; the steps are: "
                    + ", ".join(f"“{words.action_label(a)}”" for a in table),
                    ref,
                ),
            ),
        )
    results = [
        rule_step_follows_from_state(p, t, ref),
        rule_party_may_take_step(p, t, actor, ref, registry),
        rule_role_may_take_step(t, actor, ref),
    ]
    if action == "invite":
        results.append(rule_invitee_is_a_third_state(p, registry, on))
        if mission is not None:
            results.append(rule_mission_is_ongoing(mission, on))
    if action == "accept":
        results.append(rule_fpa_or_agreement_before_acceptance(p, registry, on))
    if action == "record_participation_agreement":
        results.append(rule_agreement_only_without_fpa(p, registry, on))
    return Decision(action, p.status, t.to or p.status, tuple(results))


def apply(
    p: Participation,
    action: str,
    actor: Actor,
    *,
    registry: PartyFacts,
    on: dt.date,
    mission: Mission | None = None,
    params: ParameterSet | None = None,
) -> tuple[Participation, Decision]:
    """Take the step, or raise ``TransitionRefused`` naming every failed rule."""
    decision = check(p, action, actor, registry=registry, on=on, mission=mission, params=params)
    if not decision.allowed:
        raise TransitionRefused(decision)
    new_status = decision.to_status or p.status
    step = Step(action, p.status, new_status, actor.party, on)
    updated = replace(
        p,
        status=new_status,
        participation_agreement=p.participation_agreement or action == "record_participation_agreement",
        history=p.history + (step,),
    )
    return updated, decision


def available_actions(
    p: Participation,
    actor: Actor,
    *,
    registry: PartyFacts,
    on: dt.date,
    mission: Mission | None = None,
    params: ParameterSet | None = None,
) -> list[str]:
    """Actions ``actor`` may take now (for buttons and CLI hints)."""
    params = params or load_parameters("missions")
    return [
        a
        for a in transitions(on, params)
        if check(p, a, actor, registry=registry, on=on, mission=mission, params=params).allowed
    ]


def participation_flags(p: Participation, registry: PartyFacts, on: dt.date) -> dict[str, Any]:
    fpa = has_fpa(p.state, registry, on)
    return {
        "fpa_in_force": fpa,
        "participation_agreement": p.participation_agreement,
        "needs_mission_agreement": not fpa and not p.participation_agreement,
    }


def committee_of_contributors(
    participations: Iterable[Participation], on: dt.date, params: ParameterSet | None = None
) -> list[str]:
    """Third states whose contribution the PSC accepted: the Committee of Contributors."""
    params = params or load_parameters("missions")
    seated = set(params.value(COMMITTEE_PARAMETER, on))
    return sorted({p.state for p in participations if p.status in seated})
