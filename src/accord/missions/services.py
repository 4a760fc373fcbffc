"""The service layer of the missions capability: every read and change goes through here.

Reads return only what ``accord.platform.policy`` lets the user see. Changes
ask the policy, validate the whole input with the pure engine before storing
anything, run inside ``audit.acting_as(user)``, and record each workflow step
as an audit event with the engine's decision. The date is always an argument.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from django.db import transaction

from accord.errors import InputError, Problem
from accord.missions.engine import register as register_engine
from accord.missions.engine import workflow
from accord.missions.engine.catalogues import load_catalogues
from accord.missions.engine.costs import cost_bearer
from accord.missions.engine.forcegen import ForceGenerationResult, optimise
from accord.missions.engine.forcegen_input import ForceGenerationInput, parse_forcegen
from accord.missions.engine.forcegen_input import Offer as EngineOffer
from accord.missions.engine.forcegen_input import Requirement as EngineRequirement
from accord.missions.engine import secondment
from accord.missions.models import (
    Mission,
    Offer,
    Participation,
    Requirement,
    SecondmentApplication,
    SecondmentCall,
)
from accord.parties import load_registry
from accord.platform import audit, policy
from accord.platform.models import Party

EEAS = "EEAS"
COUNCIL = "COUNCIL"


class StepRefused(Exception):
    """The workflow refuses the step (wrong state, no FPA ...): answer 409 with the decision."""

    def __init__(self, decision: workflow.Decision) -> None:
        self.decision = decision
        super().__init__("; ".join(decision.reasons))


def registry():
    return load_registry()


def parse_on(value: str | None, today: dt.date) -> dt.date:
    """The date from a query parameter, or today (given by the entry point)."""
    if value in (None, ""):
        return today
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{value!r} is not a date (YYYY-MM-DD)", field="on") from None


# --- conversions to the pure engine ------------------------------------------


def as_engine_mission(m: Mission) -> register_engine.Mission:
    def source(title: str, href: str) -> register_engine.Source | None:
        return register_engine.Source(title, href or None) if title else None

    return register_engine.Mission(
        acronym=m.acronym, name=m.name, type=m.type, kind=m.kind, theatre=m.theatre, region=m.region,
        host_countries=tuple(m.host_countries or ()), established=m.established, launched=m.launched,
        mandate_end=m.mandate_end, closed=m.closed,
        legal_basis=source(m.legal_basis_title, m.legal_basis_href),
        source=source(m.source_title, m.source_href), confidence=m.confidence, strength=m.strength,
        mandate_end_source=source(m.mandate_end_source_title, m.mandate_end_source_href), note=m.note or None,
    )


def as_engine_participation(p: Participation | workflow.Participation) -> workflow.Participation:
    if isinstance(p, workflow.Participation):
        return p
    history = tuple(
        workflow.Step(s["action"], s["from"], s["to"], s["party"], dt.date.fromisoformat(s["on"]))
        for s in (p.history or [])
    )
    return workflow.Participation(
        mission=p.mission.acronym, state=p.state.code, status=p.status,
        participation_agreement=p.participation_agreement, history=history,
    )


def _engine_requirement(r: Requirement) -> EngineRequirement:
    return EngineRequirement(
        id=r.code, capability=r.capability, quantity=r.quantity, needed_from=r.needed_from,
        duration_days=r.duration_days, tasks=frozenset(r.tasks or ()), area=r.area or None,
        job_description=r.job_description or None,
    )


def _engine_offer(o: Offer) -> EngineOffer:
    return EngineOffer(
        id=o.code, party=o.owner.code, capability=o.capability, quantity=o.quantity,
        available_from=o.available_from, available_until=o.available_until,
        max_duration_days=o.max_duration_days, excluded_tasks=frozenset(o.excluded_tasks or ()),
        excluded_areas=frozenset(o.excluded_areas or ()), job_description=o.job_description or None,
    )


# --- reads -------------------------------------------------------------------


def visible_missions(user):
    return policy.visible(user, Mission.objects.all())


def missions_for(user, *, on: dt.date, type: str | None = None, region: str | None = None,
                 include_closed: bool = False) -> dict[str, Any]:
    problems = []
    if type and type not in register_engine.MISSION_TYPES:
        problems.append(Problem(f"must be one of {', '.join(register_engine.MISSION_TYPES)}", field="type"))
    regions = sorted(set(visible_missions(user).values_list("region", flat=True)))
    if region and region not in regions:
        problems.append(Problem(f"must be one of {', '.join(regions)}", field="region"))
    if problems:
        raise InputError(problems)
    rows = []
    for record in visible_missions(user):
        m = as_engine_mission(record)
        if type and m.type != type or region and m.region != region:
            continue
        if not include_closed and m.status_on(on) != register_engine.STATUS_ONGOING:
            continue
        rows.append(m)
    rows.sort(key=lambda m: (register_engine.MISSION_TYPES.index(m.type), m.acronym))
    head = register_engine.published_headline(on)
    published_on = dt.date.fromisoformat(head["published_on"])
    all_missions = [as_engine_mission(r) for r in visible_missions(user)]
    return {
        "date": on.isoformat(),
        "filters": {"type": type, "region": region, "include_closed": include_closed},
        "regions": regions,
        "missions": [m.as_dict(on) for m in rows],
        "computed_totals": register_engine.computed_totals(rows),
        "published_headline": head,
        "register_on_published_date": register_engine.computed_totals(
            [m for m in all_missions if m.status_on(published_on) == register_engine.STATUS_ONGOING]
        ),
    }


def mission_for(user, slug: str) -> Mission:
    """One mission the user may see, or ``policy.NotVisible`` (404)."""
    return policy.get_visible(user, Mission.objects.all(), slug=slug.lower())


def participation_for(user, pk: int) -> Participation:
    return policy.get_visible(user, Participation.objects.select_related("mission", "state"), pk=pk)


def participations_for(user, mission: Mission | None = None):
    qs = Participation.objects.select_related("mission", "state", "owner")
    if mission is not None:
        qs = qs.filter(mission=mission)
    return policy.visible(user, qs)


def requirements_for(user, mission: Mission):
    return policy.visible(user, Requirement.objects.filter(mission=mission).select_related("owner"))


def offers_for(user, mission: Mission):
    return policy.visible(user, Offer.objects.filter(mission=mission).select_related("owner"))


def force_generation_for(user, mission: Mission, on: dt.date) -> ForceGenerationResult | None:
    """The optimiser over the requirements and offers this user may see (None: no requirements)."""
    requirements = tuple(_engine_requirement(r) for r in requirements_for(user, mission))
    if not requirements:
        return None
    offers = tuple(_engine_offer(o) for o in offers_for(user, mission))
    inp = ForceGenerationInput(date=on, requirements=requirements, offers=offers, mission=mission.acronym)
    return optimise(inp, registry=registry())


def participation_row(user, p: Participation, on: dt.date, mission: register_engine.Mission | None = None) -> dict:
    engine_p = as_engine_participation(p)
    reg = registry()
    actor = _actor(user)
    actions = (
        workflow.available_actions(engine_p, actor, registry=reg, on=on, mission=mission) if actor else []
    )
    return {
        "id": p.pk,
        "mission": p.mission.acronym,
        "mission_slug": p.mission.slug,
        "state": p.state.code,
        "state_name": p.state.name,
        "status": p.status,
        "history": p.history,
        **workflow.participation_flags(engine_p, reg, on),
        "available_actions": actions,
    }


def mission_page(user, mission: Mission, on: dt.date) -> dict[str, Any]:
    """Everything the mission page and the API's mission detail show, for this user."""
    engine_mission = as_engine_mission(mission)
    participations = list(participations_for(user, mission))
    fg = force_generation_for(user, mission, on)
    offers = list(offers_for(user, mission))
    return {
        "mission": engine_mission.as_dict(on),
        "requirements": [
            {**_engine_requirement(r).as_dict(), "pk": r.pk, "capability_label": capability_label(r.capability)}
            for r in requirements_for(user, mission)
        ],
        "offers": [
            {**_engine_offer(o).as_dict(), "pk": o.pk, "common_cost": o.common_cost,
             "capability_label": capability_label(o.capability),
             "cost": cost_bearer(common_cost=o.common_cost, on=on).as_dict()}
            for o in offers
        ],
        "participations": [participation_row(user, p, on, engine_mission) for p in participations],
        "committee_of_contributors": workflow.committee_of_contributors(
            [as_engine_participation(p) for p in participations], on
        ),
        "force_generation": fg.as_dict() if fg else None,
        "offers_counted": len(offers),
        "secondment_calls": [
            {"pk": c.pk, "id": c.code, "published_on": c.published_on.isoformat(), "deadline": c.deadline.isoformat(),
             "posts": len(c.posts)}
            for c in secondment_calls_for(user, mission)
        ],
        "secondments": secondment_totals_for(user, mission),
    }


