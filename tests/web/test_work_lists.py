"""Lists people can work with: search, sort, pages and a CSV download, for meetings, actions and spending."""

import csv
import io
import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(make_user):
    from accord.dialogue import services
    from accord.dialogue.reference import load_reference

    load_reference()
    editor = make_user("GB", "editor")
    for n in range(30):
        services.create_meeting(
            editor,
            {
                "title": f"Working group meeting {n:02d}",
                "date": f"2026-01-{n % 28 + 1:02d}",
                "working_group": "indo-pacific" if n % 2 else "western-balkans",
                "actions": [
                    {"description": f'=HYPERLINK("x") action {n:02d}', "owner_party": "GB", "due": "2026-03-01"}
                ],
            },
        )


def rows(html: str) -> list[str]:
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)


def test_meetings_are_paginated_newest_first_and_sorted_on_request(meetings, make_user, client):
    client.force_login(make_user("EEAS", "viewer"))
    first = client.get("/dialogue/meetings/").content.decode()
    assert "30 meetings" in first and len(rows(first)) == 25 and "Page 1 of 2" in first
    assert "28 January 2026" in rows(first)[0]  # newest first, the date in words
    by_title = client.get("/dialogue/meetings/", {"sort": "title", "dir": "asc"}).content.decode()
    assert "Working group meeting 00" in rows(by_title)[0]
    second = client.get("/dialogue/meetings/", {"page": "2"}).content.decode()
    assert len(rows(second)) == 5


def test_a_search_finds_meetings_by_working_group(meetings, make_user, client):
    client.force_login(make_user("EEAS", "viewer"))
    html = client.get("/dialogue/meetings/", {"q": "balkans"}).content.decode()
    assert "15 meetings matching" in html


def test_any_query_value_gives_a_list_never_an_error(meetings, make_user, client):
    client.force_login(make_user("EEAS", "viewer"))
    for params in ({"page": "abc"}, {"page": "-1"}, {"sort": "password"}, {"dir": "sideways"}, {"q": "x" * 5000}):
        assert client.get("/dialogue/meetings/", params).status_code == 200, params
    # Text that is not text (a NUL byte) is refused before the list, in words, on a page of the service.
    refused = client.get("/dialogue/meetings/", {"q": "\x00" * 5000})
    assert refused.status_code == 400 and "govuk-error-summary" in refused.content.decode()


def test_actions_download_as_csv_without_running_as_formulas(meetings, make_user, client):
    client.force_login(make_user("GB", "viewer"))
    response = client.get("/dialogue/actions/", {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="dialogue-actions.csv"' in response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0] == ["Action", "Meeting", "Owner", "Due", "Status"]
    assert len(table) == 31
    assert all(row[0].startswith("'=") for row in table[1:])
    assert table[1][3] == "2026-03-01" and table[1][4].startswith("Open")


def test_a_party_that_may_not_see_the_meetings_gets_an_empty_list_and_an_empty_csv(meetings, make_user, client):
    client.force_login(make_user("FR", "viewer"))
    assert "0 meetings" in client.get("/dialogue/meetings/").content.decode()
    assert len(client.get("/dialogue/meetings/", {"format": "csv"}).content.decode().splitlines()) == 1


def test_spending_figures_of_every_year_can_be_searched_and_downloaded(make_user, client):
    from accord.commitments.reference import load_spending_figures

    load_spending_figures()
    client.force_login(make_user("FR", "viewer"))
    html = client.get("/commitments/figures/", {"q": "Poland"}).content.decode()
    assert "Poland" in html and "4.48" in html and "France" not in "".join(rows(html))
    download = client.get("/commitments/figures/", {"q": "Germany", "format": "csv"}).content.decode()
    table = list(csv.reader(io.StringIO(download)))
    assert table[0][:4] == ["State", "Year", "Measure", "% of GDP"]
    assert all(row[0] == "Germany" for row in table[1:]) and len(table) > 1
