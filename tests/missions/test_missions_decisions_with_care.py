"""Decisions with care (issue 12): a rejection needs a reason; each step records
who took it and when (the server's time), and the mission page shows it in
words, never a raw status or an ISO timestamp."""

import json

import pytest
from django.test import Client

from accord.missions.models import Participation

pytestmark = pytest.mark.django_db
BASE = "/api/v1/missions"


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def called_and_offered(make_user, api_client):
    council_user = make_user("COUNCIL", "approver", username="psc-secretary")
    council = api_client(council_user)
    eeas = api_client(make_user("EEAS", "editor", "approver"))
    norway = api_client(make_user("NO", "editor", "approver"))
    pk = post(council, f"{BASE}/eufor-althea/participations", {"state": "NO"}).json()["id"]
    post(
        eeas,
        f"{BASE}/eufor-althea/requirements",
        {"id": "R1", "capability": "staff_officer", "quantity": 1, "needed_from": "2027-03-01", "duration_days": 90},
    )
    assert post(eeas, f"{BASE}/participations/{pk}/steps", {"action": "call_for_contributions"}).status_code == 200
    assert (
        post(
            norway,
            f"{BASE}/eufor-althea/offers",
            {"id": "NO-1", "capability": "staff_officer", "quantity": 1, "available_from": "2027-01-01"},
        ).status_code
        == 201
    )
    assert post(eeas, f"{BASE}/participations/{pk}/steps", {"action": "recommend"}).status_code == 200
    return council, pk


def test_a_rejection_without_a_reason_is_refused_and_changes_nothing(missions_data, make_user, api_client):
    council, pk = called_and_offered(make_user, api_client)
    response = post(council, f"{BASE}/participations/{pk}/steps", {"action": "reject"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"
    assert Participation.objects.get(pk=pk).status == "recommended"


def test_a_rejection_records_its_reason_who_and_when_and_the_page_shows_them_in_words(
    missions_data, make_user, api_client
):
    council, pk = called_and_offered(make_user, api_client)
    response = post(
        council,
        f"{BASE}/participations/{pk}/steps",
        {"action": "reject", "reason": "The post is filled by a Member State."},
    )
    assert response.status_code == 200
    last = Participation.objects.get(pk=pk).history[-1]
    assert (last["action"], last["by"], last["reason"]) == (
        "reject",
        "psc-secretary",
        "The post is filled by a Member State.",
    )
    assert "T" in last["at"]  # a server time-stamp, with the time of day
    client = Client()
    client.force_login(make_user("NO", "viewer"))
    html = client.get("/missions/eufor-althea/").content.decode()
    assert "Rejected by the PSC" in html and "Reason: The post is filled by a Member State." in html
    assert "psc-secretary" in html
    assert last["at"] not in html and ">rejected<" not in html
