"""Migrations apply on an empty database; reference data loads idempotently; the CLI speaks JSON."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from typer.testing import CliRunner

from accord.cli import app
from accord.platform.reference import load_parties


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_setup_migrates_an_empty_sqlite_database_and_loads_reference_data(tmp_path):
    env = {**os.environ, "ACCORD_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    accord = [sys.executable, "-m", "accord.cli"]
    done = subprocess.run([*accord, "setup"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Demo users" in done.stdout and "gb-demo" in done.stdout
    again = subprocess.run([*accord, "setup"], env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "0 created, 0 updated, 0 removed" in again.stdout
    assert "Demo users" not in again.stdout  # credentials are printed once only


@pytest.mark.django_db
def test_loading_the_parties_twice_changes_nothing(reference_data):
    counts = load_parties()
    assert (counts.created, counts.updated, counts.removed) == (0, 0, 0)


@pytest.mark.django_db
def test_parties_show_gb_json_has_eu_membership_ending_2020_nato_since_1949_and_the_sdp(reference_data):
    result = CliRunner().invoke(app, ["parties", "show", "GB", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = {m["framework"]: m for m in data["memberships"]}
    assert rows["EU"]["end"] == "2020-01-31"
    assert rows["NATO"]["start"] == "1949-08-24"
    assert rows["EU_SDP"]["start"] == "2025-05-19"


@pytest.mark.django_db
def test_parties_show_se_json_has_nato_from_7_march_2024(reference_data):
    data = json.loads(CliRunner().invoke(app, ["parties", "show", "SE", "--json"]).output)
    assert [m["start"] for m in data["memberships"] if m["framework"] == "NATO"] == ["2024-03-07"]


@pytest.mark.django_db
def test_parties_show_an_unknown_code_exits_2_with_a_clear_message(reference_data):
    result = CliRunner().invoke(app, ["parties", "show", "QQ"])
    assert result.exit_code == 2 and "no party with code 'QQ'" in result.output


@pytest.mark.django_db
def test_parties_list_json_is_a_stable_list_of_code_name_kind(reference_data):
    data = json.loads(CliRunner().invoke(app, ["parties", "list", "--json"]).output)
    assert all(sorted(row) == ["code", "kind", "name"] for row in data)
    assert [row["code"] for row in data] == sorted(row["code"] for row in data)


@pytest.mark.django_db
def test_token_create_prints_a_token_that_the_api_accepts(make_user, client):
    make_user("PL", "viewer", username="pl-cli")
    result = CliRunner().invoke(app, ["token", "create", "pl-cli"])
    token = result.output.strip()
    assert result.exit_code == 0 and token.startswith("acc_")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()["username"] == "pl-cli"
