"""API: movement requests owned by the requesting state, permissions decided by transit states."""

import json

import pytest

from accord.mobility.models import MovementRequest, Permission
from accord.platform.models import AuditEntry

from .network_builder import future_departure

FUTURE = future_departure()
pytestmark = pytest.mark.django_db

BODY = {
    "origin": "bergen_hohne",
    "destination": "rukla",
    "depart": FUTURE,
    "vehicles": "Leopard 2A7:14",
    "title": "Leopards to Rukla",
}


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def submitted(make_user, api_client):
    """A German editor submits a movement crossing Poland into Lithuania."""
    de = make_user("DE", "editor")
    r = post(api_client(de), "/api/v1/mobility/movements", BODY)
    assert r.status_code == 201, r.content
    return r.json()


def test_every_mobility_route_needs_a_token(api_client):
    assert api_client().get("/api/v1/mobility/movements").status_code == 401
    assert post(api_client(), "/api/v1/mobility/movements", BODY).status_code == 401


def test_a_submitted_request_is_owned_by_the_requesting_state_with_one_pending_permission_per_transit_state(submitted):
    assert submitted["requesting_state"] == "DE" and submitted["status"] == "pending"
    assert [p["state"] for p in submitted["permissions"]] == ["PL", "LT"]
    assert all(p["decision"] == "pending" for p in submitted["permissions"])
    movement = MovementRequest.objects.get(pk=submitted["id"])
    assert movement.owner.code == "DE"
    assert sorted(movement.shared_with.values_list("code", flat=True)) == ["LT", "PL"]


def test_transit_states_see_the_request_and_a_state_not_crossed_gets_404(submitted, make_user, api_client):
    url = f"/api/v1/mobility/movements/{submitted['id']}"
    assert api_client(make_user("PL", "viewer")).get(url).status_code == 200
    assert api_client(make_user("LT", "viewer")).get(url).status_code == 200
    assert api_client(make_user("FR", "administrator")).get(url).status_code == 404
    assert api_client(make_user("FR", "viewer")).get("/api/v1/mobility/movements/999999").status_code == 404


def test_a_transit_state_approver_grants_its_permission_and_the_decision_is_audited(submitted, make_user, api_client):
    pl = make_user("PL", "approver")
    r = post(api_client(pl), f"/api/v1/mobility/movements/{submitted['id']}/permissions/PL", {"decision": "granted"})
    assert r.status_code == 200, r.content
    assert {p["state"]: p["decision"] for p in r.json()["permissions"]} == {"PL": "granted", "LT": "pending"}
    assert r.json()["status"] == "pending"
    assert AuditEntry.objects.filter(action="decision", actor=pl.username, actor_party="PL").exists()


def test_the_movement_is_cleared_only_when_every_transit_state_has_granted(submitted, make_user, api_client):
    url = f"/api/v1/mobility/movements/{submitted['id']}/permissions/"
    post(api_client(make_user("PL", "approver")), url + "PL", {"decision": "granted"})
    r = post(
        api_client(make_user("LT", "approver")),
        url + "LT",
        {"decision": "granted_with_conditions", "conditions": "Move by night between Kalvarija and Kaunas"},
    )
    assert r.status_code == 200 and r.json()["status"] == "cleared"
    assert AuditEntry.objects.filter(action="status", record_id=str(submitted["id"]), detail__to="cleared").exists()


def test_one_refusal_refuses_the_movement(submitted, make_user, api_client):
    r = post(
        api_client(make_user("LT", "approver")),
        f"/api/v1/mobility/movements/{submitted['id']}/permissions/LT",
        {"decision": "refused", "reason": "Bridge works on the A1 that week"},
    )
    assert r.json()["status"] == "refused"


def test_only_approvers_of_that_transit_state_may_decide_its_permission(submitted, make_user, api_client):
    url = f"/api/v1/mobility/movements/{submitted['id']}/permissions/PL"
    assert post(api_client(make_user("LT", "approver")), url, {"decision": "granted"}).status_code == 403
    assert post(api_client(make_user("PL", "viewer")), url, {"decision": "granted"}).status_code == 403
    assert post(api_client(make_user("DE", "administrator")), url, {"decision": "granted"}).status_code == 403
    assert post(api_client(make_user("FR", "approver")), url, {"decision": "granted"}).status_code == 404
    assert Permission.objects.get(movement_id=submitted["id"], state__code="PL").decision == "pending"


def test_a_state_not_on_the_route_has_no_permission_to_decide(submitted, make_user, api_client):
    r = post(
        api_client(make_user("LT", "approver")),
        f"/api/v1/mobility/movements/{submitted['id']}/permissions/CZ",
        {"decision": "granted"},
    )
    assert r.status_code == 404


def test_a_bad_decision_answers_422_and_changes_nothing(submitted, make_user, api_client):
    url = f"/api/v1/mobility/movements/{submitted['id']}/permissions/PL"
    pl = api_client(make_user("PL", "approver"))
    r = post(pl, url, {"decision": "maybe"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "decision"
    r = post(pl, url, {"decision": "granted_with_conditions", "conditions": ""})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "conditions"
    assert Permission.objects.get(movement_id=submitted["id"], state__code="PL").decision == "pending"


def test_a_bad_movement_answers_422_naming_every_field_and_stores_nothing(make_user, api_client):
    r = post(
        api_client(make_user("DE", "editor")),
        "/api/v1/mobility/movements",
        {"origin": "nowhere", "destination": "rukla", "depart": "2026-02-30", "vehicles": "Tiger:1", "mode": "air"},
    )
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"depart", "mode"} <= fields
    r = post(
        api_client(make_user("DE", "editor")),
        "/api/v1/mobility/movements",
        {"origin": "nowhere", "destination": "rukla", "depart": FUTURE, "vehicles": "Tiger:1"},
    )
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"from", "vehicles"}
    assert not MovementRequest.objects.exists()


def test_no_feasible_route_answers_422_naming_the_constraint(make_user, api_client):
    r = post(
        api_client(make_user("GB", "editor")),
        "/api/v1/mobility/movements",
        {"origin": "tidworth", "destination": "rena", "depart": FUTURE, "vehicles": "Challenger 3:1", "mode": "rail"},
    )
    assert r.status_code == 422 and "mode 'rail'" in r.json()["errors"][0]["message"]


def test_a_viewer_may_plan_but_not_submit(make_user, api_client):
    viewer = api_client(make_user("DE", "viewer"))
    assert post(viewer, "/api/v1/mobility/plan", BODY).status_code == 200
    assert post(viewer, "/api/v1/mobility/movements", BODY).status_code == 403
    assert not MovementRequest.objects.exists()


def test_the_inbox_lists_the_requests_addressed_to_the_callers_state(submitted, make_user, api_client):
    rows = api_client(make_user("LT", "approver")).get("/api/v1/mobility/inbox").json()
    assert [(r["movement"]["id"], r["permission"]["state"], r["permission"]["may_decide"]) for r in rows] == [
        (submitted["id"], "LT", True)
    ]
    assert api_client(make_user("FR", "approver")).get("/api/v1/mobility/inbox").json() == []


def test_the_submission_is_audited_with_the_transit_states(submitted):
    entry = AuditEntry.objects.get(action="submitted")
    assert entry.detail["transit_states"] == ["PL", "LT"] and entry.owner == "DE"
