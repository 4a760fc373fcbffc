"""Commands of force generation: a line of the statement of requirements, a state's offer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from accord.errors import InputError
from accord.missions.engine.forcegen_input import parse_forcegen
from accord.missions.models import (
    Mission,
    Offer,
    Requirement,
)
from accord.missions.services.common import (
    COUNCIL,
    EEAS,
    registry,
    server_today,
    shared,
    strip_prefix,
)
from accord.missions.services.participation_commands import take_step
from accord.missions.services.participation_queries import state_may_offer
from accord.platform import audit, policy


def add_requirement(user, mission: Mission, data: Mapping[str, Any], on: dt.date | None = None) -> Requirement:
    """A line of the statement of requirements (EEAS), shared with EU member states and called states."""
    on = on or server_today()  # an act is dated by the server, never by the client
    policy.require(user, "missions.write_requirements", mission)
    payload = dict(data)
    try:
        inp = parse_forcegen({"date": on, "requirements": [payload], "offers": []}, registry=registry())
    except InputError as exc:
        raise strip_prefix(exc, "requirements[0].") from None
    (req,) = inp.requirements
    if Requirement.objects.filter(mission=mission, code=req.id).exists():
        raise InputError(f"{mission.acronym} already has a requirement “{req.id}”", field="id", item=req.id)
    reg = registry()
    with transaction.atomic(), audit.acting_as(user):
        record = Requirement.objects.create(
            owner=policy.party_of(user),
            created_by=user,
            mission=mission,
            code=req.id,
            capability=req.capability,
            job_description=req.job_description or "",
            quantity=req.quantity,
            needed_from=req.needed_from,
            duration_days=req.duration_days,
            tasks=sorted(req.tasks),
            area=req.area or "",
            personnel_per_unit=req.personnel_per_unit,
            priority=req.priority,
            rotation=req.rotation,
        )
        called = mission.participations.exclude(status__in=("start", "invited", "rejected")).values_list(
            "state__code", flat=True
        )
        shared(record, [*reg.members("EU", on=on), *called, COUNCIL])
    return record


def add_offer(user, mission: Mission, data: Mapping[str, Any], on: dt.date | None = None) -> Offer:
    """A state's offer. A member state offers by right; a third state once called,
    and its first offer is the workflow's 'offer' step (approver)."""
    on = on or server_today()  # an act is dated by the server, never by the client
    may, participation = state_may_offer(user, mission, on)
    policy.require(user, "missions.make_offer", mission, state_may_offer=may)
    party = policy.party_of(user)
    payload = {k: v for k, v in dict(data).items() if k != "common_cost"}
    payload["party"] = party.code
    common_cost = data.get("common_cost", False)
    if not isinstance(common_cost, bool):
        raise InputError("must be true or false", field="common_cost")
    try:
        inp = parse_forcegen({"date": on, "requirements": [], "offers": [payload]}, registry=registry())
    except InputError as exc:
        raise strip_prefix(exc, "offers[0].") from None
    (offer,) = inp.offers
    if Offer.objects.filter(mission=mission, owner=party, code=offer.id).exists():
        raise InputError(
            f"You already have an offer {offer.id} for {mission.acronym}: give this one another reference",
            field="id",
            item=offer.id,
        )
    current = mission.forcegen_rounds.filter(closed_on__isnull=True).first()
    with transaction.atomic(), audit.acting_as(user):
        if participation is not None and participation.status == "called":
            take_step(user, participation, "offer", on)
        record = Offer.objects.create(
            owner=party,
            created_by=user,
            mission=mission,
            code=offer.id,
            capability=offer.capability,
            job_description=offer.job_description or "",
            quantity=offer.quantity,
            available_from=offer.available_from,
            available_until=offer.available_until,
            max_duration_days=offer.max_duration_days,
            excluded_tasks=sorted(offer.excluded_tasks),
            excluded_areas=sorted(offer.excluded_areas),
            common_cost=common_cost,
            personnel_per_unit=offer.personnel_per_unit,
            reserve=offer.reserve,
            # Made while a round is open and before its last day: the offer counts in that round.
            round=current if current is not None and on <= current.closes_on else None,
        )
        shared(record, [EEAS, COUNCIL])
    return record
