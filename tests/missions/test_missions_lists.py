"""Lists to work with: every mission since 2003 and the third-state participations a
user may see, with search, sort, pages and a CSV download (accord.web.lists)."""

import csv
import io
import json

import pytest

pytestmark = pytest.mark.django_db


def test_the_register_list_holds_every_mission_since_2003_with_dates_as_precise_as_known(
    missions_data, make_user, client
):
    client.force_login(make_user("PL", "viewer"))
    page = client.get("/missions/register/?q=guinea-bissau")
    html = page.content.decode()
    assert page.status_code == 200
    assert "EU SSR GUINEA-BISSAU" in html and "June 2008" in html and "30 June 2008" not in html
    full = client.get("/missions/register/?format=csv")
    rows = list(csv.DictReader(io.StringIO(full.content.decode())))
    assert len(rows) == 45
    assert {"EUPM BIH", "ARTEMIS", "EUNAVFOR MED SOPHIA", "EUFOR ALTHEA"} <= {r["Mission or operation"] for r in rows}


def test_the_register_list_sorts_by_the_day_a_mission_began(missions_data, make_user, client):
    client.force_login(make_user("PL", "viewer"))
    rows = list(
        csv.DictReader(io.StringIO(client.get("/missions/register/?format=csv&sort=began&dir=asc").content.decode()))
    )
    assert rows[0]["Mission or operation"] == "EUPM BIH"  # 1 January 2003
    assert rows[0]["Began"] == "1 January 2003"


@pytest.mark.parametrize("query", ["sort=nope&dir=sideways&page=999", "q=%F0%9F%9B%A1", "page=-1", "q=" + "x" * 3000])
def test_any_query_value_answers_a_page(missions_data, make_user, client, query):
    client.force_login(make_user("PL", "viewer"))
    assert client.get(f"/missions/register/?{query}").status_code == 200
    assert client.get(f"/missions/participations/?{query}").status_code == 200


def test_a_nul_byte_in_the_search_is_refused_never_a_server_error(missions_data, make_user, client):
    client.force_login(make_user("PL", "viewer"))
    assert client.get("/missions/register/?q=a%00b").status_code < 500


def test_a_state_sees_only_its_own_participation_the_council_sees_all(missions_data, make_user, api_client, client):
    council = api_client(make_user("COUNCIL", "approver"))
    for state in ("GB", "NO"):
        response = council.post(
            "/api/v1/missions/eufor-althea/participations",
            data=json.dumps({"state": state}),
            content_type="application/json",
        )
        assert response.status_code == 201
    client.force_login(make_user("GB", "viewer"))
    own = client.get("/missions/participations/?format=csv").content.decode()
    assert "United Kingdom" in own and "Norway" not in own
    client.force_login(make_user("COUNCIL", "viewer", username="council-viewer"))
    page = client.get("/missions/participations/").content.decode()
    assert "United Kingdom" in page and "Norway" in page and "Invited" in page
    assert "an agreement for this mission is needed" in page  # the UK has no FPA
