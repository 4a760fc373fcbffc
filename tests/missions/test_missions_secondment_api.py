"""Civilian seconded posts through the API: the EEAS publishes a call, states
nominate candidates, the EEAS selects; totals per contributor and mission."""

import json

import pytest

from accord.platform.models import AuditEntry

pytestmark = pytest.mark.django_db

BASE = "/api/v1/missions"
CALL = {"id": "EUMM-2026-1", "published_on": "2026-01-10", "deadline": "2026-02-10", "on": "2026-01-10",
        "posts": [{"id": "P1", "job_description": "MON"}, {"id": "P2", "job_description": "HRG-ADV"}]}


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def publish(eeas):
    response = post(eeas, f"{BASE}/eumm-georgia/secondment-calls", CALL)
    assert response.status_code == 201, response.content
    return response.json()["pk"]


def test_only_the_eeas_publishes_a_call_for_seconded_posts(missions_data, make_user, api_client):
    assert post(api_client(make_user("DE", "editor")), f"{BASE}/eumm-georgia/secondment-calls", CALL).status_code == 403


def test_a_call_with_an_unknown_job_description_answers_422_naming_the_post(missions_data, make_user, api_client):
    bad = {**CALL, "posts": [{"id": "P1", "job_description": "ASTRONAUT"}]}
    response = post(api_client(make_user("EEAS", "editor")), f"{BASE}/eumm-georgia/secondment-calls", bad)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "posts[0].job_description"


def test_member_states_apply_the_eeas_selects_and_totals_count_per_contributor(missions_data, make_user, api_client):
    eeas = api_client(make_user("EEAS", "editor", "approver"))
    germany = api_client(make_user("DE", "editor"))
    pk = publish(eeas)
    ok = post(germany, f"{BASE}/secondment-calls/{pk}/applications",
              {"id": "A1", "post": "P1", "candidate": "DE-c-001", "submitted_on": "2026-02-10"})
    assert ok.status_code == 201
    late = post(germany, f"{BASE}/secondment-calls/{pk}/applications",
                {"id": "A2", "post": "P2", "candidate": "DE-c-002", "submitted_on": "2026-02-11"})
    assert late.status_code == 422
    assert "after the deadline" in late.json()["errors"][0]["message"]

    # A third state not invited to EUMM Georgia cannot see the call at all.
    assert post(api_client(make_user("NO", "editor")), f"{BASE}/secondment-calls/{pk}/applications",
                {"id": "A3", "post": "P2", "candidate": "NO-c-1", "submitted_on": "2026-02-01"}).status_code == 404

    # Germany may not select; the EEAS selects and the selection is audited.
    assert post(germany, f"{BASE}/secondment-calls/{pk}/selection", {"choices": {"P1": "A1"}}).status_code == 403
    selected = post(eeas, f"{BASE}/secondment-calls/{pk}/selection", {"choices": {"P1": "A1"}, "on": "2026-02-20"})
    assert selected.status_code == 200
    assert AuditEntry.objects.filter(action="missions.select_secondee").count() == 1

    totals = eeas.get(f"{BASE}/secondment-totals").json()
    assert totals["by_contributor"] == {"DE": 1}
    assert totals["by_mission"] == {"EUMM GEORGIA": 1}
