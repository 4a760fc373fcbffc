"""Every refusal the missions workflow, force generation, costs and seconded posts
can give is written for people (issue 15, "Pages people read"): no ISO date, no
party code, no internal step or state name, no Python quoting. Each refusal is
triggered for real and its text checked; the checker itself is tested to fail on
the old wording ("only COUNCIL may 'invite'")."""

import datetime as dt
import json
import re

import pytest

from accord.missions.engine.costs import cost_bearer
from accord.missions.engine.forcegen import optimise
from accord.missions.engine.forcegen_input import parse_forcegen
from accord.missions.engine.register import load_register
from accord.missions.engine.secondment import Application, Call, Post, application_problems
from accord.missions.engine.workflow import Actor, Participation, apply, check, transitions
from accord.parties import Membership, PartyRegistry, Source, load_registry

DAY = dt.date(2026, 1, 15)
REGISTRY = load_registry()
ALTHEA = load_register().get("EUFOR ALTHEA")
COUNCIL = Actor.of("COUNCIL", "approver")
EEAS = Actor.of("EEAS", "approver")
UK = Actor.of("GB", "approver")
NORWAY = Actor.of("NO", "approver")

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
CODES = re.compile(r"\b(?:GB|NO|FR|DE|IE|AT|PL|CA|US|COUNCIL|EEAS|COM)\b")
STEP_NAMES = sorted(transitions(DAY))
STATE_NAMES = ("start", "invited", "called", "offered", "recommended", "accepted", "rejected", "associated")


def developer_text(message: str) -> list[str]:
    """What in ``message`` a person should not have to read."""
    found = ISO_DATE.findall(message) + SNAKE.findall(message) + CODES.findall(message)
    found += re.findall(r"'[a-z_]+'", message)  # Python-quoted names
    found += [w for w in ("None", "null", "True", "False") if re.search(rf"\b{w}\b", message)]
    return found


def test_the_checker_finds_the_old_wording():
    assert developer_text("only COUNCIL may 'invite'; EEAS may not")
    assert developer_text("'offer' cannot follow 'invited'; it needs one of: called")
    assert developer_text("GB has no FPA in force on 2026-01-15")
    assert developer_text("no offer of role2_medical")
    assert not developer_text("Only the Council of the European Union may take the step “Invite the state”")


def run(p, *steps):
    for action, actor in steps:
        p, _ = apply(p, action, actor, registry=REGISTRY, on=DAY, mission=ALTHEA)
    return p


def refusals(p, action, actor, registry=REGISTRY, on=DAY, mission=ALTHEA):
    decision = check(p, action, actor, registry=registry, on=on, mission=mission)
    assert not decision.allowed, (action, decision.reasons)
    return [r.explanation for r in decision.results if not r.passed]


def uk_offered():
    p = Participation(mission="EUFOR ALTHEA", state="GB")
    return run(p, ("invite", COUNCIL), ("call_for_contributions", EEAS), ("offer", UK), ("recommend", EEAS))


def with_uk_fpa():
    fpa = Membership("GB", "CSDP_FPA", dt.date(2020, 1, 1), None, Source("test scenario"))
    return PartyRegistry(REGISTRY.parties(), REGISTRY.frameworks(), REGISTRY.memberships() + [fpa])


WORKFLOW_REFUSALS = {
    "an unknown step": lambda: refusals(Participation("EUFOR ALTHEA", "NO"), "sail_away", COUNCIL),
    "the wrong party": lambda: refusals(Participation("EUFOR ALTHEA", "NO"), "invite", EEAS),
    "the wrong role": lambda: refusals(Participation("EUFOR ALTHEA", "NO"), "invite", Actor.of("COUNCIL", "viewer")),
    "no role at all": lambda: refusals(Participation("EUFOR ALTHEA", "NO"), "invite", Actor.of("COUNCIL")),
    "the wrong state": lambda: refusals(Participation("EUFOR ALTHEA", "NO", status="invited"), "offer", NORWAY),
    "the invited state's step by another": lambda: refusals(
        run(Participation("EUFOR ALTHEA", "NO"), ("invite", COUNCIL), ("call_for_contributions", EEAS)), "offer", UK
    ),
    "a member state invited": lambda: refusals(Participation("EUFOR ALTHEA", "FR"), "invite", COUNCIL),
    "an unknown state invited": lambda: refusals(Participation("EUFOR ALTHEA", "ZZ"), "invite", COUNCIL),
    "a closed mission": lambda: refusals(
        Participation("EUTM MALI", "NO"), "invite", COUNCIL, mission=load_register().get("EUTM MALI")
    ),
    "acceptance without an FPA or agreement": lambda: refusals(uk_offered(), "accept", COUNCIL),
    "an agreement where an FPA is in force": lambda: refusals(
        uk_offered(), "record_participation_agreement", COUNCIL, registry=with_uk_fpa()
    ),
    "a second agreement": lambda: refusals(
        run(uk_offered(), ("record_participation_agreement", COUNCIL)), "record_participation_agreement", COUNCIL
    ),
}


@pytest.mark.parametrize("case", sorted(WORKFLOW_REFUSALS))
def test_every_workflow_refusal_is_in_words(case):
    messages = WORKFLOW_REFUSALS[case]()
    assert messages
    for message in messages:
        assert not developer_text(message), (case, message)


