"""/api/v1/commitments/: token required, public reference data for every party, 404/403/422."""

import pytest

from accord.commitments.models import SpendingFigure

pytestmark = pytest.mark.django_db

BASE = "/api/v1/commitments"


def test_every_commitments_route_needs_a_token(commitments_data, api_client):
    for route in ("/status", "/targets", "/spending", "/allocations", "/groupings"):
        assert api_client().get(BASE + route).status_code == 401, route


def test_a_french_viewer_reads_the_uk_status_against_its_2027_target(commitments_data, make_user, api_client):
    response = api_client(make_user("FR", "viewer")).get(BASE + "/status", {"on": "2025-10-01", "state": "GB"})
    assert response.status_code == 200
    rows = {r["target"]: r for r in response.json()["statuses"]}
    assert rows["uk_2027"]["status"] == "on_track"
    assert rows["uk_2027"]["figure"]["percent_gdp"] == 2.4


def test_spending_figures_are_public_data_visible_to_a_user_of_any_party(commitments_data, make_user, api_client):
    for party in ("GB", "EEAS", "MT"):
        data = api_client(make_user(party, "viewer")).get(BASE + "/spending", {"on": "2025-10-01"}).json()
        poland = next(f for f in data["figures"] if f["state"] == "PL")
        assert poland["percent_gdp"] == 4.48 and poland["owner"] == "PL"


def test_one_figure_by_id_and_an_unknown_id_answers_404(commitments_data, make_user, api_client):
    client = api_client(make_user("DE", "viewer"))
    figure = SpendingFigure.objects.get(state__code="LT", year=2025)
    assert client.get(f"{BASE}/spending/{figure.pk}").json()["percent_gdp"] == 4.0
    assert client.get(f"{BASE}/spending/999999").status_code == 404


def test_a_figure_that_is_not_public_is_hidden_from_other_parties_with_404(commitments_data, make_user, api_client):
    figure = SpendingFigure.objects.get(state__code="LT", year=2025)
    figure.is_public = False
    figure.save()
    assert api_client(make_user("DE", "viewer")).get(f"{BASE}/spending/{figure.pk}").status_code == 404
    assert api_client(make_user("LT", "viewer")).get(f"{BASE}/spending/{figure.pk}").status_code == 200


def test_the_allocations_add_up_to_150_billion_and_pass_the_60_percent_check(commitments_data, make_user, api_client):
    data = api_client(make_user("PL", "viewer")).get(BASE + "/allocations").json()
    assert data["total_eur"] == 150_000_000_000 and data["passed"] is True
    assert {c["name"]: c["passed"] for c in data["checks"]} == {
        "total_equals_envelope": True,
        "three_largest_share": True,
    }


def test_groupings_on_a_date_before_the_trinity_house_agreement(commitments_data, make_user, api_client):
    data = api_client(make_user("GB", "viewer")).get(BASE + "/groupings", {"on": "2024-10-22"}).json()
    trinity = next(g for g in data["groupings"] if g["id"] == "trinity-house-2024")
    assert trinity["members_on_date"] == []


def test_a_bad_date_and_unknown_filters_answer_422_with_every_problem(commitments_data, make_user, api_client):
    client = api_client(make_user("GB", "viewer"))
    assert client.get(BASE + "/status", {"on": "2025-02-30"}).status_code == 422
    response = client.get(BASE + "/status", {"state": "ZZ", "target": "nope"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"state", "target"}


# --- recording a figure: the state's own editors only ------------------------

NEW_UK_FIGURE = {
    "state": "GB",
    "year": 2026,
    "percent_gdp": 2.45,
    "source_title": "UK MOD estimate",
    "source_href": "https://www.gov.uk/",
    "published": "2026-03-01",
    "confidence": "quoted",
}


def test_a_uk_editor_records_the_uk_figure_and_it_is_audited(commitments_data, make_user, api_client):
    from accord.platform.models import AuditEntry

    editor = make_user("GB", "editor")
    before = AuditEntry.objects.count()
    response = api_client(editor).post(BASE + "/spending", NEW_UK_FIGURE, content_type="application/json")
    assert response.status_code == 201, response.content
    record = SpendingFigure.objects.get(state__code="GB", year=2026)
    assert str(record.percent_gdp) == "2.450" and record.owner.code == "GB" and record.is_public
    assert AuditEntry.objects.count() > before
    assert AuditEntry.objects.order_by("-sequence").first().actor == editor.username


def test_the_recorded_figure_moves_the_uk_status_from_its_publication_date(commitments_data, make_user, api_client):
    client = api_client(make_user("GB", "editor"))
    client.post(BASE + "/spending", NEW_UK_FIGURE, content_type="application/json")
    before = client.get(BASE + "/status", {"on": "2026-02-28", "state": "GB", "target": "uk_2027"}).json()
    after = client.get(BASE + "/status", {"on": "2026-03-01", "state": "GB", "target": "uk_2027"}).json()
    assert before["statuses"][0]["figure"]["year"] == 2025
    assert after["statuses"][0]["figure"]["year"] == 2026


def test_a_french_editor_may_not_record_a_uk_figure(commitments_data, make_user, api_client):
    response = api_client(make_user("FR", "editor")).post(
        BASE + "/spending", NEW_UK_FIGURE, content_type="application/json"
    )
    assert response.status_code == 403
    assert not SpendingFigure.objects.filter(state__code="GB", year=2026).exists()


def test_a_uk_viewer_may_not_record_a_uk_figure(commitments_data, make_user, api_client):
    response = api_client(make_user("GB", "viewer")).post(
        BASE + "/spending", NEW_UK_FIGURE, content_type="application/json"
    )
    assert response.status_code == 403


def test_a_bad_figure_answers_422_naming_each_field_and_stores_nothing(commitments_data, make_user, api_client):
    bad = {"state": "GB", "year": "soon", "percent_gdp": 250, "confidence": "sure", "published": "yesterday"}
    response = api_client(make_user("GB", "editor")).post(BASE + "/spending", bad, content_type="application/json")
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"year", "percent_gdp", "source_title", "confidence", "published"} <= fields
    assert not SpendingFigure.objects.filter(state__code="GB", from_reference=False).exists()


def test_an_unknown_state_answers_422(commitments_data, make_user, api_client):
    response = api_client(make_user("GB", "editor")).post(
        BASE + "/spending", {**NEW_UK_FIGURE, "state": "ZZ"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "state"


def test_a_state_editor_replaces_its_own_figure_for_the_same_year(commitments_data, make_user, api_client):
    client = api_client(make_user("GB", "editor"))
    first = client.post(BASE + "/spending", NEW_UK_FIGURE, content_type="application/json").json()
    second = client.post(BASE + "/spending", {**NEW_UK_FIGURE, "percent_gdp": 2.5}, content_type="application/json")
    assert second.status_code == 201 and second.json()["id"] == first["id"]
    assert second.json()["percent_gdp"] == 2.5


def test_an_administrator_of_another_state_may_not_record_a_uk_figure(commitments_data, make_user, api_client):
    response = api_client(make_user("DE", "administrator")).post(
        BASE + "/spending", NEW_UK_FIGURE, content_type="application/json"
    )
    assert response.status_code == 403
