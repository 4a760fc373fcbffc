"""Force generation (EU Concept for Force Generation): statement of
requirements, offers with caveats, contributor cap, gaps with reasons."""

import datetime as dt
from fractions import Fraction

import pytest

from accord.errors import InputError
from accord.missions.engine.forcegen import contributor_cap_units, optimise
from accord.missions.engine.forcegen_input import parse_forcegen
from accord.parties import load_registry

REGISTRY = load_registry()


def req(id, capability="infantry_company", quantity=1, **kw):
    return {
        "id": id,
        "capability": capability,
        "quantity": quantity,
        "needed_from": kw.pop("needed_from", "2027-03-01"),
        "duration_days": kw.pop("duration_days", 180),
        **kw,
    }


def offer(id, party, capability="infantry_company", quantity=1, **kw):
    return {
        "id": id,
        "party": party,
        "capability": capability,
        "quantity": quantity,
        "available_from": kw.pop("available_from", "2027-02-01"),
        **kw,
    }


def solve(requirements, offers, **extra):
    data = {"date": "2027-01-01", "requirements": requirements, "offers": offers, **extra}
    return optimise(parse_forcegen(data, registry=REGISTRY), registry=REGISTRY)


def allocation(result):
    return sorted((a.offer.id, a.requirement.id, a.quantity) for a in result.allocations)


# ------------------------------------------------------------------ optimum


def test_the_optimiser_fills_both_requirements_where_a_greedy_choice_would_leave_one_empty():
    # Germany excludes Sarajevo, so France must go to Sarajevo and Germany to Mostar.
    result = solve(
        [req("R1", area="Mostar"), req("R2", area="Sarajevo")],
        [offer("O1", "FR"), offer("O2", "DE", excluded_areas=["Sarajevo"])],
        max_contributor_share=1,
    )
    assert allocation(result) == [("O1", "R2", 1), ("O2", "R1", 1)]
    assert result.total_filled == 2
    assert result.gaps == ()
    assert result.solver_status == "OPTIMAL"


def test_of_two_equal_offers_the_one_available_earlier_is_preferred():
    result = solve(
        [req("R1")],
        [offer("LATE", "FR", available_from="2027-02-20"), offer("EARLY", "DE", available_from="2027-01-05")],
    )
    assert allocation(result) == [("EARLY", "R1", 1)]


def test_among_allocations_filling_every_unit_the_earliest_available_combination_is_chosen():
    # Cap floor(0.67 x 3) = 2 units per contributor, so three units need two contributors.
    # Spain (1 Jan) is earliest, then Italy (25 Feb), then Portugal (26 Feb).
    result = solve(
        [req("R1", quantity=3)],
        [
            offer("ES", "ES", quantity=1, available_from="2027-01-01"),
            offer("IT", "IT", quantity=3, available_from="2027-02-25"),
            offer("PT", "PT", quantity=3, available_from="2027-02-26"),
        ],
        max_contributor_share=0.67,
    )
    assert result.total_filled == 3
    assert allocation(result) == [("ES", "R1", 1), ("IT", "R1", 2)]


def test_a_later_offer_is_used_rather_than_leaving_the_requirement_unfilled():
    result = solve(
        [req("R1", tasks=["patrol"])],
        [
            offer("EARLY", "FR", available_from="2027-01-01", excluded_tasks=["patrol"]),
            offer("LATE", "DE", available_from="2027-02-28"),
        ],
    )
    assert allocation(result) == [("LATE", "R1", 1)]


# ------------------------------------------------------------------ caveats


def test_an_offer_excluding_a_required_task_leaves_a_gap_that_names_the_task():
    result = solve(
        [req("R1", tasks=["crowd_control", "patrol"])],
        [offer("O1", "NO", excluded_tasks=["crowd_control"])],
        invited=["NO"],
    )
    assert result.total_filled == 0
    (gap,) = result.gaps
    assert gap.missing == 1
    assert gap.reasons == ("offer O1 (Norway): excludes task crowd_control",)


