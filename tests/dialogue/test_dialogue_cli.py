"""`accord dialogue schedule` and `accord dialogue exercises` (no database)."""

import json

import typer
from typer.testing import CliRunner

from accord.dialogue.cli import register

runner = CliRunner()


def accord():
    root = typer.Typer()
    register(root)

    @root.command()
    def version():  # a second command keeps `dialogue` a sub-group
        pass

    return root


def test_the_schedule_lists_consultations_from_a_date_as_stable_json():
    result = runner.invoke(accord(), ["dialogue", "schedule", "--from", "2026-09-01", "--count", "3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    listed = data["consultations"]
    assert len(listed) == 3
    assert all(c["date"] >= "2026-09-01" for c in listed)
    assert [c["host"] for c in listed][:2] in (["GB", "EU"], ["EU", "GB"])
    assert {b["name"]: b["confidence"] for b in data["basis"]}["dialogue.consultations.first_date"] == "inferred"


def test_consecutive_listed_consultations_are_six_months_apart():
    data = json.loads(runner.invoke(accord(), ["dialogue", "schedule", "--count", "2", "--json"]).output)
    a, b = (c["date"] for c in data["consultations"])
    (ya, ma), (yb, mb) = (tuple(map(int, a.split("-")[:2])), tuple(map(int, b.split("-")[:2])))
    assert (yb * 12 + mb) - (ya * 12 + ma) == data["settings"]["cadence_months"] == 6


def test_a_bad_date_and_a_bad_count_are_both_reported_and_exit_2():
    result = runner.invoke(accord(), ["dialogue", "schedule", "--from", "2026-02-30", "--count", "0"])
    assert result.exit_code == 2
    assert "--from" in result.output and "--count" in result.output
    assert "Traceback" not in result.output


def test_the_exercise_calendar_lists_each_exercise_with_its_source():
    result = runner.invoke(accord(), ["dialogue", "exercises", "--json"])
    assert result.exit_code == 0
    records = json.loads(result.output)["exercises"]
    assert records and all(r["source"]["title"] for r in records)


def test_the_overdue_report_on_the_command_line_shows_only_what_the_user_may_see(
    dialogue_data, make_user, api_client, db
):
    from accord.cli import app

    api_client(make_user("GB", "editor")).post(
        "/api/v1/dialogue/meetings",
        {
            "title": "Indo-Pacific working group",
            "date": "2026-01-20",
            "working_group": "indo-pacific",
            "actions": [{"description": "Share maritime picture", "owner_party": "GB", "due": "2026-02-01"}],
        },
        content_type="application/json",
    )
    make_user("EEAS", "viewer", username="eeas-cli")
    make_user("FR", "viewer", username="fr-cli")
    seen = json.loads(
        runner.invoke(app, ["dialogue", "overdue", "--user", "eeas-cli", "--on", "2026-02-02", "--json"]).output
    )
    assert [(o["description"], o["days_overdue"]) for o in seen["overdue"]] == [("Share maritime picture", 1)]
    hidden = json.loads(
        runner.invoke(app, ["dialogue", "overdue", "--user", "fr-cli", "--on", "2026-02-02", "--json"]).output
    )
    assert hidden["overdue"] == []


def test_the_overdue_report_for_an_unknown_user_exits_2(db):
    from accord.cli import app

    result = runner.invoke(app, ["dialogue", "overdue", "--user", "nobody", "--on", "2026-02-02"])
    assert result.exit_code == 2 and "no active user" in result.output
