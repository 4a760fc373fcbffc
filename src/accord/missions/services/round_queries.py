"""Queries of force generation rounds: the history a user may see."""

from __future__ import annotations

from typing import Any

from accord.missions.engine import rounds
from accord.missions.models import ForceGenerationRound, Mission
from accord.missions.services.common import COUNCIL, EEAS
from accord.platform import policy


def rounds_for(user, mission: Mission):
    return policy.visible(user, ForceGenerationRound.objects.filter(mission=mission))


def round_for(user, mission: Mission, number: int) -> ForceGenerationRound:
    return policy.get_visible(user, ForceGenerationRound.objects.filter(mission=mission), number=number)


def round_row(user, record: ForceGenerationRound) -> dict[str, Any]:
    """A round as the API and the page show it. The reasons of a shortfall name other
    states' offers: only the EEAS and the Council see them; others see the counts."""
    party = policy.party_of(user)
    sees_reasons = party is not None and party.code in (EEAS, COUNCIL)
    shortfall = [{**row, "reasons": row.get("reasons", []) if sees_reasons else []} for row in (record.shortfall or [])]
    return {
        "number": record.number,
        "opened_on": record.opened_on.isoformat(),
        "closes_on": record.closes_on.isoformat(),
        "closed_on": record.closed_on.isoformat() if record.closed_on else None,
        "statement": record.statement,
        "changes": record.changes,
        "offers_counted": record.offers_counted if record.closed_on else record.offers.count(),
        "shortfall": shortfall,
        "totals": rounds.shortfall_totals(shortfall) if record.closed_on else None,
        "open": record.closed_on is None,
    }
