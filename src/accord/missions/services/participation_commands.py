"""Commands of the third-state participation workflow: invite, and each step after it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.errors import InputError, Problem
from accord.missions.engine import words, workflow
from accord.missions.mappers import actor_of, as_engine_mission, as_engine_participation
from accord.missions.models import (
    Mission,
    Participation,
)
from accord.missions.policy import PERMISSION_RULES
from accord.missions.services.common import (
    EEAS,
    StepRefused,
    registry,
    server_today,
    shared,
    too_long,
)
from accord.platform import audit, policy
from accord.platform.models import Party
from accord.values import to_date


def invite(user, mission: Mission, state_code: Any, on: dt.date | None = None) -> Participation:
    """The Council (PSC) invites a named third state: the first workflow step."""
    on = on or server_today()  # an act is dated by the server, never by the client
    engine_mission = as_engine_mission(mission)
    # Permission first: who may invite does not depend on the state named, and a user
    # who may not invite must not learn whether a state already takes part.
    _require_step(user, workflow.Participation(mission=mission.acronym, state=""), "invite", on, engine_mission)
    if not isinstance(state_code, str) or not state_code.strip():
        raise InputError("Choose the state to invite", field="state")
    party = Party.objects.filter(code=state_code.strip().upper()).first()
    if party is None:
        raise InputError(f"{state_code} is not a state or institution known to the service", field="state")
    state_code = party.code
    existing = Participation.objects.filter(mission=mission, state=party).first()
    if existing is not None:
        raise InputError(f"{party.name} has already been invited to {mission.acronym}", field="state")
    draft = workflow.Participation(mission=mission.acronym, state=state_code)
    try:
        done, decision = workflow.apply(
            draft, "invite", actor_of(user), registry=registry(), on=on, mission=engine_mission
        )
    except workflow.TransitionRefused as exc:
        raise StepRefused(exc.decision) from None
    with transaction.atomic(), audit.acting_as(user):
        record = Participation.objects.create(
            owner=policy.party_of(user),
            created_by=user,
            mission=mission,
            state=Party.objects.get(code=state_code),
            status=done.status,
            history=[acted(user, step) for step in done.history],
        )
        shared(record, [EEAS, state_code])
        audit.record_event(record, "missions.invite", {"on": on.isoformat(), "decision": decision.as_dict()})
    return record


def _require_step(user, record, action: str, on: dt.date, engine_mission) -> None:
    """Ask the policy; when it refuses, say which who-rule failed (party or role)."""
    try:
        policy.require(user, "missions.participation_step", record, step=action, on=on, mission=engine_mission)
    except policy.Forbidden:
        actor = actor_of(user)
        if actor is None:
            raise
        decision = workflow.check(
            as_engine_participation(record), action, actor, registry=registry(), on=on, mission=engine_mission
        )
        reasons = [r.explanation for r in decision.results if not r.passed and r.rule in PERMISSION_RULES]
        raise policy.Forbidden("; ".join(reasons) or f"You may not take {words.step(action)}") from None


# Steps that refuse something: the person taking them must say why (recorded and shown).
NEEDS_A_REASON = ("reject", "withdraw_offer")


def acted(user, step: workflow.Step, reason: str | None = None) -> dict:
    """A history entry: the engine's step, who took it and when (the server's time), and why."""
    entry = {**step.as_dict(), "by": user.get_full_name() or user.get_username(), "at": timezone.now().isoformat()}
    if reason:
        entry["reason"] = reason
    return entry


def agreement_details(data: Any, on: dt.date) -> dict[str, Any]:
    """The ad hoc agreement the Council records for a third state without an FPA: its
    published title, the day it was signed (not after today) and where it is published."""
    problems = []
    if not isinstance(data, dict):
        data = {}
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(
            Problem(
                "Enter the title of the agreement as published, for example Agreement between the European "
                "Union and the Republic of Albania on the participation of the Republic of Albania in the "
                "European Union military operation in the Republic of Chad and in the Central African Republic",
                field="agreement.title",
            )
        )
    else:
        problems += too_long(Participation, "agreement_title", title.strip(), "agreement.title")
    signed_on = None
    if data.get("signed_on") not in (None, ""):
        try:
            signed_on = to_date(data["signed_on"])
        except (ValueError, TypeError):
            problems.append(
                Problem("Enter the day the agreement was signed as a real date", field="agreement.signed_on")
            )
        else:
            if signed_on > on:
                problems.append(
                    Problem(
                        f"The agreement cannot have been signed after today ({words.day(on)})",
                        field="agreement.signed_on",
                    )
                )
    href = data.get("href") or ""
    if href and (not isinstance(href, str) or not href.startswith(("https://", "http://"))):
        problems.append(
            Problem("Enter the web address where the agreement is published (https://...)", field="agreement.href")
        )
    elif href:
        problems += too_long(Participation, "agreement_href", href, "agreement.href")
    if problems:
        raise InputError(problems)
    return {"title": title.strip(), "signed_on": signed_on, "href": href}


def take_step(
    user,
    participation: Participation,
    action: str,
    on: dt.date | None = None,
    reason: str | None = None,
    agreement: Any = None,
) -> workflow.Decision:
    """One workflow step by this user, or Forbidden (403) / StepRefused (409)."""
    on = on or server_today()  # an act is dated by the server, never by the client
    known = workflow.transitions(on)
    if action not in known or action == "invite":
        raise InputError("Choose one of the steps offered for this participation", field="action")
    engine_mission = as_engine_mission(participation.mission)
    _require_step(user, participation, action, on, engine_mission)
    reason = reason.strip() if isinstance(reason, str) else None
    if action in NEEDS_A_REASON and not reason:
        raise InputError(
            "Give the reason for this decision: it is recorded and shown to the state concerned", field="reason"
        )
    details = agreement_details(agreement, on) if action == "record_participation_agreement" else None
    current = as_engine_participation(participation)
    try:
        done, decision = workflow.apply(
            current, action, actor_of(user), registry=registry(), on=on, mission=engine_mission
        )
    except workflow.TransitionRefused as exc:
        raise StepRefused(exc.decision) from None
    seated = set(workflow.committee_of_contributors([done], on)) == {done.state}
    with transaction.atomic(), audit.acting_as(user):
        participation.status = done.status
        participation.participation_agreement = done.participation_agreement
        if details is not None:
            participation.agreement_title = details["title"]
            participation.agreement_signed_on = details["signed_on"]
            participation.agreement_href = details["href"]
        participation.history = [*(participation.history or []), acted(user, done.history[-1], reason)]
        if seated:
            # The PSC decision accepting a third state's contribution is published.
            participation.is_public = True
        participation.save()
        if action == "call_for_contributions":
            for requirement in participation.mission.requirements.all():
                requirement.shared_with.add(participation.state)
        audit.record_event(
            participation,
            f"missions.{action}",
            {
                "on": on.isoformat(),
                "decision": decision.as_dict(),
                "reason": reason,
                **(
                    {"agreement": {**details, "signed_on": details["signed_on"] and details["signed_on"].isoformat()}}
                    if details
                    else {}
                ),
            },
        )
    return decision