def test_an_offer_available_on_the_first_day_needed_can_fill_it_one_day_later_cannot():
    on_time = solve([req("R1", needed_from="2027-03-01")], [offer("O1", "FR", available_from="2027-03-01")])
    late = solve([req("R1", needed_from="2027-03-01")], [offer("O1", "FR", available_from="2027-03-02")])
    assert on_time.total_filled == 1
    assert late.total_filled == 0
    assert "after the requirement starts on 1 March 2027" in late.gaps[0].reasons[0]


def test_a_maximum_duration_equal_to_the_need_is_enough_one_day_less_is_not():
    enough = solve([req("R1", duration_days=180)], [offer("O1", "FR", max_duration_days=180)])
    short = solve([req("R1", duration_days=180)], [offer("O1", "FR", max_duration_days=179)])
    assert enough.total_filled == 1
    assert short.total_filled == 0
    assert short.gaps[0].reasons == ("offer O1 (France): maximum duration 179 days, the requirement needs 180",)


def test_an_offer_ending_before_the_requirement_ends_cannot_fill_it():
    # 2027-03-01 for 180 days: the last day needed is 2027-08-27.
    fits = solve([req("R1")], [offer("O1", "FR", available_until="2027-08-27")])
    ends_early = solve([req("R1")], [offer("O1", "FR", available_until="2027-08-26")])
    assert fits.total_filled == 1
    assert "before the requirement ends on 27 August 2027" in ends_early.gaps[0].reasons[0]


def test_a_civilian_post_is_filled_only_by_an_offer_for_the_same_job_description():
    result = solve(
        [req("R1", capability="civilian_post", job_description="ROL-ADV")],
        [offer("O1", "IE", capability="civilian_post", job_description="POL-ADV")],
    )
    assert result.total_filled == 0
    assert "offers a police adviser post, not a rule of law adviser post" in result.gaps[0].reasons[0]


# ------------------------------------------------------------------ contributor cap


def test_the_contributor_cap_binds_a_third_state_at_half_of_four_companies_in_personnel():
    requirements = [req("R1", quantity=4)]  # four infantry companies of about 150: 600 personnel
    offers = [offer("NO", "NO", quantity=4), offer("CA", "CA", quantity=1)]
    capped = solve(requirements, offers, max_contributor_share=0.5, invited=["NO", "CA"])
    assert capped.cap_units == 300  # personnel: two companies
    assert allocation(capped) == [("CA", "R1", 1), ("NO", "R1", 2)]
    assert capped.gaps[0].missing == 1
    assert "Norway has reached the cap of 300 personnel" in " ".join(capped.gaps[0].reasons)
    uncapped = solve(requirements, offers, max_contributor_share=1, invited=["NO", "CA"])
    assert uncapped.total_filled == 4


def test_a_member_state_is_not_capped():
    result = solve([req("R1", quantity=4)], [offer("FR", "FR", quantity=4)], max_contributor_share=0.25)
    assert result.total_filled == 4
    assert result.contributors[0]["capped"] is False


def test_the_cap_weighs_units_by_personnel_so_a_staff_officer_is_not_a_medical_facility():
    # 1 role 2 medical facility (about 60) and 10 staff officer posts (1 each): 70 personnel, half is 35,
    # but never below the largest single unit (60). Counted in units (5 of 11) Norway could give the
    # facility and four posts; counted in personnel it gives the facility or the posts, never both.
    requirements = [req("R1", capability="role2_medical"), req("R2", capability="staff_officer", quantity=10)]
    offers = [offer("O1", "NO", capability="role2_medical"), offer("O2", "NO", capability="staff_officer", quantity=10)]
    result = solve(requirements, offers, max_contributor_share=0.5, invited=["NO"])
    assert result.cap_units == 60
    assert result.contributors[0]["personnel_allocated"] <= 60
    assert not (result.filled("R1") and result.filled("R2"))
    counted_as_units = solve(
        [req("R2", capability="staff_officer", quantity=10)],
        [offer("O2", "NO", capability="staff_officer", quantity=10)],
        max_contributor_share=0.5,
        invited=["NO"],
    )
    assert counted_as_units.filled("R2") == 5


