"""REST API of the missions capability (mounted at /api/v1/missions/).

Every route needs a bearer token. The register is public reference data;
requirements, offers and participations are visible as the platform policy
decides (a record you may not see answers 404). A workflow step by the wrong
party or role answers 403; a step the workflow refuses (wrong state, no FPA
and no participation agreement) answers 409 with the engine's decision; bad
input answers 422 with every problem. ``on`` (YYYY-MM-DD) is the date of a
read (default today); every write is dated by the server and refuses a client "on".
"""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone
from ninja import Router, Status

from accord.errors import InputError
from accord.missions import services
from accord.missions.engine.workflow import FPA_FRAMEWORK, transitions

router = Router(tags=["Missions"])


def _on(value: Any):
    # The entry point decides what today is; the rules only receive the date.
    if value is not None and not isinstance(value, str):
        raise InputError("must be a date (YYYY-MM-DD)", field="on")
    return services.parse_on(value, timezone.localdate())


def _body(request) -> Any:
    if not request.body:
        return {}
    try:
        return json.loads(request.body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"the body is not valid JSON ({exc})", field="(body)") from None


def _mapping(request) -> dict:
    data = _body(request)
    if not isinstance(data, dict):
        raise InputError("the body must be a JSON object", field="(body)")
    return data


def _act_body(request) -> dict:
    """The body of a write. Acts are dated by the server: a client-sent date is refused, not used."""
    data = _mapping(request)
    if "on" in data:
        raise InputError('The date of an act is the day the service receives it: leave out "on"', field="on")
    return data


def _refused(exc: services.StepRefused):
    return Status(409, {"detail": "; ".join(exc.decision.reasons), "decision": exc.decision.as_dict()})


@router.get("/", summary="CSDP missions and operations on a date, with the EEAS headline beside computed totals")
def list_missions(
    request, on: str | None = None, type: str | None = None, region: str | None = None, all: bool = False
):
    return services.missions_for(request.auth, on=_on(on), type=type, region=region, include_closed=all)


@router.get("/fpa", summary="Third states with a Framework Participation Agreement, and since when")
def fpa(request, on: str | None = None):
    day = _on(on)
    reg = services.registry()
    return {
        "date": day.isoformat(),
        "framework": FPA_FRAMEWORK,
        "agreements": [
            {
                "party": m.party,
                "name": reg.party(m.party).name,
                "since": m.start,
                "until": m.end,
                "in_force": m.covers(day),
                "note": m.note,
                "source": m.source.as_dict(),
            }
            for m in reg.memberships_in(FPA_FRAMEWORK)
        ],
    }


@router.get("/steps", summary="The participation workflow: steps, and which party and role may take each")
def steps(request, on: str | None = None):
    day = _on(on)
    return {"date": day.isoformat(), "transitions": [t.as_dict() for t in transitions(day).values()]}


@router.post("/forcegen", summary="Force generation on a posted statement of requirements and offers (nothing stored)")
def forcegen(request, on: str | None = None):
    return services.run_forcegen(_body(request), on=_on(on) if on else None)


@router.get("/participations", summary="Third-state participations you may see")
def list_participations(request, on: str | None = None):
    day = _on(on)
    return [services.participation_row(request.auth, p, day) for p in services.participations_for(request.auth)]


@router.get("/participations/{pk}", summary="One participation with its history and the steps you may take")
def get_participation(request, pk: int, on: str | None = None):
    participation = services.participation_for(request.auth, pk)
    return services.participation_row(request.auth, participation, _on(on))


@router.post(
    "/participations/{pk}/steps",
    response={200: dict, 409: dict},
    summary="Take a workflow step: {action, reason, agreement}; a rejection needs a reason, a participation "
    "agreement its {title, signed_on, href}; dated by the server",
)
def take_step(request, pk: int):
    participation = services.participation_for(request.auth, pk)
    data = _act_body(request)
    action = data.get("action")
    if not isinstance(action, str) or not action:
        raise InputError("Choose the step to take", field="action")
    day = services.server_today()
    try:
        decision = services.take_step(
            request.auth, participation, action, day, reason=data.get("reason"), agreement=data.get("agreement")
        )
    except services.StepRefused as exc:
        return _refused(exc)
    participation.refresh_from_db()
    return Status(
        200,
        {"decision": decision.as_dict(), "participation": services.participation_row(request.auth, participation, day)},
    )


@router.get("/secondment-calls", summary="Calls for civilian seconded posts you may see (Goalkeeper, Headhunter)")
def list_secondment_calls(request):
    return [
        {
            "pk": c.pk,
            "id": c.code,
            "mission": c.mission.acronym,
            "published_on": c.published_on,
            "deadline": c.deadline,
            "posts": c.posts,
        }
        for c in services.secondment_calls_for(request.auth)
    ]


