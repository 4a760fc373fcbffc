"""The SAFE API: authentication, visibility by party (owner, procurers, Commission), 201/404/422."""

from __future__ import annotations

import pytest

from accord.platform.models import AuditEntry
from accord.procurement.models import Assessment

from .builders import case_data

pytestmark = pytest.mark.django_db

URL = "/api/v1/safe/assessments"


def post(client, data):
    return client.post(URL, data, content_type="application/json")


def test_every_safe_route_needs_a_token(reference_data, api_client):
    assert api_client().get(URL).status_code == 401
    assert post(api_client(), case_data()).status_code == 401
    assert api_client().get(f"{URL}/1").status_code == 401


def test_a_polish_editor_stores_an_assessment_with_its_verdict_and_it_is_audited(make_user, api_client):
    response = post(
        api_client(make_user("PL", "editor")), {**case_data({"PL": 640, "GB": 360}), "scenario": "baseline"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"] == "PL"
    assert body["shared_with"] == ["COM", "LT"]  # the other procurer and the Commission
    assert body["eligible"] is False
    assert body["verdict"]["headroom_eur"] == -15.39  # the price cut needed: 10 / (1 - 35%), rounded up
    assert body["verdict"]["cost_by_origin"] == {"GB": 360.0, "PL": 640.0}
    record_id = str(body["id"])
    actions = list(AuditEntry.objects.filter(record_id=record_id).values_list("action", flat=True))
    assert "safe.assessed" in actions and len(actions) >= 2
    event = AuditEntry.objects.get(record_id=record_id, action="safe.assessed")
    assert event.actor_party == "PL" and event.detail["failed_rules"] == ["component_cost"]


def test_the_procurers_and_the_commission_see_an_assessment_and_others_get_404(make_user, api_client):
    created = post(api_client(make_user("PL", "editor")), case_data()).json()
    url = f"{URL}/{created['id']}"
    for party in ("PL", "LT", "COM"):
        seen = api_client(make_user(party, "viewer")).get(url)
        assert seen.status_code == 200, party
        assert seen.json()["case"]["bom"][0]["id"] == "END"
    for party in ("GB", "DE"):
        assert api_client(make_user(party, "viewer")).get(url).status_code == 404
    assert api_client(make_user("PL", "viewer")).get(f"{URL}/999999").status_code == 404
    listed = api_client(make_user("GB", "viewer")).get(URL).json()
    assert created["id"] not in [a["id"] for a in listed]


def test_a_viewer_may_not_create_an_assessment(make_user, api_client):
    response = post(api_client(make_user("PL", "viewer")), case_data())
    assert response.status_code == 403
    assert Assessment.objects.count() == 0


def test_a_bom_with_a_cycle_is_refused_with_422_naming_the_item_and_nothing_is_stored(make_user, api_client):
    data = case_data()
    data["bom"] += [{"id": "A", "parent": "B", "quantity": 1}, {"id": "B", "parent": "A", "quantity": 1}]
    response = post(api_client(make_user("PL", "editor")), data)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["item"] in {"A", "B"} and "cycle" in errors[0]["message"]
    assert Assessment.objects.count() == 0
    assert not AuditEntry.objects.filter(record_type__icontains="assessment").exists()


def test_bad_input_of_every_kind_is_refused_with_422_listing_each_problem(make_user, api_client):
    data = case_data()
    data["procurers"] = ["PL", "QQ"]
    data["bom"][1]["unit_cost_eur"] = -3
    client = api_client(make_user("PL", "editor"))
    fields = {e["field"] for e in post(client, data).json()["errors"]}
    assert {"procurers[1]", "bom[1].unit_cost_eur"} <= fields
    assert client.post(URL, "not json", content_type="application/json").status_code == 422
    assert post(client, [1, 2]).status_code == 422
    assert post(client, {**case_data(), "scenario": "no-such"}).status_code == 422
    assert post(client, {**case_data(), "bom_file": "bom.csv", "bom": None}).status_code == 422
    assert Assessment.objects.count() == 0


def test_the_uk_participation_scenario_can_be_chosen_through_the_api(make_user, api_client):
    data = case_data({"PL": 600, "GB": 400}, assessment_date="2027-01-01")
    body = post(api_client(make_user("PL", "editor")), {**data, "scenario": "uk-participation"}).json()
    assert body["scenario"] == "uk-participation" and body["eligible"] is True


def test_a_request_over_the_upload_limit_is_refused_with_413(make_user, api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    data = case_data()
    data["notes"] = "x" * 2000
    response = post(api_client(make_user("PL", "editor")), data)
    assert response.status_code == 413  # body limits answer 413 (accord.platform.limits)
    assert response.json()["errors"][0]["field"] == "body"


def test_a_uk_fuze_of_344_62_on_a_640_body_fails_through_the_api_and_a_misspelt_key_is_422(make_user, api_client):
    client = api_client(make_user("PL", "editor"))
    response = post(client, case_data({"PL": 640, "GB": 344.62}))
    assert response.status_code == 201, response.content
    assert response.json()["eligible"] is False
    assert response.json()["verdict"]["non_eligible_share"] == 0.350003
    data = case_data()
    data["bom"][1]["purchsed"] = True
    response = post(client, data)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "bom[1].purchsed"
    assert "'purchased'" in response.json()["errors"][0]["message"]
    assert Assessment.objects.count() == 1  # nothing stored from the refused case
