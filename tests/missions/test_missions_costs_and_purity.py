"""Costs of participation and the pure-engine standard."""

import ast
import datetime as dt
from pathlib import Path

import accord.missions.engine as engine
from accord.missions.engine.costs import cost_bearer


def test_a_contribution_that_is_not_a_common_cost_is_borne_by_the_contributor():
    decision = cost_bearer(common_cost=False, on=dt.date(2026, 1, 1))
    assert decision.bearer == "contributor"
    assert decision.mechanism is None


def test_a_common_cost_from_1_july_2021_is_financed_by_the_european_peace_facility():
    decision = cost_bearer(common_cost=True, on=dt.date(2021, 7, 1))
    assert decision.bearer == "common"
    assert decision.mechanism == "European Peace Facility"
    assert "2021/509" in decision.reference
    assert "paid by the EU Member States other than Denmark" in decision.explanation


def test_denmark_paid_no_common_costs_until_its_opt_out_ended_on_1_july_2022():
    assert "other than Denmark" in cost_bearer(common_cost=True, on=dt.date(2022, 6, 30)).explanation
    assert "all EU Member States" in cost_bearer(common_cost=True, on=dt.date(2022, 7, 1)).explanation


def test_a_common_cost_the_day_before_the_european_peace_facility_was_financed_by_athena():
    decision = cost_bearer(common_cost=True, on=dt.date(2021, 6, 30))
    assert decision.bearer == "common"
    assert decision.mechanism == "Athena mechanism"
    assert "2004/197/CFSP" in decision.reference


def test_a_common_cost_before_athena_existed_has_no_recorded_mechanism():
    decision = cost_bearer(common_cost=True, on=dt.date(2004, 2, 29))
    assert decision.bearer == "contributor"
    assert "no common-cost mechanism is recorded on 29 February 2004" in decision.explanation
    assert "applies from 1 March 2004" in decision.explanation


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_no_module_of_the_missions_engine_imports_django():
    files = sorted(Path(engine.__file__).parent.glob("*.py"))
    assert len(files) > 5
    for path in files:
        for module in imported_modules(path):
            assert not module.startswith(("django", "ninja")), f"{path.name} imports {module}"


def test_no_module_of_the_missions_engine_reads_todays_date():
    for path in sorted(Path(engine.__file__).parent.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "date.today" not in text and "datetime.now" not in text, path.name
