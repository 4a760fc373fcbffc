"""Decisions with care (issues 12, 13 and 17): final once made, a refusal gives its reason, the requester is told,
submissions are dated by the server, and pre-authorisations are checked against those stored."""

import datetime as dt
import json

import pytest
from django.test import Client

from accord.errors import InputError
from accord.mobility import services
from accord.mobility.models import MovementRequest, PreAuthorisation
from accord.platform.models import AuditEntry
from tests.developer_text import INTERNAL_BRIEF

from .network_builder import future_departure

pytestmark = pytest.mark.django_db

FUTURE = future_departure()
BODY = {
    "origin": "bergen_hohne",
    "destination": "rukla",
    "depart": FUTURE,
    "vehicles": "Leopard 2A7:14",
    "title": "Leopards to Rukla",
}


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def movement(make_user):
    return services.create_movement(make_user("DE", "editor", username="de-officer"), dict(BODY))


def test_a_refusal_without_a_reason_is_not_recorded(movement, make_user, api_client):
    lt = api_client(make_user("LT", "approver"))
    r = post(lt, f"/api/v1/mobility/movements/{movement.pk}/permissions/LT", {"decision": "refused"})
    assert r.status_code == 422
    assert r.json()["errors"][0] == {
        "message": "Enter the reason for the refusal",
        "field": "reason",
        "line": None,
        "item": None,
    }
    assert movement.permissions.get(state__code="LT").decision == "pending"


def test_a_decision_has_no_default(movement, make_user, api_client):
    r = post(api_client(make_user("LT", "approver")), f"/api/v1/mobility/movements/{movement.pk}/permissions/LT", {})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "decision"


def test_a_refusal_cannot_be_flipped_back_to_granted(movement, make_user, api_client):
    lt = api_client(make_user("LT", "approver"))
    url = f"/api/v1/mobility/movements/{movement.pk}/permissions/LT"
    assert post(lt, url, {"decision": "refused", "reason": "Bridge works on the A1"}).status_code == 200
    r = post(lt, url, {"decision": "granted"})
    assert r.status_code == 422 and "already decided" in r.json()["errors"][0]["message"]
    assert movement.permissions.get(state__code="LT").decision == "refused"
    assert MovementRequest.objects.get(pk=movement.pk).status == "refused"


def test_decisions_are_final_once_the_movement_is_cleared(movement, make_user, api_client):
    for state in ("PL", "LT"):
        assert (
            post(
                api_client(make_user(state, "approver")),
                f"/api/v1/mobility/movements/{movement.pk}/permissions/{state}",
                {"decision": "granted"},
            ).status_code
            == 200
        )
    assert MovementRequest.objects.get(pk=movement.pk).status == "cleared"
    r = post(
        api_client(make_user("PL", "approver")),
        f"/api/v1/mobility/movements/{movement.pk}/permissions/PL",
        {"decision": "refused", "reason": "Changed our mind"},
    )
    assert r.status_code == 422
    assert MovementRequest.objects.get(pk=movement.pk).status == "cleared"


def test_the_requester_sees_who_refused_when_and_why_and_is_offered_a_re_plan_avoiding_that_state(movement, make_user):
    lt = make_user("LT", "approver", username="lt-duty-officer")
    services.decide(lt, movement.pk, "LT", {"decision": "refused", "reason": "Rukla ranges closed that week"})
    html = client_for(make_user("DE", "viewer")).get(f"/mobility/movements/{movement.pk}/").content.decode()
    assert 'id="decision-notices"' in html
    assert "Lithuania: refused on" in html and "by lt-duty-officer" in html and "Rukla ranges closed that week" in html
    assert f"/mobility/?replan={movement.pk}&amp;avoid=LT" in html
    # The re-plan form comes filled in, avoiding Lithuania.
    form = client_for(make_user("DE", "editor")).get(f"/mobility/?replan={movement.pk}&avoid=LT").content.decode()
    assert 'name="avoid_states" value="LT"' in form and "avoiding Lithuania" in form
    audit = AuditEntry.objects.filter(action="decision").latest("id")
    assert audit.actor == "lt-duty-officer"


def test_a_transit_state_sees_no_notice_meant_for_the_requester(movement, make_user):
    services.decide(make_user("LT", "approver"), movement.pk, "LT", {"decision": "granted"})
    html = client_for(make_user("PL", "viewer")).get(f"/mobility/movements/{movement.pk}/").content.decode()
    assert 'id="decision-notices"' not in html