def capability_label(code: str) -> str:
    capability = load_catalogues().capability(code)
    return capability.label if capability else code


def _actor(user) -> workflow.Actor | None:
    party = policy.party_of(user)
    return workflow.Actor(party.code, frozenset(policy.roles_of(user))) if party else None


# --- changes -----------------------------------------------------------------


def _strip_prefix(exc: InputError, prefix: str) -> InputError:
    return InputError(
        [Problem(p.message, field=(p.field or "").removeprefix(prefix) or None, line=p.line, item=p.item)
         for p in exc.problems]
    )


def _shared(record, codes) -> None:
    parties = list(Party.objects.filter(code__in=sorted(set(codes))))
    if parties:
        record.shared_with.add(*parties)


def add_requirement(user, mission: Mission, data: Mapping[str, Any], on: dt.date) -> Requirement:
    """A line of the statement of requirements (EEAS), shared with EU member states and called states."""
    policy.require(user, "missions.write_requirements", mission)
    payload = dict(data)
    try:
        inp = parse_forcegen({"date": on, "requirements": [payload], "offers": []}, registry=registry())
    except InputError as exc:
        raise _strip_prefix(exc, "requirements[0].") from None
    (req,) = inp.requirements
    if Requirement.objects.filter(mission=mission, code=req.id).exists():
        raise InputError(f"{mission.acronym} already has a requirement {req.id!r}", field="id", item=req.id)
    reg = registry()
    with transaction.atomic(), audit.acting_as(user):
        record = Requirement.objects.create(
            owner=policy.party_of(user), created_by=user, mission=mission, code=req.id,
            capability=req.capability, job_description=req.job_description or "", quantity=req.quantity,
            needed_from=req.needed_from, duration_days=req.duration_days, tasks=sorted(req.tasks),
            area=req.area or "",
        )
        called = mission.participations.exclude(status__in=("start", "invited", "rejected")).values_list(
            "state__code", flat=True
        )
        _shared(record, [*reg.members("EU", on=on), *called, COUNCIL])
    return record


