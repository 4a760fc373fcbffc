"""Queries of force generation: requirements, offers and the optimiser's answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accord.missions.engine import register as register_engine
from accord.missions.engine.forcegen import ForceGenerationResult, optimise
from accord.missions.engine.forcegen_input import ForceGenerationInput, parse_forcegen
from accord.missions.mappers import engine_offer, engine_requirement
from accord.missions.models import (
    Mission,
    Offer,
    Requirement,
)
from accord.missions.services.common import registry
from accord.platform import policy


def requirements_for(user, mission: Mission):
    return policy.visible(user, Requirement.objects.filter(mission=mission).select_related("owner"))


def offers_for(user, mission: Mission):
    return policy.visible(user, Offer.objects.filter(mission=mission).select_related("owner"))


def force_generation_for(user, mission: Mission, on: dt.date) -> ForceGenerationResult | None:
    """The optimiser over the requirements and offers this user may see (None: no requirements)."""
    requirements = tuple(engine_requirement(r) for r in requirements_for(user, mission))
    if not requirements:
        return None
    offers = tuple(engine_offer(o) for o in offers_for(user, mission))
    offers = distinct_offer_ids(offers)
    # Only Member States and the third states invited to this mission are allocated.
    invited = frozenset(
        mission.participations.exclude(status__in=("start", "rejected")).values_list("state__code", flat=True)
    )
    inp = ForceGenerationInput(
        date=on, requirements=requirements, offers=offers, mission=mission.acronym, invited=invited
    )
    return optimise(inp, registry=registry())


def run_forcegen(data: Any, *, on: dt.date | None = None) -> dict[str, Any]:
    """Force generation on a posted statement of requirements and offers (nothing stored)."""
    reg = registry()
    inp = parse_forcegen(data, registry=reg, on=on, known_missions=register_engine.load_register())
    return optimise(inp, registry=reg).as_dict()


def distinct_offer_ids(offers):
    """Offer codes are unique per state, not per mission: where two states used the same
    code, the engine (which needs unique ids) sees them as "<state> <code>"."""
    import collections
    import dataclasses

    counts = collections.Counter(o.id for o in offers)
    return tuple(dataclasses.replace(o, id=f"{o.party} {o.id}") if counts[o.id] > 1 else o for o in offers)