def test_an_uninvited_third_state_is_left_out():
    result = solve(
        [req("R1", capability="staff_officer", quantity=2)], [offer("O1", "GB", capability="staff_officer", quantity=2)]
    )
    assert result.total_filled == 0
    assert result.gaps[0].reasons == (
        "offer O1 (the United Kingdom): The United Kingdom is neither an EU Member State nor invited to the mission",
    )
    invited = solve(
        [req("R1", capability="staff_officer", quantity=2)],
        [offer("O1", "GB", capability="staff_officer", quantity=2)],
        invited=["GB"],
        max_contributor_share=1,
    )
    assert invited.total_filled == 2


def test_two_rotations_fill_a_year():
    # Austria from March to August, Ireland from September to February: a 365-day requirement, filled.
    year = [req("R1", capability="staff_officer", needed_from="2027-03-01", duration_days=365, rotation=True)]
    rotations = [
        offer("AT", "AT", capability="staff_officer", available_from="2027-03-01", available_until="2027-08-31"),
        offer("IE", "IE", capability="staff_officer", available_from="2027-09-01", available_until="2028-02-29"),
    ]
    result = solve(year, rotations)
    assert result.filled("R1") == 1 and not result.gaps
    assert [(a.offer.id, a.serves_from.isoformat(), a.serves_until.isoformat()) for a in result.allocations] == [
        ("AT", "2027-03-01", "2027-08-31"),
        ("IE", "2027-09-01", "2028-02-28"),
    ]
    # Without rotation, neither covers the year alone.
    assert solve([{**year[0], "rotation": False}], rotations).total_filled == 0
    # A day's gap between them leaves the requirement unfilled, and the gap says why.
    gap = solve(year, [rotations[0], {**rotations[1], "available_from": "2027-09-02"}])
    assert gap.total_filled == 0
    assert "no contribution covers the rest" in " ".join(gap.gaps[0].reasons)


def test_a_hand_over_overlap_is_required_when_the_parameter_asks_for_it():
    from accord.rules.parameters import load_parameters

    params = load_parameters("missions").with_overrides(
        {"missions.forcegen.handover_overlap_days": 7}, scenario="a week's hand-over"
    )
    data = {
        "date": "2027-01-01",
        "invited": [],
        "offers": [
            offer("AT", "AT", capability="staff_officer", available_from="2027-03-01", available_until="2027-08-31"),
            offer("IE", "IE", capability="staff_officer", available_from="2027-09-01", available_until="2028-02-29"),
        ],
        "requirements": [req("R1", capability="staff_officer", duration_days=365, rotation=True)],
    }
    inp = parse_forcegen(data, registry=REGISTRY)
    assert optimise(inp, registry=REGISTRY, params=params).total_filled == 0
    data["offers"][1]["available_from"] = "2027-08-25"  # a week's hand-over
    assert optimise(parse_forcegen(data, registry=REGISTRY), registry=REGISTRY, params=params).total_filled == 1


def test_a_higher_priority_requirement_is_filled_first():
    requirements = [
        req("R1", capability="staff_officer", priority=2),
        req("R2", capability="staff_officer", priority=1),
    ]
    result = solve(requirements, [offer("O1", "FR", capability="staff_officer")])
    assert result.filled("R2") == 1 and result.filled("R1") == 0


def test_a_reserve_is_listed_against_the_requirements_it_could_fill_never_allocated():
    result = solve(
        [req("R1", capability="staff_officer")], [offer("O1", "FR", capability="staff_officer", reserve=True)]
    )
    assert result.total_filled == 0
    assert result.as_dict()["reserves"] == [{"offer": "O1", "party": "FR", "requirement": "R1", "quantity": 1}]


def test_the_cap_comes_from_the_parameter_unless_the_file_sets_it():
    result = solve([req("R1", quantity=4)], [offer("FR", "FR", quantity=4)])
    assert result.share_source == "parameter"
    assert result.share == Fraction(1, 2)


def test_the_cap_is_floored_exactly_and_never_below_one_unit():
    assert contributor_cap_units(Fraction("0.29"), 100) == 29
    assert contributor_cap_units(Fraction("0.5"), 5) == 2
    assert contributor_cap_units(Fraction("0.5"), 1) == 1


