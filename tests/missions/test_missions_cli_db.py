"""`accord missions participations` and `accord missions step` as a named user (database)."""

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from tests.missions.test_missions_cli import accord

pytestmark = pytest.mark.django_db

runner = CliRunner()
DAY = dt.date(2026, 1, 15)


def invoke(*args):
    return runner.invoke(accord(), ["missions", *args])


def invited(make_user):
    from accord.missions import services
    from accord.missions.models import Mission

    council = make_user("COUNCIL", "approver", username="council-cli")
    return services.invite(council, Mission.objects.get(acronym="EUFOR ALTHEA"), "GB", DAY)


def test_the_eeas_lists_the_participation_and_its_next_step(missions_data, make_user):
    p = invited(make_user)
    make_user("EEAS", "editor", username="eeas-cli")
    data = json.loads(invoke("participations", "--user", "eeas-cli", "--on", "2026-01-15", "--json").output)
    (row,) = data["participations"]
    assert row["id"] == p.pk and row["available_actions"] == ["call_for_contributions"]
    assert row["needs_mission_agreement"] is True


def test_a_step_by_the_wrong_party_exits_2_and_a_refused_step_exits_1(missions_data, make_user):
    p = invited(make_user)
    make_user("GB", "approver", username="gb-cli")
    result = invoke("step", str(p.pk), "call_for_contributions", "--user", "gb-cli")
    assert result.exit_code == 2
    assert "Only the European External Action Service may" in " ".join(result.output.split())
    result = invoke("step", str(p.pk), "accept", "--user", "council-cli")
    assert result.exit_code == 1
    assert "is not possible now: the participation is invited" in " ".join(result.output.split())


def test_the_eeas_sends_the_call_from_the_command_line(missions_data, make_user):
    p = invited(make_user)
    make_user("EEAS", "editor", username="eeas-cli")
    result = invoke("step", str(p.pk), "call_for_contributions", "--user", "eeas-cli")
    assert result.exit_code == 0, result.output
    p.refresh_from_db()
    assert p.status == "called"
