"""Web pages /missions/: the list filtered by type and theatre, the mission
page with requirements, contributions, Committee of Contributors and gaps."""

import datetime as dt

import pytest
from django.test import Client

from accord.missions import models, services
from accord.missions.models import Mission

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 1, 15)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_mission_list_needs_a_signed_in_user(missions_data):
    response = Client().get("/missions/")
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_the_list_filters_by_type_and_theatre(missions_data, make_user):
    page = client_for(make_user("GB", "viewer")).get("/missions/?type=military&region=Maritime&on=2025-01-01")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-mission="eunavfor-aspides"' in html
    assert 'data-mission="eufor-althea"' not in html
    assert "24 missions and operations" in html  # the EEAS headline, shown apart


def test_a_bad_filter_shows_the_error_summary_with_status_400(missions_data, make_user):
    page = client_for(make_user("GB", "viewer")).get("/missions/?type=naval")
    assert page.status_code == 400
    assert "There is a problem" in page.content.decode()


def test_an_unknown_mission_page_is_404(missions_data, make_user):
    assert client_for(make_user("GB", "viewer")).get("/missions/eufor-narnia/").status_code == 404


def seed_force_generation(make_user):
    eeas, france, uk = make_user("EEAS", "editor"), make_user("FR", "editor"), make_user("GB", "viewer")
    mission = Mission.objects.get(acronym="EUFOR ALTHEA")
    services.add_requirement(
        eeas,
        mission,
        {
            "id": "R1",
            "capability": "infantry_company",
            "quantity": 2,
            "needed_from": "2026-03-01",
            "duration_days": 180,
        },
        DAY,
    )
    services.add_requirement(
        eeas,
        mission,
        {"id": "R2", "capability": "role2_medical", "quantity": 1, "needed_from": "2026-03-01", "duration_days": 180},
        DAY,
    )
    services.add_offer(
        france,
        mission,
        {"id": "FR-1", "capability": "infantry_company", "quantity": 2, "available_from": "2026-02-01"},
        DAY,
    )
    return eeas, france, uk, mission


def test_the_eeas_sees_the_gap_chart_with_its_table_alternative(missions_data, make_user):
    eeas, *_ = seed_force_generation(make_user)
    html = client_for(eeas).get("/missions/eufor-althea/?on=2026-01-15").content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" id="gap-chart"' in html
    assert 'role="img"' in html and "style=" not in html.split('id="gap-chart"')[1].split("</svg>")[0]
    assert "no offer of Role 2 medical facility" in html
    assert 'id="gaps-table"' in html


def test_a_state_that_was_not_called_sees_the_mission_but_not_the_statement_of_requirements(missions_data, make_user):
    _, _, uk, _ = seed_force_generation(make_user)
    html = client_for(uk).get("/missions/eufor-althea/?on=2026-01-15").content.decode()
    assert "No statement of requirements you may see" in html
    assert "FR-1" not in html


def test_the_council_invites_from_the_mission_page_and_a_state_cannot(missions_data, make_user):
    council, norway = make_user("COUNCIL", "approver"), make_user("NO", "approver")
    response = client_for(norway).post("/missions/eufor-althea/participations/", {"state": "NO", "on": "2026-01-15"})
    assert response.status_code == 302
    assert not models.Participation.objects.exists()
    client_for(council).post("/missions/eufor-althea/participations/", {"state": "NO", "on": "2026-01-15"})
    assert models.Participation.objects.get().status == "invited"


def test_a_step_by_the_wrong_party_is_refused_with_a_message_and_changes_nothing(missions_data, make_user):
    council, norway = make_user("COUNCIL", "approver"), make_user("NO", "approver")
    mission = Mission.objects.get(acronym="EUFOR ALTHEA")
    p = services.invite(council, mission, "NO", DAY)
    response = client_for(norway).post(
        f"/missions/eufor-althea/participations/{p.pk}/step/",
        {"action": "call_for_contributions", "on": "2026-01-15"},
        follow=True,
    )
    assert "Only the European External Action Service may" in response.content.decode()
    p.refresh_from_db()
    assert p.status == "invited"


def test_the_eeas_adds_a_requirement_on_the_web_and_a_negative_quantity_is_shown_at_its_field(missions_data, make_user):
    eeas = client_for(make_user("EEAS", "editor"))
    form = {
        "on": "2026-01-15",
        "id": "R9",
        "capability": "eod_team",
        "quantity": "-2",
        "needed_from": "2026-03-01",
        "duration_days": "90",
    }
    bad = eeas.post("/missions/eufor-althea/requirements/", form)
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'href="#req-quantity"' in html and "is negative" in html
    assert not models.Requirement.objects.exists()
    good = eeas.post("/missions/eufor-althea/requirements/", {**form, "quantity": "2"})
    assert good.status_code == 302
    assert models.Requirement.objects.get().quantity == 2


def test_a_called_third_state_offers_on_the_web_and_its_participation_becomes_offered(missions_data, make_user):
    council, eeas, norway = make_user("COUNCIL", "approver"), make_user("EEAS", "editor"), make_user("NO", "approver")
    mission = Mission.objects.get(acronym="EUFOR ALTHEA")
    p = services.invite(council, mission, "NO", DAY)
    services.take_step(eeas, p, "call_for_contributions", DAY)
    page = client_for(norway).get("/missions/eufor-althea/?on=2026-01-15").content.decode()
    assert 'id="offer-form"' in page and 'id="requirement-form"' not in page
    response = client_for(norway).post(
        "/missions/eufor-althea/offers/",
        {
            "on": "2026-01-15",
            "id": "NO-1",
            "capability": "eod_team",
            "quantity": "1",
            "available_from": "2026-02-01",
            "excluded_areas": "Sarajevo, Mostar",
        },
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == "offered"
    assert models.Offer.objects.get().excluded_areas == ["Mostar", "Sarajevo"]


def test_a_third_state_that_was_not_called_is_not_offered_the_offer_form(missions_data, make_user):
    page = client_for(make_user("NO", "approver")).get("/missions/eufor-althea/?on=2026-01-15").content.decode()
    assert 'id="offer-form"' not in page
