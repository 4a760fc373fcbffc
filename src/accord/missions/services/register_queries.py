"""Queries of the mission register: the missions a user may see on a date, one mission's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accord.errors import InputError, Problem
from accord.missions.engine import register as register_engine
from accord.missions.engine import workflow
from accord.missions.engine.catalogues import load_catalogues
from accord.missions.engine.costs import cost_bearer
from accord.missions.mappers import (
    as_engine_mission,
    as_engine_participation,
    engine_offer,
    engine_requirement,
)
from accord.missions.models import (
    Mission,
)
from accord.missions.services.forcegen_queries import (
    force_generation_for,
    offers_for,
    requirements_for,
)
from accord.missions.services.participation_queries import (
    participation_row,
    participations_for,
)
from accord.missions.services.secondment_queries import (
    secondment_calls_for,
    secondment_totals_for,
)
from accord.platform import policy


def visible_missions(user):
    return policy.visible(user, Mission.objects.all())


def missions_for(
    user, *, on: dt.date, type: str | None = None, region: str | None = None, include_closed: bool = False
) -> dict[str, Any]:
    problems = []
    if type and type not in register_engine.MISSION_TYPES:
        problems.append(Problem(f"must be one of {', '.join(register_engine.MISSION_TYPES)}", field="type"))
    regions = sorted(set(visible_missions(user).values_list("region", flat=True)))
    if region and region not in regions:
        problems.append(Problem(f"must be one of {', '.join(regions)}", field="region"))
    if problems:
        raise InputError(problems)
    rows = []
    all_missions = [as_engine_mission(r) for r in visible_missions(user)]
    for m in all_missions:
        if type and m.type != type or region and m.region != region:
            continue
        status = m.status_on(on)
        if status in register_engine.NOT_BEGUN:
            continue
        if not include_closed and status not in register_engine.IN_BEING:
            continue
        rows.append(m)
    rows.sort(key=lambda m: (register_engine.MISSION_TYPES.index(m.type), m.acronym))
    # Before the first published EEAS figure there is none to compare with: said so, never an error.
    head = register_engine.published_headline(on)
    published_on = dt.date.fromisoformat(head["published_on"]) if head else None
    return {
        "date": on.isoformat(),
        "filters": {"type": type, "region": region, "include_closed": include_closed},
        "regions": regions,
        "missions": [m.as_dict(on) for m in rows],
        "computed_totals": register_engine.computed_totals(
            [m for m in rows if m.status_on(on) in register_engine.IN_BEING], on
        ),
        # Launched since the first mission (2003), by type: the figure the Council and the EEAS publish.
        "launched_totals": register_engine.launched_totals(all_missions, on),
        "published_headline": head,
        "first_published_on": register_engine.first_headline_date().isoformat(),
        "register_on_published_date": (
            register_engine.computed_totals(
                [m for m in all_missions if m.status_on(published_on) in register_engine.IN_BEING], published_on
            )
            if published_on
            else None
        ),
    }


def mission_for(user, slug: str) -> Mission:
    """One mission the user may see, or ``policy.NotVisible`` (404)."""
    return policy.get_visible(user, Mission.objects.all(), slug=slug.lower())


def mission_page(user, mission: Mission, on: dt.date) -> dict[str, Any]:
    """Everything the mission page and the API's mission detail show, for this user."""
    engine_mission = as_engine_mission(mission)
    if on < engine_mission.established:
        # Before the mission existed there is nothing but the register record to show
        # (and no workflow rule in force to ask): said so, never an error.
        return {
            "mission": engine_mission.as_dict(on),
            "requirements": [],
            "offers": [],
            "participations": [],
            "committee_of_contributors": [],
            "force_generation": None,
            "offers_counted": 0,
            "secondment_calls": [],
            "secondments": secondment_totals_for(user, mission),
            "before_established": True,
        }
    participations = list(participations_for(user, mission))
    fg = force_generation_for(user, mission, on)
    offers = list(offers_for(user, mission))
    return {
        "before_established": False,
        "mission": engine_mission.as_dict(on),
        "requirements": [
            {**engine_requirement(r).as_dict(), "pk": r.pk, "capability_label": capability_label(r.capability)}
            for r in requirements_for(user, mission)
        ],
        "offers": [
            {
                **engine_offer(o).as_dict(),
                "pk": o.pk,
                "common_cost": o.common_cost,
                "capability_label": capability_label(o.capability),
                "cost": cost_bearer(common_cost=o.common_cost, on=on).as_dict(),
            }
            for o in offers
        ],
        "participations": [participation_row(user, p, on, engine_mission) for p in participations],
        # The committee is what the latest PSC decision recorded by then says; without one,
        # the third states whose contributions were accepted are shown as such.
        **committee_on(mission, participations, on),
        "force_generation": fg.as_dict() if fg else None,
        "offers_counted": len(offers),
        "secondment_calls": [
            {
                "pk": c.pk,
                "id": c.code,
                "published_on": c.published_on.isoformat(),
                "deadline": c.deadline.isoformat(),
                "posts": len(c.posts),
            }
            for c in secondment_calls_for(user, mission)
        ],
        "secondments": secondment_totals_for(user, mission),
    }


def capability_label(code: str) -> str:
    capability = load_catalogues().capability(code)
    return capability.label if capability else code


def committee_on(mission: Mission, participations, on: dt.date) -> dict[str, Any]:
    decision = mission.committee_decisions.filter(decided_on__lte=on).order_by("-decided_on", "-pk").first()
    accepted = workflow.committee_of_contributors([as_engine_participation(p) for p in participations], on)
    if decision is None:
        return {"committee_of_contributors": accepted, "committee_decision": None}
    return {
        "committee_of_contributors": list(decision.members),
        "committee_decision": {
            "psc_decision": decision.psc_decision,
            "decided_on": decision.decided_on.isoformat(),
            "members": list(decision.members),
        },
    }
