"""The subcontractors' shares are parts of the contract value (Regulation (EU) 2025/1106,
Art. 16(4)): the limit is the dated parameter safe.establishment.subcontractor_shares_max_total."""

from __future__ import annotations

import pytest

from accord.errors import InputError
from accord.procurement.engine import parse_case
from accord.rules import load_parameters

from .builders import REGISTRY, case_data, subcontractor

NAME = "safe.establishment.subcontractor_shares_max_total"


def problems(data, **kwargs):
    with pytest.raises(InputError) as caught:
        parse_case(data, registry=REGISTRY, **kwargs)
    return caught.value.problems


def test_the_limit_is_a_dated_parameter_citing_article_16_4():
    param = load_parameters("safe")[NAME]
    assert param.values[0][1] == 1
    assert param.references[0].law == "docs/law/safe-regulation.md#article-16-4"
    assert param.references[0].href.startswith("https://eur-lex.europa.eu/")


def test_shares_adding_up_to_more_than_the_whole_contract_value_are_refused_citing_the_article():
    found = problems(case_data(subcontractors=[subcontractor("GB", 0.6), subcontractor("NO", 0.4000001)]))
    messages = [p.message for p in found if p.field == "subcontractors"]
    assert messages, found
    assert "100.00001%" in messages[0] and "more than 100%" in messages[0]
    assert "Art. 16(4)" in messages[0]


def test_shares_adding_up_to_exactly_the_whole_contract_value_are_accepted():
    case = parse_case(case_data(subcontractors=[subcontractor("GB", 0.6), subcontractor("NO", 0.4)]), registry=REGISTRY)
    assert len(case.subcontractors) == 2


def test_the_rule_reads_the_limit_from_the_parameters_in_force():
    # A scenario halving the limit: 60% is now too much, for one subcontractor and in total.
    params = load_parameters("safe").with_overrides({NAME: 0.5}, scenario="half")
    found = problems(case_data(subcontractors=[subcontractor("GB", 0.3), subcontractor("NO", 0.3)]), params=params)
    assert any(p.field == "subcontractors" and "more than 50%" in p.message for p in found), found
    found = problems(case_data(subcontractors=[subcontractor("GB", 0.6)]), params=params)
    assert any("from 0 to 0.5" in p.message for p in found), found


def test_a_share_that_is_not_a_finite_number_is_refused_not_crashed_on():
    found = problems(case_data(subcontractors=[subcontractor("GB", float("nan"))]))
    assert any(p.field == "subcontractors[0].share_of_contract_value" for p in found), found
