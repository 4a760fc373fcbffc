"""Groupings register: JEF and E5 from accord.parties, bilateral treaties with dated membership."""

import datetime as dt

import pytest

from accord.commitments.engine.groupings import load_treaties, parse_treaties, register
from accord.errors import InputError
from accord.parties import load_registry

REGISTRY = load_registry()
TREATIES = {t.id: t for t in load_treaties()}


def grouping(gid):
    return next(g for g in register(REGISTRY, TREATIES.values()) if g.id == gid)


def test_the_jef_has_ten_members_led_by_the_uk_as_the_parties_registry_records():
    members = grouping("JEF").members_on(dt.date(2025, 1, 1))
    assert members == sorted(REGISTRY.members("JEF", on=dt.date(2025, 1, 1)))
    assert len(members) == 10 and "GB" in members


def test_the_e5_is_france_germany_italy_poland_and_the_uk():
    assert grouping("E5").members_on(dt.date(2025, 3, 12)) == ["DE", "FR", "GB", "IT", "PL"]


def test_the_register_lists_the_coalition_of_the_willing_even_without_a_citable_member_list():
    coalition = grouping("COALITION_OF_THE_WILLING")
    assert coalition.origin == "accord.parties" and coalition.source["title"]


def test_the_lancaster_house_treaties_bind_the_uk_and_france_from_2_november_2010():
    lancaster = TREATIES["lancaster-house-2010"]
    assert lancaster.members_on(dt.date(2010, 11, 1)) == []
    assert lancaster.members_on(dt.date(2010, 11, 2)) == ["FR", "GB"]


def test_the_trinity_house_agreement_binds_the_uk_and_germany_from_23_october_2024():
    trinity = TREATIES["trinity-house-2024"]
    assert trinity.members_on(dt.date(2024, 10, 22)) == []
    assert trinity.members_on(dt.date(2024, 10, 23)) == ["DE", "GB"]


def test_the_uk_estonia_defence_roadmap_dates_from_october_2024():
    roadmap = TREATIES["uk-estonia-roadmap-2024"]
    assert roadmap.signed.year == 2024 and roadmap.signed.month == 10
    assert roadmap.members_on(dt.date(2024, 11, 1)) == ["EE", "GB"]


def test_every_treaty_has_a_source_and_unknown_entry_into_force_stays_null():
    for treaty in TREATIES.values():
        assert treaty.source["title"] and treaty.confidence
    assert TREATIES["lancaster-house-2010"].entry_into_force is None


def test_a_membership_that_ended_no_longer_counts_after_its_last_day():
    data = {
        "treaties": [
            {
                "id": "t",
                "name": "T",
                "kind": "treaty",
                "confidence": "quoted",
                "source": {"title": "S"},
                "members": [
                    {"party": "GB", "start": "2000-01-01", "end": "2010-12-31"},
                    {"party": "FR", "start": "2000-01-01"},
                ],
            }
        ]
    }
    (treaty,) = parse_treaties(data)
    assert treaty.members_on(dt.date(2010, 12, 31)) == ["FR", "GB"]
    assert treaty.members_on(dt.date(2011, 1, 1)) == ["FR"]


def test_a_malformed_treaty_file_names_each_treaty_and_field():
    data = {
        "treaties": [
            {
                "id": "x",
                "name": "X",
                "kind": "treaty",
                "confidence": "maybe",
                "members": [{"party": "GB", "start": "2024-13-01"}],
            }
        ]
    }
    with pytest.raises(InputError) as caught:
        parse_treaties(data)
    fields = {p.field for p in caught.value.problems}
    assert {
        "treaties[0].confidence",
        "treaties[0].source",
        "treaties[0].members",
        "treaties[0].members[0].start",
    } <= fields
    assert all(p.item == "x" for p in caught.value.problems)
