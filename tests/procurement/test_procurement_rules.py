"""SAFE eligibility rules, written from Regulation (EU) 2025/1106 (docs/law/safe-regulation.md).

Each test states the law it checks in its name; thresholds are tested on both sides.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from accord.errors import InputError

from .builders import case_data, check, subcontractor, verdict

# -- 4. component cost: Art. 16(10) ---------------------------------------------------------


def test_a_polish_lithuanian_purchase_with_36_percent_uk_component_cost_is_not_eligible_on_third_country_terms():
    result = verdict(case_data({"PL": 640, "GB": 360}))
    assert result.eligible is False
    assert check(result, "component_cost").passed is False
    assert result.non_eligible_cost_eur == 360
    assert result.headroom.resource == 10  # N - cT: move €10 to eligible origins at the same price
    assert result.headroom_eur == -Fraction(10) / Fraction(65, 100)  # or cut prices by 10 / (1 - 35%)
    assert check(result, "component_cost").reference == "Regulation (EU) 2025/1106, Art. 16(10)"


def test_non_eligible_component_cost_of_exactly_35_percent_passes():
    result = verdict(case_data({"PL": 650, "GB": 350}))
    assert check(result, "component_cost").passed is True
    assert result.eligible is True
    assert result.headroom_eur == 0
    assert result.headroom.extra_non_eligible == 0  # exactly at the limit: nothing more may be added


def test_non_eligible_component_cost_one_cent_over_35_percent_fails():
    result = verdict(case_data({"PL": 649.99, "GB": 350.01}))
    assert check(result, "component_cost").passed is False
    assert result.headroom.resource == Fraction("0.01")  # exact figures since issue 9 (was the float -0.01)


def test_headroom_is_the_largest_new_non_eligible_component_that_would_still_pass():
    result = verdict(case_data({"PL": 700, "US": 300}))
    assert result.eligible is True
    # 35% of 1000 is 350 and 300 is used, but a new part raises the component cost too:
    # (350 - 300) / (1 - 35%) = 76.92..., not 50 (issue 10)
    assert result.headroom_eur == Fraction(50) / Fraction(65, 100)


def test_the_denominator_is_the_cost_of_all_components_down_the_tree_not_the_contract_value():
    data = case_data()
    data["bom"] = [
        {"id": "GUN", "parent": None, "quantity": 1},
        {"id": "BARREL", "parent": "GUN", "quantity": 2},  # a made assembly, used twice
        {"id": "STEEL", "parent": "BARREL", "quantity": 3, "purchased": True, "unit_cost_eur": 100, "origin": "PL"},
        {"id": "SIGHT", "parent": "GUN", "quantity": 1, "purchased": True, "unit_cost_eur": 300, "origin": "US"},
    ]
    result = verdict(data)
    assert result.component_cost_eur == 2 * 3 * 100 + 300
    assert result.non_eligible_share == pytest.approx(300 / 900)
    assert result.eligible is True


def test_norwegian_components_count_as_eligible_as_norway_is_an_eea_efta_state():
    result = verdict(case_data({"PL": 100, "NO": 900}))
    assert result.non_eligible_cost_eur == 0
    assert result.eligible is True


def test_ukrainian_components_count_as_eligible():
    result = verdict(case_data({"PL": 100, "UA": 900}))
    assert result.non_eligible_cost_eur == 0


def test_components_from_a_country_with_no_agreement_count_as_non_eligible():
    result = verdict(case_data({"PL": 500, "US": 200, "CN": 100, "GB": 200}))
    assert result.non_eligible_cost_eur == 500
    assert result.eligible is False


# -- 1. common procurement -----------------------------------------------------------------------


def test_a_loan_receiving_member_state_buying_with_another_member_state_is_a_common_procurement():
    result = verdict(case_data(procurers=["PL", "LT"], loan_recipients=["PL"]))
    assert check(result, "common_procurement").passed is True


def test_a_loan_receiving_member_state_buying_with_norway_is_a_common_procurement():
    result = verdict(case_data(procurers=["PL", "NO"], loan_recipients=["PL"]))
    assert check(result, "common_procurement").passed is True


def test_a_loan_receiving_member_state_buying_with_ukraine_is_a_common_procurement():
    result = verdict(case_data(procurers=["LT", "UA"], loan_recipients=["LT"]))
    assert check(result, "common_procurement").passed is True


def test_two_member_states_without_a_safe_allocation_do_not_make_a_common_procurement():
    result = verdict(case_data(procurers=["DE", "NL"], loan_recipients=["DE"]))
    assert check(result, "common_procurement").passed is False
    assert result.eligible is False


def test_before_the_allocations_of_9_september_2025_no_member_state_receives_safe_loans():
    before = verdict(case_data(), on=dt.date(2025, 9, 8))
    after = verdict(case_data(), on=dt.date(2025, 9, 9))
    assert check(before, "common_procurement").passed is False
    assert check(after, "common_procurement").passed is True


def test_the_uk_may_join_a_common_procurement_as_an_additional_procurer_being_an_sdp_country():
    result = verdict(case_data(procurers=["PL", "LT", "GB"], loan_recipients=["PL"]))
    assert check(result, "additional_procurers").passed is True
    assert result.eligible is True


def test_the_united_states_may_not_join_a_common_procurement_as_a_procurer():
    result = verdict(case_data(procurers=["PL", "LT", "US"], loan_recipients=["PL"]))
    assert check(result, "additional_procurers").passed is False
    assert result.eligible is False


# -- 2. transitional single-state window (inferred date) -----------------------------------------


def test_a_single_state_purchase_signed_on_30_may_2026_is_inside_the_transitional_window():
    result = verdict(case_data(procurers=["PL"], contract_signed="2026-05-30"))
    assert check(result, "single_state_window").passed is True
    assert "[inferred]" in check(result, "single_state_window").reference
    assert result.eligible is True


def test_a_single_state_purchase_signed_on_31_may_2026_is_outside_the_transitional_window():
    result = verdict(case_data(procurers=["PL"], contract_signed="2026-05-31"))
    assert check(result, "single_state_window").passed is False
    assert result.eligible is False


def test_a_polish_purchase_joined_only_by_the_uk_is_a_single_state_procurement():
    result = verdict(case_data(procurers=["PL", "GB"], contract_signed="2026-05-31"))
    assert check(result, "single_state_window").passed is False
    assert check(result, "additional_procurers").passed is True


# -- 3. establishment and control, Art. 16(3)-(4) ------------------------------------------------


def test_a_contractor_established_in_the_uk_is_not_eligible():
    data = case_data(contractor={"name": "UK Prime", "established_in": "GB", "controlled_from": "GB"})
    result = verdict(data)
    assert check(result, "establishment_and_control").passed is False
    assert result.eligible is False


def test_a_polish_contractor_controlled_from_the_united_states_is_not_eligible():
    data = case_data(contractor={"name": "US-owned", "established_in": "PL", "controlled_from": "US"})
    assert check(verdict(data), "establishment_and_control").passed is False


def test_a_polish_contractor_controlled_from_the_united_states_may_take_part_after_screening_and_guarantees():
    data = case_data(
        contractor={"name": "US-owned", "established_in": "PL", "controlled_from": "US", "guarantees_approved": True}
    )
    assert check(verdict(data), "establishment_and_control").passed is True


def test_a_uk_subcontractor_with_15_percent_and_a_contract_before_29_may_2025_is_covered_by_the_derogation():
    data = case_data(subcontractors=[subcontractor("GB", 0.15, contract_before="2025-05-28")])
    result = verdict(data)
    assert check(result, "subcontractor_derogation").passed is True
    assert result.eligible is True


def test_a_uk_subcontractor_with_14_9_percent_is_outside_the_reported_derogation_range():
    data = case_data(subcontractors=[subcontractor("GB", 0.149, contract_before="2025-05-28")])
    assert check(verdict(data), "subcontractor_derogation").passed is False


def test_a_uk_subcontractor_with_35_percent_and_a_committed_replacement_study_is_covered_by_the_derogation():
    data = case_data(subcontractors=[subcontractor("GB", 0.35, replacement_study_committed=True)])
    assert check(verdict(data), "subcontractor_derogation").passed is True


def test_a_uk_subcontractor_with_35_1_percent_is_not_covered_by_the_derogation():
    data = case_data(subcontractors=[subcontractor("GB", 0.351, replacement_study_committed=True)])
    assert check(verdict(data), "subcontractor_derogation").passed is False


def test_a_subcontract_signed_on_29_may_2025_is_not_a_pre_existing_contract():
    data = case_data(subcontractors=[subcontractor("GB", 0.2, contract_before="2025-05-29")])
    assert check(verdict(data), "subcontractor_derogation").passed is False


def test_an_eligible_subcontractor_needs_no_derogation_whatever_its_share():
    data = case_data(subcontractors=[subcontractor("DE", 0.6)])
    result = verdict(data)
    assert [c.rule for c in result.checks].count("subcontractor_derogation") == 0
    assert all(c.passed for c in result.checks if c.rule == "establishment_and_control")


# -- 5. design authority (Category 2) -------------------------------------------------------------


def test_a_category_2_product_with_design_authority_in_the_united_states_is_not_eligible():
    contractor = {"name": "Prime", "established_in": "FR", "controlled_from": "FR", "design_authority_in": "US"}
    result = verdict(case_data(category=2, contractor=contractor))
    assert check(result, "design_authority").passed is False
    assert result.eligible is False


def test_a_category_2_product_with_design_authority_in_france_passes():
    contractor = {"name": "Prime", "established_in": "FR", "controlled_from": "FR", "design_authority_in": "FR"}
    assert check(verdict(case_data(category=2, contractor=contractor)), "design_authority").passed is True


def test_design_authority_outside_the_eu_does_not_matter_for_a_category_1_product():
    contractor = {"name": "Prime", "established_in": "FR", "controlled_from": "FR", "design_authority_in": "US"}
    assert check(verdict(case_data(category=1, contractor=contractor)), "design_authority").passed is True


def test_a_category_2_product_without_a_stated_design_authority_fails():
    contractor = {"name": "Prime", "established_in": "FR", "controlled_from": "FR"}
    assert check(verdict(case_data(category=2, contractor=contractor)), "design_authority").passed is False


# -- 6. excluded third countries ------------------------------------------------------------------


def test_the_baseline_lists_no_excluded_third_country():
    assert check(verdict(case_data({"PL": 900, "US": 100})), "excluded_third_country").passed is True


def test_components_from_a_listed_third_country_exclude_the_procurement_whatever_their_share():
    scenario = {"name": "ru-excluded", "overrides": {"safe.exclusion.excluded_third_countries": ["RU"]}}
    result = verdict(case_data({"PL": 999, "RU": 1}), scenario=scenario)
    assert check(result, "component_cost").passed is True
    assert check(result, "excluded_third_country").passed is False
    assert result.eligible is False


# -- 7. participation agreements: Canada (baseline) and the UK (scenario) ------------------------


def test_canadian_components_count_as_eligible_within_the_80_percent_cap():
    result = verdict(case_data({"PL": 200, "CA": 800}))
    assert result.non_eligible_cost_eur == 0
    assert result.eligible is True
    assert [a.country for a in result.agreements] == ["CA"]


def test_canadian_components_over_the_80_percent_cap_count_as_non_eligible_for_the_excess_only():
    result = verdict(case_data({"CA": 900, "GB": 100}))
    agreement = result.agreements[0]
    assert agreement.counted_eligible_eur == 800
    assert agreement.counted_non_eligible_eur == 100
    assert result.non_eligible_cost_eur == 200  # CA excess 100 + UK 100
    assert result.eligible is True


def test_canadian_components_before_the_agreement_applies_in_february_2026_are_third_country_content():
    # Issue 9: negotiations ended on 1 December 2025, but the agreement applies from its signature
    # and provisional application in February 2026 (accession reported 18 February 2026).
    data = case_data({"PL": 600, "CA": 400})
    assert verdict(data, on=dt.date(2025, 12, 1)).eligible is False
    assert verdict(data, on=dt.date(2026, 2, 17)).eligible is False
    assert verdict(data, on=dt.date(2026, 2, 18)).eligible is True


def test_a_canadian_subcontractor_counts_as_eligible_under_the_agreement():
    data = case_data(subcontractors=[subcontractor("CA", 0.6)])
    result = verdict(data)
    entity_checks = [c for c in result.checks if c.rule == "establishment_and_control"]
    assert [c.passed for c in entity_checks] == [True, True]  # the contractor, then the subcontractor
    assert "participation agreement" in entity_checks[1].detail
    assert result.eligible is True
    assert verdict(data, on=dt.date(2025, 11, 30)).eligible is False


def test_without_an_agreement_uk_industry_takes_part_on_third_country_terms():
    result = verdict(case_data({"PL": 600, "GB": 400}), on=dt.date(2027, 6, 1))
    assert result.agreements == ()
    assert result.non_eligible_cost_eur == 400


def test_under_the_uk_participation_scenario_uk_components_count_as_eligible_from_the_agreement_date():
    data = case_data({"PL": 600, "GB": 400})
    before = verdict(data, scenario="uk-participation", on=dt.date(2026, 12, 31))
    after = verdict(data, scenario="uk-participation", on=dt.date(2027, 1, 1))
    assert before.eligible is False
    assert any("after the assessment date" in w for w in before.warnings)
    assert after.eligible is True
    assert after.scenario == "uk-participation"


def test_under_the_uk_participation_scenario_uk_components_over_the_50_percent_cap_are_non_eligible():
    result = verdict(case_data({"PL": 200, "GB": 800}), scenario="uk-participation", on=dt.date(2027, 1, 1))
    assert result.non_eligible_cost_eur == 300
    assert result.eligible is True
    over = verdict(case_data({"GB": 900, "US": 100}), scenario="uk-participation", on=dt.date(2027, 1, 1))
    assert over.non_eligible_cost_eur == 500
    assert over.eligible is False


def test_a_scenario_file_can_set_its_own_uk_agreement_date_and_cap(tmp_path):
    scenario = tmp_path / "uk-early.yaml"
    scenario.write_text(
        "name: uk-early\nlabel: UK agreement from 2026-01-01, cap 30%\noverrides:\n"
        "  safe.participation.GB.in_force: {2026-01-01: true}\n"
        "  safe.participation.GB.component_cap: {2026-01-01: 0.3}\n",
        encoding="utf-8",
    )
    result = verdict(case_data({"PL": 500, "GB": 500}), scenario=scenario)
    assert result.scenario == "uk-early"
    assert result.non_eligible_cost_eur == 200  # 500 - 30% of 1000
    assert result.eligible is True


# -- dates ------------------------------------------------------------------------------------------


def test_a_case_cannot_be_assessed_before_safe_entered_into_force_on_29_may_2025():
    with pytest.raises(InputError) as error:
        verdict(case_data(), on=dt.date(2025, 5, 28))
    assert error.value.problems[0].field == "assessment_date"
    assert verdict(case_data(), on=dt.date(2025, 5, 29)).assessment_date == dt.date(2025, 5, 29)


def test_a_scenario_with_an_unusable_value_is_refused_as_bad_input_not_a_crash():
    scenario = {"name": "broken", "overrides": {"safe.component_cost.non_eligible_cap": "a third"}}
    with pytest.raises(InputError) as error:
        verdict(case_data(), scenario=scenario)
    assert error.value.problems[0].field == "scenario"
