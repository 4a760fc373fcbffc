"""Force generation conference rounds (EU Concept for Force Generation): the EEAS
issues a call with the statement of requirements; states make offers until the
round closes; the round's result is a shortfall list per requirement; the
statement may be revised and a next round called. Pure: snapshots in, words out.
docs/law/csdp.md#force-generation
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .forcegen import ForceGenerationResult, capability_words
from .forcegen_input import Requirement


def statement_snapshot(requirements: Iterable[Requirement]) -> list[dict[str, Any]]:
    """The statement of requirements as it stood when a round opened (stored as it was)."""
    return [
        {
            "id": r.id,
            "capability": r.capability,
            "job_description": r.job_description,
            "quantity": r.quantity,
            "needed_from": r.needed_from.isoformat(),
            "duration_days": r.duration_days,
            "priority": r.priority,
            "rotation": r.rotation,
        }
        for r in sorted(requirements, key=lambda r: r.id)
    ]


def shortfall(result: ForceGenerationResult) -> list[dict[str, Any]]:
    """Per requirement of the round: required, filled, missing, and why (the gap reasons)."""
    reasons = {g.requirement.id: list(g.reasons) for g in result.gaps}
    fills = dict(result.fills)
    rows = []
    for r in result.input.requirements:
        filled = fills.get(r.id, 0)
        rows.append(
            {
                "requirement": r.id,
                "what": capability_words(r.capability, r.job_description),
                "required": r.quantity,
                "filled": filled,
                "missing": r.quantity - filled,
                "reasons": reasons.get(r.id, []),
            }
        )
    return rows


def statement_changes(before: Iterable[Mapping[str, Any]], after: Iterable[Mapping[str, Any]]) -> list[str]:
    """How the statement was revised between two rounds, in words."""
    old = {r["id"]: r for r in before}
    new = {r["id"]: r for r in after}
    changes = []
    for rid in sorted(new.keys() - old.keys()):
        r = new[rid]
        changes.append(
            f"Requirement {rid} added: {r['quantity']} × {capability_words(r['capability'], r['job_description'])}"
        )
    for rid in sorted(old.keys() - new.keys()):
        changes.append(f"Requirement {rid} withdrawn")
    for rid in sorted(old.keys() & new.keys()):
        a, b = old[rid], new[rid]
        if a["quantity"] != b["quantity"]:
            changes.append(f"Requirement {rid}: quantity {a['quantity']} → {b['quantity']}")
        if a["needed_from"] != b["needed_from"] or a["duration_days"] != b["duration_days"]:
            changes.append(f"Requirement {rid}: period changed")
        if a.get("priority") != b.get("priority"):
            changes.append(f"Requirement {rid}: priority {a.get('priority')} → {b.get('priority')}")
    return changes


def shortfall_totals(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    rows = list(rows)
    return {
        "required": sum(r["required"] for r in rows),
        "filled": sum(r["filled"] for r in rows),
        "missing": sum(r["missing"] for r in rows),
    }
