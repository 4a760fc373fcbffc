"""Targets are dated parameters, each with a reference and a confidence."""

import datetime as dt
from decimal import Decimal

from accord.commitments.engine.targets import commitments_parameters, target_on, targets_on

PARAMS = commitments_parameters()


def test_the_wales_pledge_of_5_september_2014_sets_two_percent():
    assert target_on(PARAMS, "nato_wales_2014", dt.date(2014, 9, 4)) is None
    wales = target_on(PARAMS, "nato_wales_2014", dt.date(2014, 9, 5))
    assert wales.level == Decimal("2.0") and wales.framework == "NATO"


def test_the_hague_sets_three_and_a_half_percent_core_and_one_and_a_half_resilience_by_2035_reviewed_2029():
    on = dt.date(2025, 6, 25)
    core, resilience = (
        target_on(PARAMS, "nato_hague_2035_core", on),
        target_on(PARAMS, "nato_hague_2035_resilience", on),
    )
    assert (core.level, resilience.level) == (Decimal("3.5"), Decimal("1.5"))
    assert core.deadline == resilience.deadline == dt.date(2035, 12, 31)
    assert core.review_year == resilience.review_year == 2029
    assert (core.measure, resilience.measure) == ("defence", "resilience")


def test_the_uk_target_is_2_5_percent_from_1_april_2027_and_3_5_percent_core_by_2035():
    on = dt.date(2025, 10, 1)
    uk_2027, uk_2035 = target_on(PARAMS, "uk_2027", on), target_on(PARAMS, "uk_2035_core", on)
    assert (uk_2027.level, uk_2027.deadline, uk_2027.state) == (Decimal("2.5"), dt.date(2027, 4, 1), "GB")
    assert (uk_2035.level, uk_2035.state) == (Decimal("3.5"), "GB")


def test_every_target_parameter_has_a_reference_and_a_confidence():
    for name in PARAMS.names("commitments."):
        parameter = PARAMS[name]
        assert parameter.references and parameter.references[0].title, name
        assert parameter.confidence in ("quoted", "secondary", "inferred"), name


def test_readings_of_by_2035_and_within_a_decade_are_marked_inferred():
    on = dt.date(2025, 10, 1)
    assert target_on(PARAMS, "nato_hague_2035_core", on).confidence == "inferred"
    assert target_on(PARAMS, "nato_wales_2014", on).confidence == "inferred"
    assert target_on(PARAMS, "uk_2027", on).confidence == "quoted"


def test_targets_in_force_are_listed_by_deadline():
    listed = [t.id for t in targets_on(PARAMS, dt.date(2025, 10, 1))]
    assert listed[0] == "nato_wales_2014" and listed[1] == "uk_2027"
    assert set(listed) == {
        "nato_wales_2014",
        "uk_2027",
        "nato_hague_2035_core",
        "nato_hague_2035_resilience",
        "uk_2035_core",
    }
