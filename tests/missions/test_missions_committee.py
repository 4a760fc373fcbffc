"""A PSC decision with its reference sets up a mission's Committee of
Contributors (e.g. PSC Decision (CFSP) 2015/664, EUMAM RCA/1/2015): recorded by
the Council, dated by the server, shown on the mission page."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from accord.missions.models import CommitteeOfContributors, Participation
from accord.platform.models import AuditEntry

pytestmark = pytest.mark.django_db
BASE = "/api/v1/missions"


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_psc_decision_sets_the_committee_of_contributors(missions_data, make_user, api_client):
    council = api_client(make_user("COUNCIL", "approver"))
    body = {"psc_decision": "ALTHEA/1/2026", "members": ["FR", "de"]}
    response = post(council, f"{BASE}/eufor-althea/committee", body)
    assert response.status_code == 201, response.content
    record = CommitteeOfContributors.objects.get()
    assert (record.psc_decision, record.members, record.decided_on) == (
        "ALTHEA/1/2026",
        ["DE", "FR"],
        timezone.localdate(),
    )
    assert AuditEntry.objects.filter(action="missions.set_committee").count() == 1
    page = api_client(make_user("GB", "viewer")).get(f"{BASE}/eufor-althea").json()
    assert page["committee_of_contributors"] == ["DE", "FR"]
    assert page["committee_decision"]["psc_decision"] == "ALTHEA/1/2026"
    client = Client()
    client.force_login(make_user("GB", "viewer"))
    html = client.get("/missions/eufor-althea/").content.decode()
    assert "Set up by PSC Decision ALTHEA/1/2026" in html


def test_only_the_council_records_it_and_a_client_date_is_refused(missions_data, make_user, api_client):
    body = {"psc_decision": "ALTHEA/1/2026", "members": ["FR"]}
    for party, role in (("EEAS", "approver"), ("FR", "approver"), ("COUNCIL", "editor")):
        assert post(api_client(make_user(party, role)), f"{BASE}/eufor-althea/committee", body).status_code == 403
    dated = post(
        api_client(make_user("COUNCIL", "approver")), f"{BASE}/eufor-althea/committee", {**body, "on": "2004-12-02"}
    )
    assert dated.status_code == 422 and dated.json()["errors"][0]["field"] == "on"
    assert not CommitteeOfContributors.objects.exists()


def test_a_third_state_whose_contribution_was_not_accepted_is_refused_and_the_reference_is_required(
    missions_data, make_user, api_client
):
    council = api_client(make_user("COUNCIL", "approver"))
    response = post(council, f"{BASE}/eufor-althea/committee", {"psc_decision": " ", "members": ["NO", "ZZ"]})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {e["field"] for e in errors} == {"psc_decision", "members"}
    assert any("Norway" in e["message"] and "not been accepted" in e["message"] for e in errors)
    assert not CommitteeOfContributors.objects.exists()
    assert not Participation.objects.exists()
