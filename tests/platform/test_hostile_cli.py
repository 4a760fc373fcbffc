"""Bad input to any `accord` command: a clear message and exit 2, never a traceback (exit 1 means "no").

Each of these printed a Python traceback and exited 1 before the CLI ran every
command through one guard (``accord.platform.clitools.GuardedGroup``).
"""

import pytest
from typer.testing import CliRunner

from accord.cli import app

pytestmark = pytest.mark.django_db

# The missions register now answers on any date (issue 15): before the first
# mission, none; before the first published headline, it says there is none.
ANSWERS_ON_ANY_DATE = [
    ["missions", "list", "--on", "0001-01-01"],
    ["missions", "list", "--on", "1990-01-01"],
]

TRACEBACKS_BEFORE = [
    ["missions", "steps", "--on", "0001-01-01"],
    ["commitments", "status", "--on", "0001-01-01"],
    ["commitments", "status", "--on", "1990-01-01"],
    ["commitments", "safe-allocations", "--on", "0001-01-01"],
    ["commitments", "safe-allocations", "--on", "1990-01-01"],
]


@pytest.mark.parametrize("args", ANSWERS_ON_ANY_DATE, ids=" ".join)
def test_the_register_answers_on_any_date_without_a_traceback(reference_data, args):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    assert "No EEAS published figure is recorded before" in " ".join(result.output.split())


@pytest.mark.parametrize("args", TRACEBACKS_BEFORE, ids=" ".join)
def test_a_date_before_the_rules_were_in_force_is_bad_input_not_a_crash(reference_data, args):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    assert "has no value on" in result.output and "choose a date" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["safe", "check", "/nonexistent/case.json"],
        ["parties", "show", "ZZ"],
        ["safe", "parameters", "--on", "99999-01-01"],
        ["move", "plan", "--no-such-option", "x"],
        ["safe", "batch"],
    ],
    ids=" ".join,
)
def test_other_bad_input_keeps_exiting_2_with_a_message(reference_data, args):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output and "Error" in result.output or "•" in result.output


def test_a_refusal_by_the_policy_exits_2_naming_it():
    from accord.platform.clitools import run_guarded
    from accord.platform.policy import Forbidden

    def refused():
        raise Forbidden("only the state's approvers decide")

    with pytest.raises(Exception) as caught:
        run_guarded(refused)
    assert getattr(caught.value, "exit_code", None) == 2