def test_a_single_required_unit_can_be_filled_by_one_contributor_under_a_half_share_cap():
    assert solve([req("R1")], [offer("O1", "FR")], max_contributor_share=0.5).total_filled == 1


# ------------------------------------------------------------------ gaps, never a crash


def test_requirements_without_any_offer_are_reported_as_gaps_not_errors():
    result = solve([req("R1", capability="role2_medical", quantity=1)], [])
    assert result.total_filled == 0
    assert result.gaps[0].reasons == ("no offer of Role 2 medical facility",)
    assert result.as_dict()["totals"] == {"required": 1, "filled": 0, "missing": 1}


def test_an_offer_used_up_elsewhere_is_named_in_the_gap():
    result = solve(
        [req("R1", area="Mostar"), req("R2", area="Sarajevo")],
        [offer("O1", "FR", excluded_areas=["Sarajevo"])],
        max_contributor_share=1,
    )
    assert allocation(result) == [("O1", "R1", 1)]
    assert result.gaps[0].requirement.id == "R2"
    assert result.gaps[0].reasons == ("offer O1 (France): excludes area Sarajevo",)


def test_an_offer_of_zero_units_is_accepted_as_input_and_explained_as_a_gap():
    result = solve([req("R1")], [offer("O1", "FR", quantity=0)])
    assert result.gaps[0].reasons == ("offer O1 (France): offers no units",)


def test_an_empty_statement_of_requirements_allocates_nothing():
    result = solve([], [offer("O1", "FR")])
    assert result.allocations == () and result.gaps == ()


def test_a_third_state_without_an_fpa_is_flagged_among_contributors():
    result = solve([req("R1", quantity=2)], [offer("GB", "GB"), offer("NO", "NO")], max_contributor_share=1)
    flags = {c["party"]: c["needs_mission_agreement"] for c in result.contributors}
    assert flags == {"GB": True, "NO": False}


# ------------------------------------------------------------------ bad input


def problems_of(data):
    with pytest.raises(InputError) as exc:
        parse_forcegen(data, registry=REGISTRY)
    return {(p.field, p.message) for p in exc.value.problems}


def test_unknown_capability_negative_quantity_and_unknown_party_are_all_reported_at_once():
    problems = problems_of(
        {
            "date": "2027-01-01",
            "requirements": [req("R1", capability="battleship"), req("R2", quantity=-1)],
            "offers": [offer("O1", "ZZ")],
        }
    )
    fields = {f for f, _ in problems}
    assert {"requirements[0].capability", "requirements[1].quantity", "offers[0].party"} <= fields
    assert any("negative" in m for f, m in problems if f == "requirements[1].quantity")
    assert any("“ZZ” is not a state known to the service" in m for f, m in problems)


def test_an_offer_from_an_institution_is_refused():
    problems = problems_of({"date": "2027-01-01", "requirements": [req("R1")], "offers": [offer("O1", "EEAS")]})
    assert any(f == "offers[0].party" and "institution" in m for f, m in problems)


def test_a_civilian_post_without_a_known_job_description_is_refused():
    problems = problems_of(
        {"date": "2027-01-01", "requirements": [req("R1", capability="civilian_post")], "offers": []}
    )
    assert any(f == "requirements[0].job_description" for f, _ in problems)


def test_duplicate_ids_bad_dates_and_a_share_above_one_are_refused():
    problems = problems_of(
        {
            "date": "someday",
            "max_contributor_share": 1.5,
            "requirements": [req("R1"), req("R1", needed_from="2027-02-30")],
            "offers": [],
        }
    )
    fields = {f for f, _ in problems}
    assert {"(file).date", "max_contributor_share", "requirements[1].id", "requirements[1].needed_from"} <= fields


def test_a_file_without_requirements_or_offers_lists_is_refused():
    problems = problems_of({"date": "2027-01-01"})
    assert {f for f, _ in problems} == {"requirements", "offers"}


def test_the_date_given_on_the_command_line_replaces_the_files_date():
    inp = parse_forcegen({"requirements": [], "offers": []}, registry=REGISTRY, on=dt.date(2027, 5, 1))
    assert inp.date == dt.date(2027, 5, 1)
