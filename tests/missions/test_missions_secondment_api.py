"""Civilian seconded posts through the API: the EEAS publishes a call, states
nominate candidates, the EEAS selects; totals per contributor and mission."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from accord.missions.models import SecondmentApplication, SecondmentCall
from accord.platform.models import AuditEntry

pytestmark = pytest.mark.django_db

BASE = "/api/v1/missions"
TODAY = timezone.localdate()  # acts are dated by the server
CALL = {
    "id": "EUMM-2026-1",
    "published_on": (TODAY - dt.timedelta(days=30)).isoformat(),
    "deadline": (TODAY + dt.timedelta(days=20)).isoformat(),
    "posts": [{"id": "P1", "job_description": "MON"}, {"id": "P2", "job_description": "HRG-ADV"}],
}


def close(pk):
    """The deadline has passed: yesterday was the last day (arranged in the database)."""
    SecondmentCall.objects.filter(pk=pk).update(deadline=TODAY - dt.timedelta(days=1))
    SecondmentApplication.objects.filter(call_id=pk).update(submitted_on=TODAY - dt.timedelta(days=2))


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def publish(eeas):
    response = post(eeas, f"{BASE}/eumm-georgia/secondment-calls", CALL)
    assert response.status_code == 201, response.content
    return response.json()["pk"]


def test_a_selection_before_the_deadline_is_refused(missions_data, make_user, api_client):
    eeas = api_client(make_user("EEAS", "editor", "approver"))
    pk = publish(eeas)
    assert (
        post(
            api_client(make_user("DE", "editor")),
            f"{BASE}/secondment-calls/{pk}/applications",
            {"id": "A1", "post": "P1", "candidate": "DE-c-001"},
        ).status_code
        == 201
    )
    response = post(eeas, f"{BASE}/secondment-calls/{pk}/selection", {"choices": {"P1": "A1"}})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "choices"
    assert not SecondmentApplication.objects.filter(selected=True).exists()


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
    ok = post(
        germany, f"{BASE}/secondment-calls/{pk}/applications", {"id": "A1", "post": "P1", "candidate": "DE-c-001"}
    )
    assert ok.status_code == 201
    assert SecondmentApplication.objects.get(code="A1").submitted_on == TODAY  # the server's day

    # A third state not invited to EUMM Georgia cannot see the call at all.
    assert (
        post(
            api_client(make_user("NO", "editor")),
            f"{BASE}/secondment-calls/{pk}/applications",
            {"id": "A3", "post": "P2", "candidate": "NO-c-1"},
        ).status_code
        == 404
    )

    # Before the deadline nothing may be selected, whatever date the client claims.
    early = post(eeas, f"{BASE}/secondment-calls/{pk}/selection", {"choices": {"P1": "A1"}})
    assert early.status_code == 422
    assert "select after that day" in early.json()["errors"][0]["message"]
    claimed = post(eeas, f"{BASE}/secondment-calls/{pk}/selection", {"choices": {"P1": "A1"}, "on": "2099-01-01"})
    assert claimed.status_code == 422 and claimed.json()["errors"][0]["field"] == "on"
    assert not SecondmentApplication.objects.filter(selected=True).exists()

    close(pk)
    late = post(
        germany, f"{BASE}/secondment-calls/{pk}/applications", {"id": "A2", "post": "P2", "candidate": "DE-c-002"}
    )
    assert late.status_code == 422
    assert "after the deadline" in late.json()["errors"][0]["message"]
    backdated = post(
        germany,
        f"{BASE}/secondment-calls/{pk}/applications",
        {"id": "A2", "post": "P2", "candidate": "DE-c-002", "submitted_on": CALL["published_on"]},
    )
    assert backdated.status_code == 422
    assert any(e["field"] == "submitted_on" for e in backdated.json()["errors"])

    # Germany may not select; the EEAS selects after the deadline and the selection is audited.
    assert post(germany, f"{BASE}/secondment-calls/{pk}/selection", {"choices": {"P1": "A1"}}).status_code == 403
    selected = post(eeas, f"{BASE}/secondment-calls/{pk}/selection", {"choices": {"P1": "A1"}})
    assert selected.status_code == 200
    assert AuditEntry.objects.filter(action="missions.select_secondee").count() == 1

    totals = eeas.get(f"{BASE}/secondment-totals").json()
    assert totals["by_contributor"] == {"DE": 1}
    assert totals["by_mission"] == {"EUMM GEORGIA": 1}