def statement(**offer):
    base = {"id": "O1", "party": "GB", "capability": "infantry_company", "quantity": 1, "available_from": "2027-03-01"}
    return {
        "date": "2027-01-01",
        "invited": ["GB"],
        "requirements": [
            {
                "id": "R1",
                "capability": "infantry_company",
                "quantity": 2,
                "needed_from": "2027-03-01",
                "duration_days": 180,
                "tasks": ["patrol"],
                "area": "Mostar",
            },
            {
                "id": "R2",
                "capability": "role2_medical",
                "quantity": 1,
                "needed_from": "2027-03-01",
                "duration_days": 180,
            },
            {
                "id": "R3",
                "capability": "civilian_post",
                "job_description": "ROL-ADV",
                "quantity": 1,
                "needed_from": "2027-03-01",
                "duration_days": 180,
            },
        ],
        "offers": [
            {**base, **offer},
            {
                "id": "O2",
                "party": "CA",
                "capability": "infantry_company",
                "quantity": 1,
                "available_from": "2027-03-01",
            },
            {
                "id": "O3",
                "party": "IE",
                "capability": "civilian_post",
                "job_description": "POL-ADV",
                "quantity": 1,
                "available_from": "2027-03-01",
            },
            {
                "id": "O4",
                "party": "AT",
                "capability": "infantry_company",
                "quantity": 1,
                "available_from": "2027-03-01",
                "reserve": True,
            },
        ],
    }


@pytest.mark.parametrize(
    "offer",
    [
        {"available_from": "2027-03-02"},
        {"available_until": "2027-05-01"},
        {"max_duration_days": 30},
        {"excluded_areas": ["Mostar"]},
        {"excluded_tasks": ["patrol"]},
        {"quantity": 0},
        {},
    ],
)
def test_every_force_generation_gap_reason_is_in_words(offer):
    result = optimise(parse_forcegen(statement(**offer), registry=REGISTRY), registry=REGISTRY)
    reasons = [reason for gap in result.gaps for reason in gap.reasons]
    assert reasons
    for reason in reasons:
        assert not developer_text(reason), reason


@pytest.mark.parametrize("on", [dt.date(2003, 6, 1), dt.date(2010, 1, 1), dt.date(2026, 1, 1)])
@pytest.mark.parametrize("common", [True, False])
def test_every_cost_explanation_is_in_words(on, common):
    assert not developer_text(cost_bearer(common_cost=common, on=on).explanation)


def test_every_seconded_post_refusal_is_in_words():
    call = Call(
        id="C1",
        mission="EUMM GEORGIA",
        published_on=dt.date(2027, 1, 1),
        deadline=dt.date(2027, 2, 10),
        posts=(Post("P1", "ROL-ADV"),),
    )
    late = Application(
        id="A1", call="C1", post="P1", candidate="X", nominated_by="NO", submitted_on=dt.date(2027, 2, 11)
    )
    early = Application(
        id="A2", call="C1", post="P1", candidate="Y", nominated_by="ZZ", submitted_on=dt.date(2026, 12, 1)
    )
    messages = application_problems(late, call, registry=REGISTRY) + application_problems(
        early, call, registry=REGISTRY
    )
    assert len(messages) >= 3
    for message in messages:
        assert not developer_text(message), message


# ------------------------------------------------------------- through the service


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_refusals_through_the_api_and_the_page_are_in_words(missions_data, make_user, api_client, client):
    base = "/api/v1/missions"
    council = api_client(make_user("COUNCIL", "approver"))
    eeas_viewer = api_client(make_user("EEAS", "viewer"))
    uk = api_client(make_user("GB", "approver"))
    eeas = api_client(make_user("EEAS", "approver"))
    texts = []
    invited = post(council, f"{base}/eufor-althea/participations", {"state": "GB"})
    pk = invited.json()["id"]
    for response in (
        post(eeas_viewer, f"{base}/eufor-althea/participations", {"state": "NO"}),  # 403: role
        post(uk, f"{base}/eufor-althea/participations", {"state": "NO"}),  # 403: party
        post(council, f"{base}/eufor-althea/participations", {"state": "FR"}),  # 409: member state
        post(eeas_viewer, f"{base}/participations/{pk}/steps", {"action": "call_for_contributions"}),  # 403
        post(council, f"{base}/participations/{pk}/steps", {"action": "accept"}),  # 409: wrong state
    ):
        assert response.status_code in (403, 409), response.content
        texts.append(response.json()["detail"])
    assert post(eeas, f"{base}/participations/{pk}/steps", {"action": "call_for_contributions"}).status_code == 200
    offer = {"id": "GB-1", "capability": "staff_officer", "quantity": 1, "available_from": "2026-06-01"}
    assert post(uk, f"{base}/eufor-althea/offers", offer).status_code == 201
    assert post(eeas, f"{base}/participations/{pk}/steps", {"action": "recommend"}).status_code == 200
    refused = post(council, f"{base}/participations/{pk}/steps", {"action": "accept"})  # 409: no FPA
    assert refused.status_code == 409
    texts.append(refused.json()["detail"])
    for text in texts:
        assert text and not developer_text(text), text
    client.force_login(make_user("EEAS", "viewer", username="eeas-viewer-page"))
    page = client.get("/missions/eufor-althea/")
    assert page.status_code == 200
    visible = re.sub(r"<[^>]+>", " ", page.content.decode())
    history = visible[visible.find("Third-state participation") :]
    assert "COUNCIL" not in history and "invite," not in history