def test_submit_refuses_a_departure_whose_deadlines_have_passed_and_offers_the_earliest_feasible_one(make_user):
    soon = (dt.date.today() + dt.timedelta(days=2)).isoformat()  # not even Lithuania's 5 working days can be met
    with pytest.raises(InputError) as exc:
        services.create_movement(make_user("DE", "editor"), {**BODY, "depart": soon})
    message = exc.value.problems[0].message
    assert exc.value.problems[0].field == "depart"
    assert "too late" in message and "Lithuania" in message and "earliest departure" in message
    assert not MovementRequest.objects.exists()


def test_a_requester_may_not_declare_a_pre_authorisation_that_is_not_stored(make_user):
    light = {**BODY, "vehicles": "Foxhound:4", "origin": "tidworth", "destination": "tapa", "pre_authorised": ["EE"]}
    with pytest.raises(InputError, match="Estonia has not pre-authorised movements of United Kingdom"):
        services.create_movement(make_user("GB", "editor"), dict(light))
    services.grant_pre_authorisation(
        make_user("EE", "approver"),
        {
            "beneficiary": "GB",
            "valid_from": dt.date.today().isoformat(),
            "valid_until": (dt.date.today() + dt.timedelta(days=365)).isoformat(),
            "reference": "EE MoD 2026/14",
        },
    )
    movement = services.create_movement(make_user("GB", "editor"), dict(light))
    estonia = next(s for s in movement.plan["states"] if s["state"] == "EE")
    assert "pre-authorisation" in estonia["permission"]["lead_time"]["basis"]


def test_only_an_approver_of_the_granting_state_stores_a_pre_authorisation(make_user, api_client):
    body = {"beneficiary": "GB", "valid_from": "2027-01-01", "valid_until": "2027-12-31"}
    assert post(api_client(make_user("EE", "editor")), "/api/v1/mobility/pre-authorisations", body).status_code == 403
    r = post(api_client(make_user("EE", "approver")), "/api/v1/mobility/pre-authorisations", body)
    assert r.status_code == 201 and r.json()["granted_by"] == "EE"
    assert PreAuthorisation.objects.get().owner.code == "EE"
    assert [
        p["granted_by"] for p in api_client(make_user("GB", "viewer")).get("/api/v1/mobility/pre-authorisations").json()
    ] == ["EE"]
    assert api_client(make_user("FR", "viewer")).get("/api/v1/mobility/pre-authorisations").json() == []


@pytest.mark.parametrize(
    "query",
    ["replan=abc", "replan=99999999", "replan=" + "9" * 40, "avoid=<script>", "replan=-1"],
)
def test_no_query_value_gives_a_server_error_on_the_plan_page(make_user, query):
    assert client_for(make_user("DE", "viewer")).get(f"/mobility/?{query}").status_code == 200


def test_a_nul_byte_in_a_query_is_refused_in_words_naming_the_field(make_user):
    response = client_for(make_user("DE", "viewer")).get("/mobility/?replan=1&avoid=%00")
    assert response.status_code == 400
    assert "There is a problem with what was sent" in response.content.decode()
    assert "avoid" in response.content.decode()


@pytest.mark.parametrize("depart", ["0001-01-01", "1949-05-04", "9999-12-31", "2027-02-30", "x" * 500, "\ud800"])
def test_no_departure_value_gives_a_server_error_in_the_api(make_user, api_client, depart):
    r = api_client(make_user("DE", "viewer")).post(
        "/api/v1/mobility/plan", data=json.dumps({**BODY, "depart": depart}), content_type="application/json"
    )
    assert r.status_code == 422


def test_mobility_pages_show_no_raw_codes_null_or_iso_timestamps(movement, make_user):
    services.decide(
        make_user("LT", "approver"),
        movement.pk,
        "LT",
        {"decision": "granted_with_conditions", "conditions": "Move by night"},
    )
    viewer = client_for(make_user("DE", "viewer"))
    for url in ("/mobility/movements/", f"/mobility/movements/{movement.pk}/", "/mobility/inbox/"):
        html = viewer.get(url).content.decode().split("<main", 1)[1]
        for bad in ("granted_with_conditions", "proposed-2025", "None", "null", INTERNAL_BRIEF, "T06:00", "+02:00"):
            assert bad not in html, (url, bad)


@pytest.mark.parametrize(
    "vehicles",
    [
        "Foxhound:99999999999",
        "Foxhound:" + "9" * 5000,
        [{"name": "Foxhound", "count": 10**12}],
        [{"name": ["x"], "count": 1}],
        {"Foxhound": 1},
        "\x00",
    ],
)
def test_no_vehicle_value_gives_a_server_error_in_the_api(make_user, api_client, vehicles):
    r = api_client(make_user("DE", "viewer")).post(
        "/api/v1/mobility/plan", data=json.dumps({**BODY, "vehicles": vehicles}), content_type="application/json"
    )
    assert r.status_code == 422