@router.post(
    "/secondment-calls/{pk}/applications",
    response={201: dict},
    summary="Nominate a candidate for a seconded post: {id, post, candidate}; dated by the server",
)
def apply_for_secondment(request, pk: int):
    call = services.secondment_call_for(request.auth, pk)
    record = services.apply_for_secondment(request.auth, call, _act_body(request))
    return Status(
        201,
        {"pk": record.pk, "id": record.code, "call": call.code, "post": record.post, "nominated_by": record.owner.code},
    )


@router.post(
    "/secondment-calls/{pk}/selection",
    summary="Select one application per post (EEAS), after the call's deadline: {choices}",
)
def select_secondees(request, pk: int):
    call = services.secondment_call_for(request.auth, pk)
    data = _act_body(request)
    return {"call": call.code, "selected": services.select_secondees(request.auth, call, data.get("choices"))}


@router.get("/secondment-totals", summary="Seconded personnel per contributor and mission (Goalkeeper, Registrar)")
def secondment_totals(request):
    return services.secondment_totals_for(request.auth)


@router.get("/{slug}", summary="One mission: requirements, contributions, Committee of Contributors, gaps")
def get_mission(request, slug: str, on: str | None = None):
    mission = services.mission_for(request.auth, slug)
    return services.mission_page(request.auth, mission, _on(on))


@router.get(
    "/{slug}/forcegen", summary="Force generation over the mission's stored requirements and the offers you may see"
)
def mission_forcegen(request, slug: str, on: str | None = None):
    mission = services.mission_for(request.auth, slug)
    result = services.force_generation_for(request.auth, mission, _on(on))
    return (
        result.as_dict() if result else {"mission": mission.acronym, "requirements": [], "allocations": [], "gaps": []}
    )


@router.post("/{slug}/requirements", response={201: dict}, summary="Add a line to the statement of requirements (EEAS)")
def add_requirement(request, slug: str):
    mission = services.mission_for(request.auth, slug)
    data = _act_body(request)
    record = services.add_requirement(request.auth, mission, data)
    return Status(201, {"pk": record.pk, "id": record.code, "mission": mission.acronym})


@router.post("/{slug}/offers", response={201: dict, 409: dict}, summary="Offer a contribution with caveats (a state)")
def add_offer(request, slug: str):
    mission = services.mission_for(request.auth, slug)
    data = _act_body(request)
    try:
        record = services.add_offer(request.auth, mission, data)
    except services.StepRefused as exc:
        return _refused(exc)
    return Status(201, {"pk": record.pk, "id": record.code, "mission": mission.acronym, "party": record.owner.code})


@router.post(
    "/{slug}/participations",
    response={201: dict, 409: dict},
    summary="Invite a third state (Council/PSC): {state}; dated by the server",
)
def invite(request, slug: str):
    mission = services.mission_for(request.auth, slug)
    data = _act_body(request)
    try:
        record = services.invite(request.auth, mission, data.get("state"))
    except services.StepRefused as exc:
        return _refused(exc)
    return Status(201, services.participation_row(request.auth, record, services.server_today()))


@router.post(
    "/{slug}/secondment-calls",
    response={201: dict},
    summary="Publish a call for seconded posts (EEAS): {id, published_on, deadline, posts}",
)
def publish_secondment_call(request, slug: str):
    mission = services.mission_for(request.auth, slug)
    data = _act_body(request)
    record = services.publish_secondment_call(request.auth, mission, data)
    return Status(201, {"pk": record.pk, "id": record.code, "mission": mission.acronym})


@router.get("/{slug}/rounds", summary="Force generation rounds: the statement called, offers, the shortfall list")
def list_rounds(request, slug: str):
    mission = services.mission_for(request.auth, slug)
    return [services.round_row(request.auth, r) for r in services.rounds_for(request.auth, mission)]


@router.post(
    "/{slug}/rounds",
    response={201: dict},
    summary="Open the next force generation round (EEAS): {closes_on}; dated by the server",
)
def open_round(request, slug: str):
    mission = services.mission_for(request.auth, slug)
    record = services.open_round(request.auth, mission, _act_body(request))
    return Status(201, services.round_row(request.auth, record))


@router.post(
    "/{slug}/rounds/{number}/close",
    response={200: dict},
    summary="Close a force generation round after its last day for offers (EEAS): its shortfall list",
)
def close_round(request, slug: str, number: int):
    mission = services.mission_for(request.auth, slug)
    return Status(200, services.round_row(request.auth, services.close_round(request.auth, mission, number)))


@router.post(
    "/{slug}/committee",
    response={201: dict},
    summary="Record the PSC decision setting up the Committee of Contributors (Council): {psc_decision, members}",
)
def set_committee(request, slug: str):
    mission = services.mission_for(request.auth, slug)
    record = services.set_committee(request.auth, mission, _act_body(request))
    return Status(
        201,
        {
            "pk": record.pk,
            "mission": mission.acronym,
            "psc_decision": record.psc_decision,
            "decided_on": record.decided_on,
            "members": record.members,
        },
    )
