"""Queries of third-state participations: what a user sees and may do."""

from __future__ import annotations

import datetime as dt

from accord.missions.engine import register as register_engine
from accord.missions.engine import workflow
from accord.missions.mappers import actor_of, as_engine_participation
from accord.missions.models import (
    Mission,
    Participation,
)
from accord.missions.services.common import registry
from accord.platform import policy


def participation_for(user, pk: int) -> Participation:
    return policy.get_visible(user, Participation.objects.select_related("mission", "state"), pk=pk)


def participations_for(user, mission: Mission | None = None):
    qs = Participation.objects.select_related("mission", "state", "owner")
    if mission is not None:
        qs = qs.filter(mission=mission)
    return policy.visible(user, qs)


def participation_row(user, p: Participation, on: dt.date, mission: register_engine.Mission | None = None) -> dict:
    engine_p = as_engine_participation(p)
    reg = registry()
    actor = actor_of(user)
    actions = workflow.available_actions(engine_p, actor, registry=reg, on=on, mission=mission) if actor else []
    return {
        "id": p.pk,
        "mission": p.mission.acronym,
        "mission_slug": p.mission.slug,
        "state": p.state.code,
        "state_name": p.state.name,
        "status": p.status,
        "history": p.history,
        "agreement": {
            "title": p.agreement_title,
            "signed_on": p.agreement_signed_on.isoformat() if p.agreement_signed_on else None,
            "href": p.agreement_href,
        }
        if p.agreement_title
        else None,
        **workflow.participation_flags(engine_p, reg, on),
        "available_actions": actions,
    }


def state_may_offer(user, mission: Mission, on: dt.date) -> tuple[bool, Participation | None]:
    party = policy.party_of(user)
    if party is None or party.kind != "state":
        return False, None
    if registry().is_member(party.code, "EU", on=on):
        return True, None
    participation = Participation.objects.filter(mission=mission, state=party).first()
    return bool(participation and participation.status in ("called", "offered")), participation


def page_permissions(user, mission: Mission, on: dt.date) -> dict[str, bool]:
    """Which forms the mission page offers this user (the policy decides, not the view)."""
    if on < mission.established:
        return dict.fromkeys(("may_invite", "may_offer", "may_write_requirements", "may_publish_call"), False)
    draft = workflow.Participation(mission=mission.acronym, state="")
    may_offer, _ = state_may_offer(user, mission, on)
    return {
        "may_invite": policy.can(user, "missions.participation_step", draft, step="invite", on=on),
        "may_offer": policy.can(user, "missions.make_offer", mission, state_may_offer=may_offer),
        "may_write_requirements": policy.can(user, "missions.write_requirements", mission),
        "may_publish_call": policy.can(user, "missions.write_secondment_call", mission),
    }
