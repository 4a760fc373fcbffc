"""API /api/v1/missions/: 401 without a token, 404 for what you may not see,
403 for the wrong party or role, 409 for a step the workflow refuses, 422 for
bad input, and each participation step audited."""

import json

import pytest

from accord.platform.models import AuditEntry

pytestmark = pytest.mark.django_db

BASE = "/api/v1/missions"
DAY = "2026-01-15"


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_without_a_token_the_register_answers_401(missions_data, api_client):
    assert api_client().get(f"{BASE}/").status_code == 401


def test_every_signed_in_party_reads_the_register_with_the_headline_beside_computed_totals(
    missions_data, make_user, api_client
):
    response = api_client(make_user("PL", "viewer")).get(f"{BASE}/?on=2024-10-14")
    assert response.status_code == 200
    data = response.json()
    assert data["computed_totals"]["missions"] == 21
    assert data["published_headline"]["figures"]["missions"] == 24


def test_the_register_filters_by_type_and_theatre_region(missions_data, make_user, api_client):
    data = api_client(make_user("PL", "viewer")).get(f"{BASE}/?on=2025-01-01&type=civilian-military").json()
    assert [m["acronym"] for m in data["missions"]] == ["EU SDI GULF OF GUINEA"]


def test_an_unknown_type_or_a_bad_date_answers_422_naming_the_field(missions_data, make_user, api_client):
    client = api_client(make_user("PL", "viewer"))
    assert client.get(f"{BASE}/?type=naval").json()["errors"][0]["field"] == "type"
    response = client.get(f"{BASE}/?on=yesterday")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "on"


def test_an_unknown_mission_answers_404(missions_data, make_user, api_client):
    assert api_client(make_user("PL", "viewer")).get(f"{BASE}/eufor-narnia").status_code == 404


def test_the_mission_detail_shows_the_legal_basis(missions_data, make_user, api_client):
    data = api_client(make_user("GB", "viewer")).get(f"{BASE}/eufor-althea?on={DAY}").json()
    assert "2004/570/CFSP" in data["mission"]["legal_basis"]["title"]
    assert data["force_generation"] is None  # no statement of requirements yet


def test_posted_force_generation_returns_allocation_and_gaps_and_stores_nothing(missions_data, make_user, api_client):
    body = {
        "date": "2027-01-01",
        "invited": ["NO"],  # a third state is allocated only once invited
        "requirements": [
            {"id": "R1", "capability": "eod_team", "quantity": 2, "needed_from": "2027-03-01", "duration_days": 90}
        ],
        "offers": [
            {"id": "O1", "party": "NO", "capability": "eod_team", "quantity": 1, "available_from": "2027-01-01"}
        ],
    }
    response = post(api_client(make_user("NO", "viewer")), f"{BASE}/forcegen", body)
    assert response.status_code == 200
    assert response.json()["totals"] == {"required": 2, "filled": 1, "missing": 1}


def test_posted_force_generation_with_bad_input_answers_422_with_every_problem(missions_data, make_user, api_client):
    body = {
        "date": "2027-01-01",
        "requirements": [
            {"id": "R1", "capability": "unicorn", "quantity": -1, "needed_from": "2027-03-01", "duration_days": 90}
        ],
        "offers": [
            {"id": "O1", "party": "ZZ", "capability": "eod_team", "quantity": 1, "available_from": "2027-01-01"}
        ],
    }
    response = post(api_client(make_user("NO", "viewer")), f"{BASE}/forcegen", body)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"requirements[0].capability", "requirements[0].quantity", "offers[0].party"} <= fields


def invite(client, state="GB", mission="eufor-althea"):
    return post(client, f"{BASE}/{mission}/participations", {"state": state})


def step(client, pk, action):
    body = {"action": action}
    if action == "record_participation_agreement":
        body["agreement"] = {"title": "Agreement between the EU and the UK on the participation of the UK in Althea"}
    return post(client, f"{BASE}/participations/{pk}/steps", body)


def test_only_a_council_approver_may_invite_a_third_state(missions_data, make_user, api_client):
    assert invite(api_client(make_user("FR", "approver"))).status_code == 403
    assert invite(api_client(make_user("COUNCIL", "editor"))).status_code == 403
    response = invite(api_client(make_user("COUNCIL", "approver")))
    assert response.status_code == 201
    assert response.json()["status"] == "invited"
    assert response.json()["needs_mission_agreement"] is True


def test_inviting_a_member_state_answers_409_with_the_reason(missions_data, make_user, api_client):
    response = invite(api_client(make_user("COUNCIL", "approver")), state="FR")
    assert response.status_code == 409
    assert "EU member state" in response.json()["detail"]


def test_inviting_an_unknown_party_answers_422(missions_data, make_user, api_client):
    response = invite(api_client(make_user("COUNCIL", "approver")), state="ZZ")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "state"


