"""Force generation conference rounds and ad hoc participation agreements (issue 15):
a call for offers against the statement as it stands, offers per round, the
shortfall list at the close, the statement revised before the next round, the
history kept; acts dated by the server, permission before existence, audited."""

import datetime as dt
import json

import pytest

from accord.errors import InputError
from accord.missions import services
from accord.missions.models import ForceGenerationRound, Mission, Offer
from accord.platform import policy
from accord.platform.models import AuditEntry

pytestmark = pytest.mark.django_db
BASE = "/api/v1/missions"


def post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def requirement(rid, quantity, capability="staff_officer"):
    return {
        "id": rid,
        "capability": capability,
        "quantity": quantity,
        "needed_from": "2027-03-01",
        "duration_days": 180,
    }


@pytest.fixture
def althea(missions_data):
    return Mission.objects.get(slug="eufor-althea")


def test_two_rounds_keep_the_statement_the_offers_and_the_shortfall_of_each(althea, make_user):
    eeas = make_user("EEAS", "approver")
    france = make_user("FR", "editor")
    today = dt.date(2027, 1, 4)
    services.add_requirement(eeas, althea, requirement("R1", 4), on=today)
    services.add_requirement(eeas, althea, requirement("R2", 1, "role2_medical"), on=today)
    first = services.open_round(eeas, althea, {"closes_on": "2027-01-15"}, on=today)
    assert (first.number, first.opened_on, len(first.statement)) == (1, today, 2)
    offer = {"id": "FR-1", "capability": "staff_officer", "quantity": 3, "available_from": "2027-02-01"}
    made = services.add_offer(france, althea, offer, on=dt.date(2027, 1, 10))
    assert made.round == first

    with pytest.raises(InputError, match="receives offers until 15 January 2027"):
        services.close_round(eeas, althea, 1, on=dt.date(2027, 1, 15))
    closed = services.close_round(eeas, althea, 1, on=dt.date(2027, 1, 16))
    short = {row["requirement"]: row for row in closed.shortfall}
    assert (short["R1"]["filled"], short["R1"]["missing"]) == (3, 1)
    assert short["R2"]["missing"] == 1 and short["R2"]["reasons"] == ["no offer of Role 2 medical facility"]
    assert closed.offers_counted == 1

    # The statement is revised between rounds; the second round says how.
    services.add_requirement(eeas, althea, requirement("R3", 2, "eod_team"), on=dt.date(2027, 1, 18))
    second = services.open_round(eeas, althea, {"closes_on": "2027-02-01"}, on=dt.date(2027, 1, 18))
    assert second.number == 2
    assert len(second.changes) == 1 and second.changes[0].startswith("Requirement R3 added: 2 × ")
    assert ForceGenerationRound.objects.get(pk=first.pk).shortfall == closed.shortfall  # history kept as it was
    events = AuditEntry.objects.filter(action__in=["missions.open_round", "missions.close_round"]).count()
    assert events == 3


def test_only_one_round_is_open_and_its_last_day_is_not_in_the_past(althea, make_user):
    eeas = make_user("EEAS", "editor")
    today = dt.date(2027, 1, 4)
    services.add_requirement(eeas, althea, requirement("R1", 1), on=today)
    with pytest.raises(InputError, match="today"):
        services.open_round(eeas, althea, {"closes_on": "2027-01-03"}, on=today)
    with pytest.raises(InputError, match="real date"):
        services.open_round(eeas, althea, {"closes_on": "2027-02-30"}, on=today)
    services.open_round(eeas, althea, {"closes_on": "2027-01-10"}, on=today)
    with pytest.raises(InputError, match="already open"):
        services.open_round(eeas, althea, {"closes_on": "2027-01-20"}, on=today)


def test_a_round_needs_a_statement_of_requirements(althea, make_user):
    with pytest.raises(InputError, match="statement of requirements"):
        services.open_round(make_user("EEAS", "editor"), althea, {"closes_on": "2099-01-10"})


@pytest.mark.parametrize(("party", "role"), [("EEAS", "viewer"), ("FR", "approver"), ("COUNCIL", "approver")])
def test_only_eeas_editors_run_rounds_and_the_refusal_is_the_same_for_a_round_that_does_not_exist(
    althea, make_user, api_client, party, role
):
    eeas = make_user("EEAS", "editor", username="eeas-editor")
    services.add_requirement(eeas, althea, requirement("R1", 1), on=dt.date(2027, 1, 4))
    services.open_round(eeas, althea, {"closes_on": "2027-01-10"}, on=dt.date(2027, 1, 4))
    client = api_client(make_user(party, role))
    assert post(client, f"{BASE}/eufor-althea/rounds", {"closes_on": "2099-01-01"}).status_code == 403
    existing = post(client, f"{BASE}/eufor-althea/rounds/1/close")
    missing = post(client, f"{BASE}/eufor-althea/rounds/7/close")
    assert existing.status_code == missing.status_code == 403
    assert existing.json() == missing.json()