def _state_may_offer(user, mission: Mission, on: dt.date) -> tuple[bool, Participation | None]:
    party = policy.party_of(user)
    if party is None or party.kind != "state":
        return False, None
    if registry().is_member(party.code, "EU", on=on):
        return True, None
    participation = Participation.objects.filter(mission=mission, state=party).first()
    return bool(participation and participation.status in ("called", "offered")), participation


def add_offer(user, mission: Mission, data: Mapping[str, Any], on: dt.date) -> Offer:
    """A state's offer. A member state offers by right; a third state once called,
    and its first offer is the workflow's 'offer' step (approver)."""
    may, participation = _state_may_offer(user, mission, on)
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
        raise _strip_prefix(exc, "offers[0].") from None
    (offer,) = inp.offers
    if Offer.objects.filter(mission=mission, code=offer.id).exists():
        raise InputError(f"{mission.acronym} already has an offer {offer.id!r}", field="id", item=offer.id)
    with transaction.atomic(), audit.acting_as(user):
        if participation is not None and participation.status == "called":
            take_step(user, participation, "offer", on)
        record = Offer.objects.create(
            owner=party, created_by=user, mission=mission, code=offer.id, capability=offer.capability,
            job_description=offer.job_description or "", quantity=offer.quantity,
            available_from=offer.available_from, available_until=offer.available_until,
            max_duration_days=offer.max_duration_days, excluded_tasks=sorted(offer.excluded_tasks),
            excluded_areas=sorted(offer.excluded_areas), common_cost=common_cost,
        )
        _shared(record, [EEAS, COUNCIL])
    return record


