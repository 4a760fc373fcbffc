"""The movement requests as a list to work with: search, sort, pages, CSV; only what the user may see."""

import csv
import io
import re

import pytest

from tests.mobility.network_builder import future_departure

pytestmark = pytest.mark.django_db

URL = "/mobility/movements/all/"


@pytest.fixture
def movements(reference_data, make_user):
    from accord.mobility import services

    german = make_user("DE", "editor")
    made = []
    for n, (destination, days) in enumerate([("rukla", 150), ("rukla", 160), ("rukla", 155)]):
        made.append(
            services.create_movement(
                german,
                {
                    "origin": "bergen_hohne",
                    "destination": destination,
                    "depart": future_departure(days),
                    "vehicles": f"Leopard 2A7:{10 + n},Boxer:2",
                    "title": f"Convoy {n + 1}",
                },
            )
        )
    return made


def table_rows(html: str) -> list[str]:
    body = re.search(r"<tbody.*?</tbody>", html, re.S)
    return re.findall(r"<tr.*?</tr>", body.group(0), re.S) if body else []


def test_the_requesting_state_lists_its_movements_sorted_searched_and_in_words(movements, make_user, client):
    client.force_login(make_user("DE", "viewer"))
    html = client.get(URL).content.decode()
    assert "3 movement requests" in html
    rows = table_rows(html)
    assert [re.search(r"Convoy \d", r).group(0) for r in rows] == ["Convoy 1", "Convoy 3", "Convoy 2"]  # by departure
    assert "Germany" in rows[0] and "Waiting for decisions" in rows[0] and "Poland: " in rows[0]
    assert ">12<" in rows[0].replace(" ", "")  # 10 Leopards and 2 Boxers
    assert not re.search(r"\d{4}-\d\d-\d\d|\bpending\b|_", re.sub(r'href="[^"]*"|class="[^"]*"', "", rows[0]))
    by_title = table_rows(client.get(URL, {"sort": "title", "dir": "desc"}).content.decode())
    assert "Convoy 3" in by_title[0]
    found = client.get(URL, {"q": "convoy 2"}).content.decode()
    assert len(table_rows(found)) == 1


def test_the_list_downloads_as_csv_with_every_row_the_user_may_see(movements, make_user, client):
    client.force_login(make_user("DE", "viewer"))
    response = client.get(URL, {"format": "csv", "sort": "title"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Movement", "Requesting state", "Departs", "Vehicles", "Status", "Permissions"]
    assert [r[0].split(": ")[1] for r in rows[1:]] == ["Convoy 1", "Convoy 2", "Convoy 3"]


def test_a_party_the_movements_do_not_concern_sees_none_and_odd_queries_do_no_harm(movements, make_user, client):
    client.force_login(make_user("PT", "viewer"))
    assert "0 movement requests" in client.get(URL).content.decode()
    client.force_login(make_user("DE", "viewer"))
    for query in ({"page": "999"}, {"sort": "nope", "dir": "sideways"}, {"q": "x" * 5000}):
        assert client.get(URL, query).status_code == 200
    assert client.get(URL, {"q": "\x00"}).status_code < 500
    client.logout()
    assert client.get(URL).status_code == 302


def test_the_mobility_pages_link_to_the_movements_list(reference_data, client, make_user):
    client.force_login(make_user("FR", "viewer"))
    page = client.get("/mobility/movements/").content.decode()
    assert 'href="/mobility/movements/all/"' in page and "Search and download movements" in page