def test_the_uk_runs_the_workflow_and_acceptance_waits_for_a_participation_agreement(
    missions_data, make_user, api_client
):
    council = api_client(make_user("COUNCIL", "approver"))
    eeas = api_client(make_user("EEAS", "editor", "approver"))
    uk = api_client(make_user("GB", "editor", "approver"))
    france = api_client(make_user("FR", "approver"))
    pk = invite(council).json()["id"]

    # A participation is not visible to a state it is not about.
    assert france.get(f"{BASE}/participations/{pk}").status_code == 404
    assert step(france, pk, "call_for_contributions").status_code == 404

    # The EEAS drafts the statement of requirements and calls for contributions.
    requirement = {
        "id": "R1",
        "capability": "staff_officer",
        "quantity": 3,
        "needed_from": "2026-03-01",
        "duration_days": 180,
    }
    assert post(uk, f"{BASE}/eufor-althea/requirements", requirement).status_code == 403
    assert post(eeas, f"{BASE}/eufor-althea/requirements", requirement).status_code == 201
    assert step(uk, pk, "call_for_contributions").status_code == 403
    assert step(eeas, pk, "call_for_contributions").status_code == 200

    # The UK offers staff officers: its first offer is the workflow's offer step.
    offer = {"id": "GB-1", "capability": "staff_officer", "quantity": 2, "available_from": "2026-02-01"}
    assert post(uk, f"{BASE}/eufor-althea/offers", offer).status_code == 201
    assert uk.get(f"{BASE}/participations/{pk}?on={DAY}").json()["status"] == "offered"

    assert step(eeas, pk, "recommend").status_code == 200
    refused = step(council, pk, "accept")
    assert refused.status_code == 409
    assert "has no Framework Participation Agreement" in refused.json()["detail"]
    assert step(council, pk, "record_participation_agreement").status_code == 200
    accepted = step(council, pk, "accept")
    assert accepted.status_code == 200
    assert accepted.json()["participation"]["status"] == "accepted"

    # The accepted UK sits in the Committee of Contributors, which every party may read.
    page = france.get(f"{BASE}/eufor-althea?on={DAY}").json()
    assert page["committee_of_contributors"] == ["GB"]

    # Every step is an audit event naming the actor's party.
    events = list(AuditEntry.objects.filter(action__startswith="missions.").values_list("action", "actor_party"))
    assert events == [
        ("missions.invite", "COUNCIL"),
        ("missions.call_for_contributions", "EEAS"),
        ("missions.offer", "GB"),
        ("missions.recommend", "EEAS"),
        ("missions.record_participation_agreement", "COUNCIL"),
        ("missions.accept", "COUNCIL"),
    ]


def test_the_eeas_sees_gaps_computed_from_the_offers_shared_with_it(missions_data, make_user, api_client):
    eeas = api_client(make_user("EEAS", "editor"))
    france = api_client(make_user("FR", "editor"))
    post(
        eeas,
        f"{BASE}/eunavfor-aspides/requirements",
        {
            "id": "R1",
            "capability": "surface_combatant",
            "quantity": 2,
            "needed_from": "2026-03-01",
            "duration_days": 120,
        },
    )
    response = post(
        france,
        f"{BASE}/eunavfor-aspides/offers",
        {
            "id": "FR-1",
            "capability": "surface_combatant",
            "quantity": 1,
            "available_from": "2026-02-01",
            "common_cost": True,
        },
    )
    assert response.status_code == 201
    fg = eeas.get(f"{BASE}/eunavfor-aspides/forcegen?on={DAY}").json()
    assert fg["totals"] == {"required": 2, "filled": 1, "missing": 1}
    page = france.get(f"{BASE}/eunavfor-aspides?on={DAY}").json()
    assert page["offers"][0]["cost"]["mechanism"] == "European Peace Facility"


def test_a_third_state_that_was_not_called_cannot_offer(missions_data, make_user, api_client):
    response = post(
        api_client(make_user("NO", "approver")),
        f"{BASE}/eufor-althea/offers",
        {"id": "NO-1", "capability": "eod_team", "quantity": 1, "available_from": "2026-02-01"},
    )
    assert response.status_code == 403


def test_an_offer_with_a_negative_quantity_answers_422_and_stores_nothing(missions_data, make_user, api_client):
    from accord.missions.models import Offer

    response = post(
        api_client(make_user("DE", "editor")),
        f"{BASE}/eufor-althea/offers",
        {"id": "DE-1", "capability": "eod_team", "quantity": -3, "available_from": "2026-02-01"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "quantity"
    assert not Offer.objects.exists()


def test_an_unknown_step_answers_422_naming_the_action(missions_data, make_user, api_client):
    council = api_client(make_user("COUNCIL", "approver"))
    pk = invite(council, state="NO").json()["id"]
    response = step(council, pk, "deploy")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "action"