def invite(user, mission: Mission, state_code: Any, on: dt.date) -> Participation:
    """The Council (PSC) invites a named third state: the first workflow step."""
    if not isinstance(state_code, str) or not Party.objects.filter(code=state_code).exists():
        raise InputError(f"unknown party {state_code!r}", field="state")
    existing = Participation.objects.filter(mission=mission, state__code=state_code).first()
    if existing is not None:
        raise InputError(
            f"{state_code} already has a participation in {mission.acronym} (status {existing.status})", field="state"
        )
    engine_mission = as_engine_mission(mission)
    draft = workflow.Participation(mission=mission.acronym, state=state_code)
    _require_step(user, draft, "invite", on, engine_mission)
    try:
        done, decision = workflow.apply(draft, "invite", _actor(user), registry=registry(), on=on,
                                        mission=engine_mission)
    except workflow.TransitionRefused as exc:
        raise StepRefused(exc.decision) from None
    with transaction.atomic(), audit.acting_as(user):
        record = Participation.objects.create(
            owner=policy.party_of(user), created_by=user, mission=mission,
            state=Party.objects.get(code=state_code), status=done.status,
            history=[s.as_dict() for s in done.history],
        )
        _shared(record, [EEAS, state_code])
        audit.record_event(record, "missions.invite", {"on": on.isoformat(), "decision": decision.as_dict()})
    return record


def _require_step(user, record, action: str, on: dt.date, engine_mission) -> None:
    """Ask the policy; when it refuses, say which who-rule failed (party or role)."""
    from accord.missions.policy import PERMISSION_RULES

    try:
        policy.require(user, "missions.participation_step", record, step=action, on=on, mission=engine_mission)
    except policy.Forbidden:
        actor = _actor(user)
        if actor is None:
            raise
        decision = workflow.check(as_engine_participation(record), action, actor, registry=registry(), on=on,
                                  mission=engine_mission)
        reasons = [r.explanation for r in decision.results if not r.passed and r.rule in PERMISSION_RULES]
        raise policy.Forbidden("; ".join(reasons) or f"you may not {action.replace('_', ' ')}") from None


def take_step(user, participation: Participation, action: str, on: dt.date) -> workflow.Decision:
    """One workflow step by this user, or Forbidden (403) / StepRefused (409)."""
    known = workflow.transitions(on)
    if action not in known or action == "invite":
        raise InputError(f"unknown step {action!r}; steps: {', '.join(a for a in known if a != 'invite')}",
                         field="action")
    engine_mission = as_engine_mission(participation.mission)
    _require_step(user, participation, action, on, engine_mission)
    current = as_engine_participation(participation)
    try:
        done, decision = workflow.apply(current, action, _actor(user), registry=registry(), on=on,
                                        mission=engine_mission)
    except workflow.TransitionRefused as exc:
        raise StepRefused(exc.decision) from None
    seated = set(workflow.committee_of_contributors([done], on)) == {done.state}
    with transaction.atomic(), audit.acting_as(user):
        participation.status = done.status
        participation.participation_agreement = done.participation_agreement
        participation.history = [s.as_dict() for s in done.history]
        if seated:
            # The PSC decision accepting a third state's contribution is published.
            participation.is_public = True
        participation.save()
        if action == "call_for_contributions":
            for requirement in participation.mission.requirements.all():
                requirement.shared_with.add(participation.state)
        audit.record_event(participation, f"missions.{action}", {"on": on.isoformat(), "decision": decision.as_dict()})
    return decision


def page_permissions(user, mission: Mission, on: dt.date) -> dict[str, bool]:
    """Which forms the mission page offers this user (the policy decides, not the view)."""
    draft = workflow.Participation(mission=mission.acronym, state="")
    may_offer, _ = _state_may_offer(user, mission, on)
    return {
        "may_invite": policy.can(user, "missions.participation_step", draft, step="invite", on=on),
        "may_offer": policy.can(user, "missions.make_offer", mission, state_may_offer=may_offer),
        "may_write_requirements": policy.can(user, "missions.write_requirements", mission),
        "may_publish_call": policy.can(user, "missions.write_secondment_call", mission),
    }


def run_forcegen(data: Any, *, on: dt.date | None = None) -> dict[str, Any]:
    """Force generation on a posted statement of requirements and offers (nothing stored)."""
    reg = registry()
    inp = parse_forcegen(data, registry=reg, on=on, known_missions=register_engine.load_register())
    return optimise(inp, registry=reg).as_dict()


# --- civilian seconded posts (EEAS Goalkeeper) ---------------------------------


