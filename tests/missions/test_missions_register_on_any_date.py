"""The register answers on every date, in the CLI, the API and on the page
(issue 15): before the first mission none, on 1 May 2024 the EEAS headline's
24 = 13 civilian + 10 military + 1 civilian-military, and today."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone
from typer.testing import CliRunner

from accord.missions.engine.register import (
    STATUS_END_UNKNOWN,
    STATUS_LAPSED,
    STATUS_ONGOING,
    load_register,
)
from accord.parties import load_registry
from tests.developer_text import INTERNAL_BRIEF

BASE = "/api/v1/missions"
DATES = ["1995-01-01", "2003-01-01", "2024-05-01", "2024-10-13", "2024-10-14", "2100-12-31"]


def cli(*args):
    import typer

    from accord.missions.cli import register

    root = typer.Typer()
    register(root)

    @root.command()
    def version():
        pass

    return CliRunner().invoke(root, ["missions", *args])


@pytest.mark.parametrize("day", DATES)
def test_the_cli_lists_the_register_on_any_date_without_a_traceback(day):
    result = cli("list", "--json", "--on", day)
    assert result.exit_code == 0, result.output
    json.loads(result.output)
    assert cli("list", "--on", day).exit_code == 0


def test_on_1_january_1995_the_register_holds_no_mission_and_says_there_is_no_published_figure():
    data = json.loads(cli("list", "--json", "--on", "1995-01-01", "--all").output)
    assert data["missions"] == []
    assert data["computed_totals"]["missions"] == 0
    assert data["published_headline"] is None
    assert data["first_published_on"] == "2024-10-14"


def test_on_1_may_2024_the_register_counts_the_24_of_the_eeas_headline_13_10_1():
    data = json.loads(cli("list", "--json", "--on", "2024-05-01").output)
    totals = data["computed_totals"]
    assert (totals["missions"], totals["civilian"], totals["military"], totals["civilian_military"]) == (24, 13, 10, 1)
    # EU RACC Sahel is listed, as a cell of EUCAP Sahel Mali, but not counted: the EEAS does not count it either.
    assert "EU RACC SAHEL" in [m["acronym"] for m in data["missions"]]


def test_euam_iraq_lapsed_unless_renewed_after_its_last_recorded_extension_to_30_april_2026():
    iraq = load_register().get("EUAM IRAQ")
    assert iraq.status_on(dt.date(2024, 4, 28)) == STATUS_LAPSED  # the 2022 renewal is not recorded
    assert iraq.status_on(dt.date(2024, 5, 1)) == STATUS_ONGOING  # renewed on 29 April 2024
    assert iraq.mandate_end_on(dt.date(2024, 5, 1)) == dt.date(2026, 4, 30)
    assert iraq.status_on(dt.date(2026, 5, 1)) == STATUS_LAPSED


def test_a_mission_with_no_recorded_end_and_an_old_last_decision_has_its_mandate_end_unknown():
    althea = load_register().get("EUFOR ALTHEA")
    assert althea.status_on(dt.date(2005, 1, 1)) == STATUS_ONGOING
    assert althea.status_on(dt.date(2026, 1, 1)) == STATUS_END_UNKNOWN


def test_a_fact_is_shown_only_from_its_date_and_unknown_before():
    euma = load_register().get("EUMA")
    assert euma.strength_on(dt.date(2023, 12, 31)) is None
    assert euma.strength_on(dt.date(2024, 2, 1)) == 103
    assert euma.as_dict(dt.date(2024, 2, 1))["facts"]["strength"]["source"]["href"].startswith("https://")


def test_no_framework_participation_agreement_is_in_force_before_2004():
    registry = load_registry()
    assert registry.members("CSDP_FPA", on=dt.date(2003, 12, 31)) == frozenset()
    assert {"UA", "TR"} <= registry.members("CSDP_FPA", on=dt.date(2007, 1, 1))
    assert "UA" not in registry.members("CSDP_FPA", on=dt.date(2005, 6, 12))


@pytest.mark.django_db
@pytest.mark.parametrize("day", [*DATES, "", "not-a-date", "0001-01-01", "9999-12-31"])
def test_the_page_and_the_api_answer_on_any_date_never_a_server_error(missions_data, make_user, api_client, day):
    user = make_user("GB", "viewer")
    client = Client()
    client.force_login(user)
    page = client.get(f"/missions/?on={day}")
    assert page.status_code in (200, 400)
    detail = client.get(f"/missions/euam-iraq/?on={day}")
    assert detail.status_code in (200, 400)
    api = api_client(user).get(f"{BASE}/?on={day}")
    assert api.status_code in (200, 422)
    html = page.content.decode()
    for developer_text in (INTERNAL_BRIEF, "null", "mandate_end_unknown", "lapsed_unless_renewed", "None"):
        assert developer_text not in html


@pytest.mark.django_db
def test_today_the_page_lists_the_register_with_plain_statuses(missions_data, make_user):
    client = Client()
    client.force_login(make_user("GB", "viewer"))
    today = timezone.localdate()
    html = client.get("/missions/").content.decode()
    assert f"on {today.day} {today:%B %Y}" in html
    assert "Mandate end unknown" in html or "Ongoing" in html
    iraq = client.get("/missions/euam-iraq/?on=2024-05-01").content.decode()
    assert "30 April 2026" in iraq and "Mandate renewals" in iraq
    assert "32018D1545" in iraq
