"""Commitments web pages: signed-in users only, chart with a table, allocations, groupings."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, make_user, commitments_data):
    client.force_login(make_user("FR", "viewer"))
    return client


def test_the_pages_need_a_signed_in_user(client, commitments_data):
    for url in ("/commitments/", "/commitments/allocations/", "/commitments/groupings/"):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"], url


def test_the_chart_page_draws_a_bar_per_state_with_a_figure_and_the_nato_target_lines(signed_in):
    html = signed_in.get("/commitments/", {"on": "2025-10-01"}).content.decode()
    svg = html[html.index("<svg", html.index('id="spending-figure"')) : html.index("</figure>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count("<rect") == 24  # 20 NATO estimates + IE, AT, MT, CY; gaps are "no figure"
    assert "NATO 2% guideline (2.00%)" in svg and "NATO 3.5% core defence by 2035 (3.50%)" in svg
    assert "4.48% met" in svg and "2.40% on track" in svg and "GB 2.5% by 2027: on track" in svg
    assert "style=" not in svg  # the CSP forbids inline style


def test_the_chart_has_a_table_alternative_with_every_source(signed_in):
    html = signed_in.get("/commitments/", {"on": "2025-10-01"}).content.decode()
    table = html[html.index('id="spending-table"') :]
    assert "Poland" in table and "4.48%" in table and "Defence Expenditure of NATO Countries" in table
    assert "NATO&#x27;s 2025 estimate is not recorded here yet" in table  # Germany's gap, explained


def test_before_nato_published_its_2025_estimates_the_chart_shows_no_nato_figures(signed_in):
    html = signed_in.get("/commitments/", {"on": "2025-08-27"}).content.decode()
    table = html[html.index('id="spending-table"') :]
    poland = table[table.index('data-state="PL"') :]
    assert "No figure" in poland[: poland.index("</tr>")]


def test_a_bad_date_shows_an_error_summary_not_a_server_error(signed_in):
    response = signed_in.get("/commitments/", {"on": "31/12/2025"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and '<a href="#on">Enter the assessment date as a real date' in page


@pytest.mark.parametrize("on", ["1949-01-01", "2000-01-01", "0001-01-01", "2014-09-04"])
def test_a_date_before_any_rule_was_in_force_says_so_in_words(signed_in, on):
    response = signed_in.get("/commitments/", {"on": on})
    assert response.status_code == 200
    assert "No figures are recorded before 5 September 2014" in response.content.decode()


@pytest.mark.parametrize("on", ["2000-01-01", "2024-05-01", "2025-05-28"])
def test_safe_allocations_before_the_regulation_say_no_figures_are_recorded(signed_in, on):
    response = signed_in.get("/commitments/allocations/", {"on": on})
    assert response.status_code == 200
    assert "No SAFE allocations are recorded before 29 May 2025" in response.content.decode()
    assert "allocations-table" not in response.content.decode()


def test_safe_allocations_are_shown_from_the_day_the_regulation_applies(signed_in):
    assert "allocations-table" in signed_in.get("/commitments/allocations/", {"on": "2025-05-29"}).content.decode()


def test_the_allocations_page_shows_the_60_percent_check_and_the_total(signed_in):
    html = signed_in.get("/commitments/allocations/").content.decode()
    assert 'data-check="three_largest_share"' in html and "51.09%" in html and "Pass" in html
    assert "€150,000,000,000" in html and "€43,734,100,805" in html
    hungary = html[html.index('data-state="HU"') :]
    assert "tied for third largest" in hungary[: hungary.index("</tr>")]  # with France, same amount


def test_the_groupings_page_lists_the_jef_e5_and_the_treaties_with_members_on_the_date(signed_in):
    html = signed_in.get("/commitments/groupings/", {"on": "2024-10-22"}).content.decode()
    assert "Joint Expeditionary Force" in html and "Lancaster House" in html
    trinity = html[html.index('id="grouping-trinity-house-2024"') :]
    trinity = trinity[: trinity.index("</section>")]
    assert "none recorded on this date" in trinity