def invited_third_states(mission: Mission) -> list[str]:
    """Third states invited to the mission and not rejected: they may nominate seconded staff."""
    return list(
        mission.participations.exclude(status__in=("start", "rejected")).values_list("state__code", flat=True)
    )


def as_engine_call(record: SecondmentCall) -> secondment.Call:
    return secondment.Call(
        id=record.code, mission=record.mission.acronym, published_on=record.published_on, deadline=record.deadline,
        posts=tuple(secondment.Post(p["id"], p["job_description"], p.get("location")) for p in record.posts),
    )


def _engine_application(record: SecondmentApplication) -> secondment.Application:
    return secondment.Application(
        id=record.code, call=record.call.code, post=record.post, candidate=record.candidate,
        nominated_by=record.owner.code, submitted_on=record.submitted_on,
    )


def secondment_calls_for(user, mission: Mission | None = None):
    qs = SecondmentCall.objects.select_related("mission", "owner")
    if mission is not None:
        qs = qs.filter(mission=mission)
    return policy.visible(user, qs)


def secondment_call_for(user, pk: int) -> SecondmentCall:
    return policy.get_visible(user, SecondmentCall.objects.select_related("mission"), pk=pk)


def secondment_applications_for(user, call_record: SecondmentCall):
    """The applications to a call this user may see: a state its own, the EEAS all."""
    return policy.visible(user, call_record.applications.select_related("owner"))


def secondment_call_page(user, call_record: SecondmentCall) -> dict[str, Any]:
    """What the call page shows this user: posts with their selection state, visible applications,
    and which forms the policy offers."""
    catalogues = load_catalogues()
    applications = list(secondment_applications_for(user, call_record))
    posts = []
    for post in call_record.posts:
        jd = catalogues.job_description(post["job_description"])
        mine = [a for a in applications if a.post == post["id"]]
        posts.append({
            "id": post["id"], "job_description": post["job_description"],
            "job_title": jd.title if jd else post["job_description"], "category": jd.category if jd else "",
            "location": post.get("location") or "",
            "applications": len(mine),
            "selected": [{"id": a.code, "candidate": a.candidate, "contributor": a.owner.code}
                         for a in mine if a.selected],
        })
    return {
        "call": {"pk": call_record.pk, "id": call_record.code, "mission": call_record.mission.acronym,
                 "mission_slug": call_record.mission.slug, "published_on": call_record.published_on,
                 "deadline": call_record.deadline, "posts": len(call_record.posts)},
        "posts": posts,
        "applications": [
            {"pk": a.pk, "id": a.code, "post": a.post, "candidate": a.candidate, "nominated_by": a.owner.code,
             "nominated_by_name": a.owner.name, "submitted_on": a.submitted_on, "selected": a.selected}
            for a in applications
        ],
        "may_apply": policy.can(user, "missions.apply_secondment", call_record),
        "may_select": policy.can(user, "missions.select_secondment", call_record),
    }


def _too_long(model, column: str, value: Any, field: str) -> list[Problem]:
    """A problem when a text is longer than its column holds (never a database error)."""
    limit = model._meta.get_field(column).max_length
    if isinstance(value, str) and limit and len(value.strip()) > limit:
        return [Problem(f"is longer than {limit} characters", field=field)]
    return []


def _parse_with_lengths(parse, data: Any, lengths: list[Problem]):
    """Parse with the engine, reporting its problems and the length problems together."""
    try:
        parsed = parse(data)
    except InputError as exc:
        raise InputError([*exc.problems, *lengths]) from None
    if lengths:
        raise InputError(lengths)
    return parsed


def publish_secondment_call(user, mission: Mission, data: Any, on: dt.date) -> SecondmentCall:
    """The EEAS publishes a call for seconded posts, to member states and invited third states."""
    policy.require(user, "missions.write_secondment_call", mission)
    lengths = []
    if isinstance(data, Mapping):
        lengths += _too_long(SecondmentCall, "code", data.get("id"), "id")
        posts = data.get("posts") if isinstance(data.get("posts"), list) else []
        for i, post in enumerate(posts):
            if isinstance(post, Mapping):  # an application names its post in a column of this size
                lengths += _too_long(SecondmentApplication, "post", post.get("id"), f"posts[{i}].id")
    call = _parse_with_lengths(lambda d: secondment.parse_call(d, mission.acronym), data, lengths)
    if SecondmentCall.objects.filter(code=call.id).exists():
        raise InputError(f"a call {call.id!r} already exists", field="id", item=call.id)
    with transaction.atomic(), audit.acting_as(user):
        record = SecondmentCall.objects.create(
            owner=policy.party_of(user), created_by=user, mission=mission, code=call.id,
            published_on=call.published_on, deadline=call.deadline, posts=[p.as_dict() for p in call.posts],
        )
        _shared(record, [*registry().members("EU", on=on), *invited_third_states(mission)])
    return record


