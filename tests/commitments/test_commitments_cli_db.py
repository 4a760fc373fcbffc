"""`accord commitments ... --user`: the stored figures, as that user may see them (as the API shows)."""

import json

import pytest
from typer.testing import CliRunner

from accord.cli import app

pytestmark = pytest.mark.django_db

NEW_UK_FIGURE = {
    "state": "GB",
    "year": 2026,
    "percent_gdp": 2.45,
    "source_title": "UK MOD estimate",
    "source_href": "https://www.gov.uk/",
    "published": "2026-03-01",
    "confidence": "quoted",
}


def uk_years(output: str) -> set[int]:
    return {row["figure"]["year"] for row in json.loads(output)["statuses"] if row["figure"]}


def test_a_figure_recorded_through_the_api_shows_in_the_cli_for_a_user_not_in_the_shipped_data(
    commitments_data, make_user, api_client
):
    make_user("FR", "viewer", username="fr-cli-viewer")
    editor = make_user("GB", "editor")
    response = api_client(editor).post("/api/v1/commitments/spending", NEW_UK_FIGURE, content_type="application/json")
    assert response.status_code == 201, response.content
    status = ["commitments", "status", "--on", "2026-03-01", "--state", "GB", "--json"]

    as_user = CliRunner().invoke(app, [*status, "--user", "fr-cli-viewer"])
    assert as_user.exit_code == 0, as_user.output
    assert uk_years(as_user.output) == {2026}
    assert uk_years(CliRunner().invoke(app, status).output) == {2025}


def test_spending_as_a_user_lists_the_stored_figures_with_their_ids(commitments_data, make_user):
    make_user("DE", "viewer", username="de-cli-viewer")
    result = CliRunner().invoke(app, ["commitments", "spending", "--user", "de-cli-viewer", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)["figures"]
    assert figures and all(isinstance(f["id"], int) for f in figures)


def test_an_unknown_user_exits_2_naming_the_option(commitments_data):
    result = CliRunner().invoke(app, ["commitments", "spending", "--user", "nobody", "--json"])
    assert result.exit_code == 2 and "--user: no active user 'nobody'" in result.output
