"""Conversions from stored records to the pure engine's values (no policy, no writes).

Kept outside the service package so ``missions.policy`` can use them without
importing the services (which import the policy): no import circle.
"""

from __future__ import annotations

import datetime as dt

from accord.missions.engine import register as register_engine
from accord.missions.engine import secondment, workflow
from accord.missions.engine.forcegen_input import Offer as EngineOffer
from accord.missions.engine.forcegen_input import Requirement as EngineRequirement
from accord.missions.models import (
    Mission,
    Offer,
    Participation,
    Requirement,
    SecondmentApplication,
    SecondmentCall,
)
from accord.platform import policy


def as_engine_mission(m: Mission) -> register_engine.Mission:
    def source(title: str, href: str) -> register_engine.Source | None:
        return register_engine.Source(title, href or None) if title else None

    return register_engine.Mission(
        acronym=m.acronym,
        name=m.name,
        type=m.type,
        kind=m.kind,
        theatre=m.theatre,
        region=m.region,
        host_countries=tuple(m.host_countries or ()),
        established=m.established,
        launched=m.launched,
        mandate_end=m.mandate_end,
        precision=tuple(sorted((m.precision or {}).items())),
        closed=m.closed,
        legal_basis=source(m.legal_basis_title, m.legal_basis_href),
        source=source(m.source_title, m.source_href),
        confidence=m.confidence,
        strength=m.strength,
        mandate_end_source=source(m.mandate_end_source_title, m.mandate_end_source_href),
        note=m.note or None,
        renewals=tuple(
            register_engine.Renewal(
                decided_on=dt.date.fromisoformat(r["decided_on"]),
                mandate_end=dt.date.fromisoformat(r["mandate_end"]) if r.get("mandate_end") else None,
                decision=register_engine.Source(r["decision"]["title"], r["decision"].get("href")),
                note=r.get("note"),
            )
            for r in (m.renewals or [])
        ),
        facts=tuple(
            register_engine.Fact(
                kind=f["kind"],
                value=f["value"],
                on=dt.date.fromisoformat(f["on"]),
                source=register_engine.Source(f["source"]["title"], f["source"].get("href")),
                qualifier=f.get("qualifier"),
                note=f.get("note"),
            )
            for f in (m.facts or [])
        ),
        part_of=m.part_of or None,
    )


def as_engine_participation(p: Participation | workflow.Participation) -> workflow.Participation:
    if isinstance(p, workflow.Participation):
        return p
    history = tuple(
        workflow.Step(s["action"], s["from"], s["to"], s["party"], dt.date.fromisoformat(s["on"]))
        for s in (p.history or [])
    )
    return workflow.Participation(
        mission=p.mission.acronym,
        state=p.state.code,
        status=p.status,
        participation_agreement=p.participation_agreement,
        history=history,
    )


def engine_requirement(r: Requirement) -> EngineRequirement:
    return EngineRequirement(
        id=r.code,
        capability=r.capability,
        quantity=r.quantity,
        needed_from=r.needed_from,
        duration_days=r.duration_days,
        tasks=frozenset(r.tasks or ()),
        area=r.area or None,
        job_description=r.job_description or None,
        personnel_per_unit=r.personnel_per_unit,
        priority=r.priority,
        rotation=r.rotation,
    )


def engine_offer(o: Offer) -> EngineOffer:
    return EngineOffer(
        id=o.code,
        party=o.owner.code,
        capability=o.capability,
        quantity=o.quantity,
        available_from=o.available_from,
        available_until=o.available_until,
        max_duration_days=o.max_duration_days,
        excluded_tasks=frozenset(o.excluded_tasks or ()),
        excluded_areas=frozenset(o.excluded_areas or ()),
        job_description=o.job_description or None,
        personnel_per_unit=o.personnel_per_unit,
        reserve=o.reserve,
    )


def as_engine_call(record: SecondmentCall) -> secondment.Call:
    return secondment.Call(
        id=record.code,
        mission=record.mission.acronym,
        published_on=record.published_on,
        deadline=record.deadline,
        posts=tuple(secondment.Post(p["id"], p["job_description"], p.get("location")) for p in record.posts),
    )


def engine_application(record: SecondmentApplication) -> secondment.Application:
    return secondment.Application(
        id=record.code,
        call=record.call.code,
        post=record.post,
        candidate=record.candidate,
        nominated_by=record.owner.code,
        submitted_on=record.submitted_on,
    )


def actor_of(user) -> workflow.Actor | None:
    party = policy.party_of(user)
    return workflow.Actor(party.code, frozenset(policy.roles_of(user))) if party else None