def apply_for_secondment(user, call_record: SecondmentCall, data: Any) -> SecondmentApplication:
    """A state nominates a candidate; admissibility (deadline, invited state) is the engine's."""
    policy.require(user, "missions.apply_secondment", call_record)
    party = policy.party_of(user)
    call = as_engine_call(call_record)
    lengths = []
    if isinstance(data, Mapping):
        for key, column in (("id", "code"), ("post", "post"), ("candidate", "candidate")):
            lengths += _too_long(SecondmentApplication, column, data.get(key), key)
    application = _parse_with_lengths(lambda d: secondment.parse_application(d, call, party.code), data, lengths)
    reasons = secondment.application_problems(
        application, call, registry=registry(), invited_third_states=invited_third_states(call_record.mission)
    )
    if reasons:
        raise InputError([Problem(r, field="submitted_on" if "deadline" in r or "published" in r else "nominated_by")
                          for r in reasons])
    if call_record.applications.filter(code=application.id).exists():
        raise InputError(f"an application {application.id!r} already exists", field="id")
    with transaction.atomic(), audit.acting_as(user):
        record = SecondmentApplication.objects.create(
            owner=party, created_by=user, call=call_record, code=application.id, post=application.post,
            candidate=application.candidate, submitted_on=application.submitted_on,
        )
        _shared(record, [EEAS])
    return record


def select_secondees(user, call_record: SecondmentCall, choices: Any, on: dt.date) -> list[dict]:
    """The EEAS selects one application per post; recorded and audited."""
    policy.require(user, "missions.select_secondment", call_record)
    if not isinstance(choices, dict) or not all(isinstance(v, str) for v in choices.values()):
        raise InputError("must map post ids to application ids", field="choices")
    call = as_engine_call(call_record)
    records = {a.code: a for a in policy.visible(user, call_record.applications.select_related("owner", "call"))}
    # Earlier selections stand: a post keeps its secondee, a candidate takes one post.
    problems = []
    held_posts = {a.post: a.code for a in records.values() if a.selected}
    held_candidates = {a.candidate: a.post for a in records.values() if a.selected}
    for post_id, app_id in sorted(choices.items()):
        app = records.get(app_id)
        if post_id in held_posts and held_posts[post_id] != app_id:
            problems.append(Problem(f"post {post_id} already has application {held_posts[post_id]} selected",
                                    field=f"choices.{post_id}", item=post_id))
        elif app is not None and held_candidates.get(app.candidate, post_id) != post_id:
            problems.append(Problem(
                f"candidate {app.candidate} is already selected for post {held_candidates[app.candidate]}",
                field=f"choices.{post_id}", item=post_id))
    try:
        chosen = secondment.select(
            call, [_engine_application(a) for a in records.values()], choices, registry=registry(),
            invited_third_states=invited_third_states(call_record.mission),
        )
    except InputError as exc:
        raise InputError([*problems, *exc.problems]) from None
    if problems:
        raise InputError(problems)
    with transaction.atomic(), audit.acting_as(user):
        for selection in chosen:
            record = records[selection.application]
            if record.selected:
                continue  # chosen again: already recorded and audited
            record.selected = True
            record.save()
            audit.record_event(record, "missions.select_secondee", {"on": on.isoformat(), **selection.as_dict()})
    return [s.as_dict() for s in chosen]


def secondment_totals_for(user, mission: Mission | None = None) -> dict[str, Any]:
    """Registrar statistics over the selected applications this user may see."""
    qs = SecondmentApplication.objects.filter(selected=True).select_related("owner", "call__mission")
    if mission is not None:
        qs = qs.filter(call__mission=mission)
    selections = [
        secondment.Selection(a.call.code, a.call.mission.acronym, a.post, a.code, a.candidate, a.owner.code)
        for a in policy.visible(user, qs)
    ]
    return secondment.secondment_totals(selections)
