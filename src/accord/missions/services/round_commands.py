"""Force generation conference rounds: the EEAS opens a round (its call for offers,
with the statement of requirements as it stands) and closes it (the shortfall
list). Offers made while a round is open belong to it. Acts dated by the server;
permission first; each change with its audit entry in one transaction.
docs/law/csdp.md#force-generation
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from accord.errors import InputError
from accord.missions.engine import rounds, words
from accord.missions.mappers import engine_requirement
from accord.missions.models import ForceGenerationRound, Mission
from accord.missions.services.common import COUNCIL, registry, server_today, shared
from accord.missions.services.forcegen_queries import force_generation_for
from accord.platform import audit, policy
from accord.values import to_date


def open_round(user, mission: Mission, data: Any, on: dt.date | None = None) -> ForceGenerationRound:
    """Open the next round: the call for offers, closing on the day given."""
    policy.require(user, "missions.run_rounds", mission)
    on = on or server_today()  # an act is dated by the server, never by the client
    if not isinstance(data, dict):
        raise InputError("must be an object", field="(body)")
    raw = data.get("closes_on")
    try:
        closes_on = to_date(raw) if raw not in (None, "") else None
    except (ValueError, TypeError):
        raise InputError(
            "Enter the last day offers are received in this round as a real date", field="closes_on"
        ) from None
    if closes_on is None:
        raise InputError("Enter the last day offers are received in this round", field="closes_on")
    if closes_on < on:
        raise InputError(f"The last day for offers must be today ({words.day(on)}) or later", field="closes_on")
    if mission.forcegen_rounds.filter(closed_on__isnull=True).exists():
        raise InputError(
            "A round is already open for this mission: close it before calling the next", field="closes_on"
        )
    requirements = [engine_requirement(r) for r in mission.requirements.all()]
    if not requirements:
        raise InputError("Add the statement of requirements before calling for offers", field="closes_on")
    statement = rounds.statement_snapshot(requirements)
    previous = mission.forcegen_rounds.order_by("-number").first()
    changes = rounds.statement_changes(previous.statement, statement) if previous else []
    with transaction.atomic(), audit.acting_as(user):
        record = ForceGenerationRound.objects.create(
            owner=policy.party_of(user),
            created_by=user,
            mission=mission,
            number=(previous.number + 1) if previous else 1,
            opened_on=on,
            closes_on=closes_on,
            statement=statement,
            changes=changes,
        )
        called = mission.participations.exclude(status__in=("start", "invited", "rejected")).values_list(
            "state__code", flat=True
        )
        shared(record, [*registry().members("EU", on=on), *called, COUNCIL])
        audit.record_event(
            record,
            "missions.open_round",
            {"on": on.isoformat(), "number": record.number, "closes_on": closes_on.isoformat()},
        )
    return record


def close_round(user, mission: Mission, number: Any, on: dt.date | None = None) -> ForceGenerationRound:
    """Close the round after its last day for offers: its shortfall list, kept as it was."""
    # Permission before existence: who may close rounds does not depend on the round named.
    policy.require(user, "missions.run_rounds", mission)
    on = on or server_today()  # an act is dated by the server, never by the client
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise policy.NotVisible("no such round") from None
    record = policy.get_visible(user, ForceGenerationRound.objects.filter(mission=mission), number=number)
    if record.closed_on is not None:
        raise InputError(f"Round {record.number} was closed on {words.day(record.closed_on)}", field="round")
    if on <= record.closes_on:
        raise InputError(
            f"Round {record.number} receives offers until {words.day(record.closes_on)}: close it after that day",
            field="round",
        )
    result = force_generation_for(user, record.mission, on)
    short = rounds.shortfall(result) if result is not None else []
    with transaction.atomic(), audit.acting_as(user):
        record.closed_on = on
        record.shortfall = short
        record.offers_counted = record.offers.count()
        record.save()
        audit.record_event(
            record,
            "missions.close_round",
            {"on": on.isoformat(), "number": record.number, "totals": rounds.shortfall_totals(short)},
        )
    return record


def open_round_of(mission: Mission) -> ForceGenerationRound | None:
    """The round offers go into now (None: no round open)."""
    return mission.forcegen_rounds.filter(closed_on__isnull=True).first()