def test_the_api_refuses_a_client_date_and_a_state_sees_counts_without_other_states_offers(
    althea, make_user, api_client
):
    eeas = make_user("EEAS", "approver")
    services.add_requirement(eeas, althea, requirement("R1", 2), on=dt.date(2027, 1, 4))
    services.add_offer(
        make_user("FR", "editor"),
        althea,
        {"id": "FR-1", "capability": "staff_officer", "quantity": 1, "available_from": "2027-02-01"},
        on=dt.date(2027, 1, 4),
    )
    services.open_round(eeas, althea, {"closes_on": "2027-01-10"}, on=dt.date(2027, 1, 4))
    services.close_round(eeas, althea, 1, on=dt.date(2027, 1, 11))
    eeas_client = api_client(eeas)
    refused = post(eeas_client, f"{BASE}/eufor-althea/rounds", {"closes_on": "2099-01-01", "on": "2027-01-01"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "on"
    poland = api_client(make_user("PL", "viewer")).get(f"{BASE}/eufor-althea/rounds").json()
    assert poland[0]["totals"] == {"required": 2, "filled": 1, "missing": 1}
    assert all(row["reasons"] == [] for row in poland[0]["shortfall"])
    assert api_client(make_user("GB", "viewer")).get(f"{BASE}/eufor-althea/rounds").json() == []  # not called


def test_a_bad_round_number_is_404_never_a_server_error(althea, make_user, api_client):
    client = api_client(make_user("EEAS", "editor"))
    assert post(client, f"{BASE}/eufor-althea/rounds/999/close").status_code == 404
    with pytest.raises(policy.NotVisible):
        services.close_round(make_user("EEAS", "editor", username="e2"), althea, "abc")


def test_the_mission_page_shows_the_rounds_and_the_call_form_to_the_eeas(althea, make_user, client):
    eeas = make_user("EEAS", "editor")
    services.add_requirement(eeas, althea, requirement("R1", 1), on=dt.date(2027, 1, 4))
    client.force_login(eeas)
    page = client.get("/missions/eufor-althea/").content.decode()
    assert 'id="round-form"' in page and "No force generation round you may see has been called" in page
    response = client.post("/missions/eufor-althea/rounds/", {"closes_on": "2000-01-01"})
    assert response.status_code == 400 and "or later" in response.content.decode()
    response = client.post("/missions/eufor-althea/rounds/", {"closes_on": "2099-01-01"})
    assert response.status_code == 302
    page = client.get("/missions/eufor-althea/").content.decode()
    assert "Round 1 (open)" in page and "1 January 2099" in page


# ------------------------------------------------ ad hoc participation agreements


def uk_recommended(make_user, api_client):
    council = api_client(make_user("COUNCIL", "approver", username="council"))
    eeas = api_client(make_user("EEAS", "approver", username="eeas"))
    uk = api_client(make_user("GB", "approver", username="uk"))
    pk = post(council, f"{BASE}/eufor-althea/participations", {"state": "GB"}).json()["id"]
    assert post(eeas, f"{BASE}/participations/{pk}/steps", {"action": "call_for_contributions"}).status_code == 200
    offer = {"id": "GB-1", "capability": "staff_officer", "quantity": 1, "available_from": "2027-02-01"}
    assert post(uk, f"{BASE}/eufor-althea/offers", offer).status_code == 201
    assert post(eeas, f"{BASE}/participations/{pk}/steps", {"action": "recommend"}).status_code == 200
    return council, pk


def test_an_ad_hoc_agreement_is_recorded_with_its_title_day_and_publication(missions_data, make_user, api_client):
    council, pk = uk_recommended(make_user, api_client)
    missing = post(council, f"{BASE}/participations/{pk}/steps", {"action": "record_participation_agreement"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "agreement.title"
    future = post(
        council,
        f"{BASE}/participations/{pk}/steps",
        {
            "action": "record_participation_agreement",
            "agreement": {"title": "Agreement on the UK's participation in EUFOR Althea", "signed_on": "2999-01-01"},
        },
    )
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "agreement.signed_on"
    done = post(
        council,
        f"{BASE}/participations/{pk}/steps",
        {
            "action": "record_participation_agreement",
            "agreement": {
                "title": "Agreement between the EU and the UK on the participation of the UK in EUFOR Althea",
                "signed_on": "2026-11-02",
                "href": "https://eur-lex.europa.eu/",
            },
        },
    )
    assert done.status_code == 200
    agreement = done.json()["participation"]["agreement"]
    assert agreement["signed_on"] == "2026-11-02" and agreement["title"].startswith("Agreement between")
    assert post(council, f"{BASE}/participations/{pk}/steps", {"action": "accept"}).status_code == 200
    event = AuditEntry.objects.filter(action="missions.record_participation_agreement").get()
    assert event.detail["agreement"]["signed_on"] == "2026-11-02"


def test_offers_outside_a_round_belong_to_none(althea, make_user):
    made = services.add_offer(
        make_user("FR", "editor"),
        althea,
        {"id": "FR-9", "capability": "staff_officer", "quantity": 1, "available_from": "2027-02-01"},
    )
    assert Offer.objects.get(pk=made.pk).round is None
