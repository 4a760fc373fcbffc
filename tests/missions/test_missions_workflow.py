"""Third-state participation: each step only by the right party and role
(parameter missions.workflow.transitions)."""

import datetime as dt

import pytest

from accord.missions.engine.register import load_register
from accord.missions.engine.workflow import (
    Actor,
    Participation,
    TransitionRefused,
    apply,
    available_actions,
    check,
    committee_of_contributors,
    needs_mission_agreement,
    participation_flags,
)
from accord.parties import Membership, PartyRegistry, Source, load_registry

DAY = dt.date(2026, 1, 15)
REGISTRY = load_registry()
ALTHEA = load_register().get("EUFOR ALTHEA")

COUNCIL = Actor.of("COUNCIL", "approver")
EEAS = Actor.of("EEAS", "approver")
NORWAY = Actor.of("NO", "approver")
UK = Actor.of("GB", "approver")


def run(p, *steps):
    for action, actor in steps:
        p, _ = apply(p, action, actor, registry=REGISTRY, on=DAY, mission=ALTHEA)
    return p


def offered(state, actor):
    p = Participation(mission="EUFOR ALTHEA", state=state)
    return run(p, ("invite", COUNCIL), ("call_for_contributions", EEAS), ("offer", actor))


def test_norway_with_an_fpa_goes_from_invitation_to_association():
    p = offered("NO", NORWAY)
    p = run(p, ("recommend", EEAS), ("accept", COUNCIL), ("associate", NORWAY))
    assert p.status == "associated"
    assert [s.action for s in p.history] == [
        "invite",
        "call_for_contributions",
        "offer",
        "recommend",
        "accept",
        "associate",
    ]


def test_only_the_council_may_invite_a_third_state():
    p = Participation(mission="EUFOR ALTHEA", state="NO")
    decision = check(p, "invite", EEAS, registry=REGISTRY, on=DAY, mission=ALTHEA)
    assert not decision.allowed
    assert any(
        "Only the Council of the European Union may take the step “Invite the state”" in r for r in decision.reasons
    )


def test_a_council_viewer_may_not_invite_because_the_step_needs_an_approver():
    p = Participation(mission="EUFOR ALTHEA", state="NO")
    decision = check(p, "invite", Actor.of("COUNCIL", "viewer"), registry=REGISTRY, on=DAY, mission=ALTHEA)
    assert not decision.allowed
    assert any("needs the role of approver; your roles: viewer" in r for r in decision.reasons)


def test_an_eeas_editor_may_send_the_call_for_contributions():
    p = run(Participation(mission="EUFOR ALTHEA", state="NO"), ("invite", COUNCIL))
    assert check(p, "call_for_contributions", Actor.of("EEAS", "editor"), registry=REGISTRY, on=DAY).allowed


def test_only_the_invited_state_may_offer_a_contribution():
    p = run(Participation(mission="EUFOR ALTHEA", state="NO"), ("invite", COUNCIL), ("call_for_contributions", EEAS))
    assert not check(p, "offer", UK, registry=REGISTRY, on=DAY).allowed
    assert check(p, "offer", NORWAY, registry=REGISTRY, on=DAY).allowed


def test_an_offer_cannot_come_before_the_call_for_contributions():
    p = run(Participation(mission="EUFOR ALTHEA", state="NO"), ("invite", COUNCIL))
    with pytest.raises(
        TransitionRefused, match="“Offer a contribution” is not possible now: the participation is invited"
    ):
        apply(p, "offer", NORWAY, registry=REGISTRY, on=DAY)


def test_the_psc_cannot_accept_before_the_commander_recommends():
    p = offered("NO", NORWAY)
    decision = check(p, "accept", COUNCIL, registry=REGISTRY, on=DAY)
    assert not decision.allowed
    assert any("is not possible now: the participation is with a contribution offered" in r for r in decision.reasons)


def test_the_psc_may_reject_a_recommended_offer():
    p = run(offered("NO", NORWAY), ("recommend", EEAS), ("reject", COUNCIL))
    assert p.status == "rejected"


