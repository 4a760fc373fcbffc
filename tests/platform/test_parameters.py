"""Rules as code: dated parameters, references, scenarios as overrides."""

import datetime as dt

import pytest

from accord.rules.parameters import ParameterError, ParameterNotInForce, load_parameters, load_scenario

CAP = """label: Cap
unit: /1
values:
  2025-05-29: 0.35
  2027-01-01: 0.30
reference:
  - title: Regulation (EU) 2025/1106, Art. 16(10)
    href: https://eur-lex.europa.eu/eli/reg/2025/1106/oj
confidence: quoted
"""


@pytest.fixture
def rules(tmp_path):
    (tmp_path / "safe").mkdir()
    (tmp_path / "safe" / "cap.yaml").write_text(CAP)
    return tmp_path


def test_the_value_in_force_is_the_latest_dated_on_or_before_the_date(rules):
    params = load_parameters("safe", root=rules)
    assert params.value("safe.cap", dt.date(2025, 5, 29)) == 0.35
    assert params.value("safe.cap", dt.date(2026, 12, 31)) == 0.35
    assert params.value("safe.cap", dt.date(2027, 1, 1)) == 0.30


def test_a_date_before_the_first_value_is_not_in_force(rules):
    with pytest.raises(ParameterNotInForce):
        load_parameters("safe", root=rules).value("safe.cap", dt.date(2025, 5, 28))


def test_a_parameter_names_its_reference(rules):
    assert load_parameters("safe", root=rules)["safe.cap"].reference == "Regulation (EU) 2025/1106, Art. 16(10)"


def test_a_scenario_overrides_a_copy_and_leaves_the_baseline_alone(rules):
    baseline = load_parameters("safe", root=rules)
    scenario = load_scenario(baseline, {"name": "tight", "overrides": {"safe.cap": {"2026-01-01": 0.2}}})
    on = dt.date(2026, 6, 1)
    assert scenario.value("safe.cap", on) == 0.2
    assert baseline.value("safe.cap", on) == 0.35
    assert scenario.scenario == "tight" and scenario["safe.cap"].overridden_by == "tight"


def test_a_scenario_overriding_an_unknown_parameter_is_refused(rules):
    with pytest.raises(ParameterError, match="unknown parameter 'safe.kap'"):
        load_scenario(load_parameters("safe", root=rules), {"name": "typo", "overrides": {"safe.kap": 1}})


def test_a_parameter_file_without_a_reference_is_refused(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "bad.yaml").write_text("label: Bad\nvalues:\n  2025-01-01: 1\n")
    with pytest.raises(ParameterError, match="missing field 'reference'"):
        load_parameters("x", root=tmp_path)


def test_an_unknown_confidence_level_is_refused(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "bad.yaml").write_text(CAP.replace("quoted", "rumoured"))
    with pytest.raises(ParameterError, match="confidence"):
        load_parameters("x", root=tmp_path)


def test_every_shipped_parameter_file_is_valid_and_referenced():
    params = load_parameters()
    for name in params.names():
        assert params[name].references, name
