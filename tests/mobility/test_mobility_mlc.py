"""Military Load Classification (STANAG 2021), from the tonnage table in the parameters."""

import datetime as dt

from accord.mobility.engine.mlc import class_for_mass, route_class, vehicle_fits_class
from accord.mobility.engine.planner import shipped_catalogue
from accord.mobility.engine.rules import mobility_parameters, planning_rules

TABLE = planning_rules(mobility_parameters(), dt.date(2026, 1, 1)).mlc_table


def test_a_tracked_vehicle_of_exactly_the_class_tonnage_is_in_that_class():
    assert class_for_mass(36.3, "tracked", TABLE) == 40


def test_a_tracked_vehicle_just_above_the_class_tonnage_is_in_the_next_class():
    assert class_for_mass(36.4, "tracked", TABLE) == 50


def test_wheeled_tonnages_are_higher_than_tracked_for_the_same_class():
    assert class_for_mass(42.6, "wheeled", TABLE) == 40
    assert class_for_mass(42.6, "tracked", TABLE) == 50


def test_a_66_tonne_challenger_3_is_treated_as_mlc_80_rounding_up():
    challenger = shipped_catalogue().find("Challenger 3")
    assert challenger.mass_t == 66
    assert challenger.load_class(TABLE) == (80, "from mass (STANAG 2021 tonnage table, rounded up)")


def test_a_load_above_mlc_150_the_top_of_the_stanag_2021_ladder_has_no_class_in_the_table():
    top = TABLE[150]["wheeled"]
    assert class_for_mass(top + 0.1, "wheeled", TABLE) is None
    assert class_for_mass(125.2, "wheeled", TABLE) == 120


def test_the_stanag_2021_ladder_has_its_16_classes_from_4_to_150():
    assert sorted(TABLE) == [4, 8, 12, 16, 20, 24, 30, 40, 50, 60, 70, 80, 90, 100, 120, 150]


def test_a_tracked_vehicle_of_class_n_weighs_n_short_tons():
    for mlc, tonnage in TABLE.items():
        assert abs(tonnage["tracked"] - mlc * 0.90718474) < 0.06


def test_a_7_5_tonne_foxhound_is_mlc_8_not_40():
    foxhound = shipped_catalogue().find("Foxhound")
    assert foxhound.load_class(TABLE) == (8, "from mass (STANAG 2021 tonnage table, rounded up)")


def test_the_lowest_bridge_class_on_a_route_sets_the_route_class():
    assert route_class([80, 50, None, 120]) == 50


def test_a_vehicle_may_cross_a_bridge_of_its_own_class_but_not_a_lower_one():
    assert vehicle_fits_class(70, 70)
    assert not vehicle_fits_class(70, 50)