def test_an_eu_member_state_is_not_invited_it_takes_part_by_right():
    p = Participation(mission="EUFOR ALTHEA", state="FR")
    decision = check(p, "invite", COUNCIL, registry=REGISTRY, on=DAY, mission=ALTHEA)
    assert not decision.allowed
    assert any("EU member state" in r for r in decision.reasons)


def test_no_invitation_to_a_mission_that_has_closed():
    mali = load_register().get("EUTM MALI")
    p = Participation(mission="EUTM MALI", state="NO")
    decision = check(p, "invite", COUNCIL, registry=REGISTRY, on=dt.date(2024, 6, 1), mission=mali)
    assert any("closed" in r for r in decision.reasons)


def test_the_uk_without_an_fpa_is_flagged_as_needing_a_mission_specific_agreement():
    p = offered("GB", UK)
    assert needs_mission_agreement(p, REGISTRY, DAY)
    assert participation_flags(p, REGISTRY, DAY) == {
        "fpa_in_force": False,
        "participation_agreement": False,
        "needs_mission_agreement": True,
    }


def test_the_uk_without_an_fpa_cannot_be_accepted_until_an_agreement_is_recorded():
    p = run(offered("GB", UK), ("recommend", EEAS))
    decision = check(p, "accept", COUNCIL, registry=REGISTRY, on=DAY)
    assert not decision.allowed
    assert any("no Framework Participation Agreement" in r and "participation agreement" in r for r in decision.reasons)
    p = run(p, ("record_participation_agreement", COUNCIL))
    assert p.status == "recommended"  # recording the agreement does not move the state
    assert not needs_mission_agreement(p, REGISTRY, DAY)
    p = run(p, ("accept", COUNCIL))
    assert p.status == "accepted"


def test_a_state_with_an_fpa_needs_no_mission_specific_agreement():
    p = offered("NO", NORWAY)
    assert not needs_mission_agreement(p, REGISTRY, DAY)
    decision = check(p, "record_participation_agreement", COUNCIL, registry=REGISTRY, on=DAY)
    assert not decision.allowed


def test_an_fpa_counts_from_its_first_day_and_not_the_day_before():
    # A registry in which the UK signs an FPA in force from 2027-01-01 (a scenario, not a fact).
    fpa_from = dt.date(2027, 1, 1)
    registry = PartyRegistry(
        REGISTRY.parties(),
        REGISTRY.frameworks(),
        REGISTRY.memberships() + [Membership("GB", "CSDP_FPA", fpa_from, None, Source("test scenario"))],
    )
    p = Participation(mission="EUFOR ALTHEA", state="GB", status="recommended")
    assert not check(p, "accept", COUNCIL, registry=registry, on=fpa_from - dt.timedelta(days=1)).allowed
    assert check(p, "accept", COUNCIL, registry=registry, on=fpa_from).allowed


def test_an_unknown_action_is_refused_with_the_known_ones():
    p = Participation(mission="EUFOR ALTHEA", state="NO")
    decision = check(p, "deploy", COUNCIL, registry=REGISTRY, on=DAY)
    assert not decision.allowed
    assert "“Invite the state”" in decision.reasons[0]


def test_the_invited_state_sees_only_its_own_next_steps():
    p = offered("NO", NORWAY)
    assert available_actions(p, NORWAY, registry=REGISTRY, on=DAY) == ["withdraw_offer"]
    assert available_actions(p, EEAS, registry=REGISTRY, on=DAY) == ["recommend"]
    assert available_actions(p, UK, registry=REGISTRY, on=DAY) == []


def test_accepted_and_associated_contributors_form_the_committee_of_contributors():
    norway = run(offered("NO", NORWAY), ("recommend", EEAS), ("accept", COUNCIL), ("associate", NORWAY))
    canada = Participation(mission="EUFOR ALTHEA", state="CA", status="accepted")
    swiss = Participation(mission="EUFOR ALTHEA", state="CH", status="offered")
    rejected = Participation(mission="EUFOR ALTHEA", state="US", status="rejected")
    assert committee_of_contributors([norway, canada, swiss, rejected], DAY) == ["CA", "NO"]
