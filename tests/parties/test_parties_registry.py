"""The parties registry answers "was X a member of Y on date D" from the data files."""

import datetime as dt
import json

import pycountry
import pytest

from accord.parties import load_registry

D = dt.date


@pytest.fixture(scope="module")
def reg():
    return load_registry()


def test_gb_was_an_eu_member_on_2020_01_31_and_not_on_2020_02_01(reg):
    assert reg.is_member("GB", "EU", on=D(2020, 1, 31))
    assert not reg.is_member("GB", "EU", on=D(2020, 2, 1))


def test_gb_was_not_an_eu_member_the_day_before_accession_on_1973_01_01(reg):
    assert not reg.is_member("GB", "EU", on=D(1972, 12, 31))
    assert reg.is_member("GB", "EU", on=D(1973, 1, 1))


def test_se_was_not_a_nato_ally_on_2024_03_06_and_was_on_2024_03_07(reg):
    assert not reg.is_member("SE", "NATO", on=D(2024, 3, 6))
    assert reg.is_member("SE", "NATO", on=D(2024, 3, 7))


def test_fi_joined_nato_on_2023_04_04(reg):
    (nato,) = [m for m in reg.memberships_of("FI") if m.framework == "NATO"]
    assert nato.start == D(2023, 4, 4) and nato.end is None
    assert not reg.is_member("FI", "NATO", on=D(2023, 4, 3))


def test_gb_has_been_a_nato_ally_since_1949_08_24(reg):
    (nato,) = [m for m in reg.memberships_of("GB") if m.framework == "NATO"]
    assert nato.start == D(1949, 8, 24)


def test_gbs_security_and_defence_partnership_was_signed_on_2025_05_19(reg):
    (sdp,) = [m for m in reg.memberships_of("GB") if m.framework == "EU_SDP"]
    assert sdp.start == D(2025, 5, 19)
    assert not reg.is_member("GB", "EU_SDP", on=D(2025, 5, 18))


def test_the_eu_had_27_members_on_2026_01_01_and_28_on_2019_01_01(reg):
    assert len(reg.members("EU", on=D(2026, 1, 1))) == 27
    assert len(reg.members("EU", on=D(2019, 1, 1))) == 28
    assert "GB" in reg.members("EU", on=D(2019, 1, 1))


def test_croatia_became_the_28th_member_on_2013_07_01(reg):
    assert len(reg.members("EU", on=D(2013, 6, 30))) == 27
    assert "HR" in reg.members("EU", on=D(2013, 7, 1))


def test_nato_had_32_allies_after_sweden_joined(reg):
    assert len(reg.members("NATO", on=D(2024, 3, 7))) == 32
    assert len(reg.members("NATO", on=D(2024, 3, 6))) == 31


def test_ukraine_and_moldova_became_eu_candidates_on_2022_06_23(reg):
    assert reg.members("EU_CANDIDATE", on=D(2022, 6, 23)) >= {"UA", "MD"}
    assert not reg.is_member("UA", "EU_CANDIDATE", on=D(2022, 6, 22))


def test_bosnia_and_herzegovina_moved_from_potential_candidate_to_candidate_on_2022_12_15(reg):
    assert reg.is_member("BA", "EU_POTENTIAL_CANDIDATE", on=D(2022, 12, 14))
    assert not reg.is_member("BA", "EU_CANDIDATE", on=D(2022, 12, 14))
    assert reg.is_member("BA", "EU_CANDIDATE", on=D(2022, 12, 15))
    assert not reg.is_member("BA", "EU_POTENTIAL_CANDIDATE", on=D(2022, 12, 15))


def test_a_membership_with_no_recorded_start_counts_as_a_member(reg):
    # JEF joining dates are not recorded: a null start means "member, date unknown".
    assert reg.is_member("IS", "JEF", on=D(2000, 1, 1))


def test_liechtenstein_joined_the_eea_on_1995_05_01_and_norway_on_1994_01_01(reg):
    assert reg.members("EEA_EFTA", on=D(2025, 1, 1)) == frozenset({"NO", "IS", "LI"})
    assert not reg.is_member("LI", "EEA_EFTA", on=D(1995, 4, 30))
    assert reg.is_member("NO", "EEA_EFTA", on=D(1994, 1, 1))


def test_e5_members_are_france_germany_italy_poland_and_the_uk_from_2024_11_25(reg):
    assert reg.members("E5", on=D(2024, 11, 25)) == frozenset({"FR", "DE", "IT", "PL", "GB"})
    assert reg.members("E5", on=D(2024, 11, 24)) == frozenset()


def test_jef_has_ten_members(reg):
    assert len(reg.members("JEF", on=D(2025, 1, 1))) == 10


def test_every_state_code_is_a_valid_iso_3166_1_alpha_2_code_except_xk(reg):
    states = [p.code for p in reg.parties() if p.kind == "state"]
    invalid = [c for c in states if c != "XK" and pycountry.countries.get(alpha_2=c) is None]
    assert invalid == []
    assert pycountry.countries.get(alpha_2="XK") is None  # user-assigned, hence the exception
    assert "user-assigned" in reg.party("XK").note


def test_every_membership_has_a_source_and_refers_to_known_codes(reg):
    for m in reg.memberships():
        assert m.source.title.strip(), m
        assert reg.is_known(m.party)
        assert reg.framework(m.framework)


def test_institutions_use_short_codes(reg):
    assert {p.code for p in reg.parties() if p.kind == "institution"} == {"EU", "EEAS", "COM", "COUNCIL", "NATO"}


def test_norway_is_read_as_no_and_not_as_false(reg):
    assert reg.party("NO").name == "Norway"


def test_an_unknown_party_code_is_a_key_error_and_is_not_known(reg):
    assert not reg.is_known("XX")
    with pytest.raises(KeyError):
        reg.party("XX")
    with pytest.raises(KeyError):
        reg.is_member("XX", "EU", on=D(2020, 1, 1))
    with pytest.raises(KeyError):
        reg.members("NOPE", on=D(2020, 1, 1))


def test_as_dict_gives_stable_json_with_iso_dates(reg):
    (eu,) = [m for m in reg.memberships_of("GB") if m.framework == "EU"]
    assert eu.as_dict()["start"] == "1973-01-01" and eu.as_dict()["end"] == "2020-01-31"
    text = json.dumps([m.as_dict() for m in reg.memberships_of("GB")], sort_keys=True)
    assert json.loads(text)[0]["party"] == "GB"
    assert reg.party("GB").as_dict()["source"]["title"] == "ISO 3166-1"


def test_the_packaged_registry_is_cached():
    assert load_registry() is load_registry()
