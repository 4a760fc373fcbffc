"""`accord move submit`, `requests` and `decide` as a named user (database)."""

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from .network_builder import future_departure
from .test_mobility_cli import root

FUTURE = future_departure()
pytestmark = pytest.mark.django_db
runner = CliRunner()


def invoke(*args):
    return runner.invoke(root, ["move", *args])


def test_a_request_submitted_on_the_command_line_is_decided_by_each_transit_state(make_user):
    make_user("DE", "editor", username="de-cli")
    make_user("PL", "approver", username="pl-cli")
    make_user("LT", "approver", username="lt-cli")
    r = invoke(
        "submit",
        "--user",
        "de-cli",
        "--from",
        "bergen_hohne",
        "--to",
        "rukla",
        "--depart",
        FUTURE,
        "--vehicles",
        "Leopard 2A7:14",
        "--json",
    )
    assert r.exit_code == 0, r.output
    movement = json.loads(r.stdout)
    assert [p["state"] for p in movement["permissions"]] == ["PL", "LT"]
    assert (
        json.loads(
            invoke("decide", str(movement["id"]), "PL", "--decision", "granted", "--user", "pl-cli", "--json").stdout
        )["status"]
        == "pending"
    )
    out = json.loads(
        invoke("decide", str(movement["id"]), "LT", "--decision", "granted", "--user", "lt-cli", "--json").stdout
    )
    assert out["status"] == "cleared"
    listed = json.loads(invoke("requests", "--user", "lt-cli", "--json").stdout)["movements"]
    assert [m["id"] for m in listed] == [movement["id"]]


def test_deciding_another_states_permission_exits_2(make_user):
    make_user("DE", "editor", username="de-cli2")
    make_user("PL", "approver", username="pl-cli2")
    movement = json.loads(
        invoke(
            "submit",
            "--user",
            "de-cli2",
            "--from",
            "bergen_hohne",
            "--to",
            "rukla",
            "--depart",
            FUTURE,
            "--vehicles",
            "Leopard 2A7:1",
            "--json",
        ).stdout
    )
    r = invoke("decide", str(movement["id"]), "LT", "--decision", "granted", "--user", "pl-cli2")
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_an_unknown_user_exits_2():
    r = invoke("requests", "--user", "nobody")
    assert r.exit_code == 2 and "no active user" in r.output


def test_move_submit_refuses_a_departure_whose_deadlines_have_passed_and_exits_2(make_user):
    make_user("DE", "editor", username="de-late")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    r = invoke(
        "submit",
        "--user",
        "de-late",
        "--from",
        "bergen_hohne",
        "--to",
        "rukla",
        "--depart",
        tomorrow,
        "--vehicles",
        "Leopard 2A7:14",
    )
    assert r.exit_code == 2
    assert "too late" in r.output and "earliest departure" in r.output


def test_a_refusal_on_the_command_line_needs_a_reason_and_is_final(make_user):
    make_user("DE", "editor", username="de-cli3")
    make_user("LT", "approver", username="lt-cli3")
    movement = json.loads(
        invoke(
            "submit",
            "--user",
            "de-cli3",
            "--from",
            "bergen_hohne",
            "--to",
            "rukla",
            "--depart",
            FUTURE,
            "--vehicles",
            "Leopard 2A7:1",
            "--json",
        ).stdout
    )
    no_reason = invoke("decide", str(movement["id"]), "LT", "--decision", "refused", "--user", "lt-cli3")
    assert no_reason.exit_code == 2 and "reason" in no_reason.output
    assert (
        invoke(
            "decide",
            str(movement["id"]),
            "LT",
            "--decision",
            "refused",
            "--reason",
            "Range closed",
            "--user",
            "lt-cli3",
        ).exit_code
        == 0
    )
    again = invoke("decide", str(movement["id"]), "LT", "--decision", "granted", "--user", "lt-cli3")
    assert again.exit_code == 2 and "already decided" in again.output
