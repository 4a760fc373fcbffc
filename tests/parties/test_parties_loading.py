"""Malformed data files are rejected with a message naming the file and the entry."""

import shutil
from pathlib import Path

import pytest

from accord.parties import DEFAULT_DATA_DIR, PartyDataError, load_registry


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_a_copy_of_the_packaged_data_loads_from_a_data_dir(data_dir):
    assert load_registry(data_dir=data_dir).is_known("GB")


def test_a_membership_of_an_unknown_party_is_rejected_naming_file_and_entry(data_dir):
    write(
        data_dir / "memberships" / "e5.yaml",
        """
framework: E5
members:
  - party: FR
    from: 2024-11-25
    to: null
    source: {title: t, href: null}
  - party: QQ
    from: 2024-11-25
    to: null
    source: {title: t, href: null}
""",
    )
    with pytest.raises(PartyDataError, match=r"memberships/e5.yaml: member 2 \(QQ\): unknown party code 'QQ'"):
        load_registry(data_dir=data_dir)


def test_a_membership_file_for_an_unknown_framework_is_rejected(data_dir):
    write(data_dir / "memberships" / "aukus.yaml", "framework: AUKUS\nmembers: []\n")
    with pytest.raises(PartyDataError, match=r"memberships/aukus.yaml: framework: unknown framework code 'AUKUS'"):
        load_registry(data_dir=data_dir)


def test_a_start_after_the_end_is_rejected(data_dir):
    write(
        data_dir / "memberships" / "e5.yaml",
        """
framework: E5
members:
  - party: FR
    from: 2024-11-25
    to: 2024-11-24
    source: {title: t, href: null}
""",
    )
    with pytest.raises(PartyDataError, match=r"e5.yaml: member 1 \(FR\): 'from' 2024-11-25 is after 'to' 2024-11-24"):
        load_registry(data_dir=data_dir)


def test_a_start_equal_to_the_end_is_a_one_day_membership(data_dir):
    write(
        data_dir / "memberships" / "e5.yaml",
        """
framework: E5
members:
  - party: FR
    from: 2024-11-25
    to: 2024-11-25
    source: {title: t, href: null}
""",
    )
    import datetime as dt

    reg = load_registry(data_dir=data_dir)
    assert reg.is_member("FR", "E5", on=dt.date(2024, 11, 25))
    assert not reg.is_member("FR", "E5", on=dt.date(2024, 11, 26))


def test_a_duplicate_party_code_is_rejected(data_dir):
    path = data_dir / "parties.yaml"
    write(path, path.read_text() + "- code: GB\n  name: Again\n  kind: state\n  source: {title: t, href: null}\n")
    with pytest.raises(PartyDataError, match=r"parties.yaml: entry \d+ \(GB\): duplicate code 'GB'"):
        load_registry(data_dir=data_dir)


def test_a_duplicate_framework_code_is_rejected(data_dir):
    path = data_dir / "frameworks.yaml"
    write(
        path, path.read_text() + "- code: NATO\n  name: Again\n  kind: organisation\n  source: {title: t, href: null}\n"
    )
    with pytest.raises(PartyDataError, match=r"frameworks.yaml: entry \d+ \(NATO\): duplicate code 'NATO'"):
        load_registry(data_dir=data_dir)


def test_a_membership_without_a_source_is_rejected(data_dir):
    write(
        data_dir / "memberships" / "e5.yaml",
        "framework: E5\nmembers:\n  - party: FR\n    from: 2024-11-25\n    to: null\n",
    )
    with pytest.raises(PartyDataError, match=r"e5.yaml: member 1 \(FR\): needs a source with a title"):
        load_registry(data_dir=data_dir)


def test_a_misspelt_field_and_a_bad_date_are_both_reported(data_dir):
    write(
        data_dir / "memberships" / "e5.yaml",
        """
framework: E5
members:
  - party: FR
    form: 2024-11-25
    to: soon
    source: {title: t, href: null}
""",
    )
    with pytest.raises(PartyDataError) as caught:
        load_registry(data_dir=data_dir)
    assert len(caught.value.problems) == 2
    assert "e5.yaml: member 1 (FR): unknown field(s) ['form']" in str(caught.value)
    assert "e5.yaml: member 1 (FR): 'to' must be a date (YYYY-MM-DD) or null, not 'soon'" in str(caught.value)


def test_an_unquoted_no_is_rejected_with_a_hint(data_dir):
    write(
        data_dir / "memberships" / "e5.yaml",
        """
framework: E5
members:
  - party: NO
    from: null
    to: null
    source: {title: t, href: null}
""",
    )
    with pytest.raises(PartyDataError, match=r"e5.yaml: member 1: party reads as False: quote it"):
        load_registry(data_dir=data_dir)


def test_overlapping_periods_of_one_party_in_one_framework_are_rejected(data_dir):
    write(
        data_dir / "memberships" / "e5.yaml",
        """
framework: E5
members:
  - party: FR
    from: 2024-11-25
    to: null
    source: {title: t, href: null}
  - party: FR
    from: 2025-01-01
    to: null
    source: {title: t, href: null}
""",
    )
    with pytest.raises(PartyDataError, match=r"e5.yaml: member 2 \(FR\): overlaps another period of FR in E5"):
        load_registry(data_dir=data_dir)


def test_an_unknown_party_kind_is_rejected(data_dir):
    path = data_dir / "parties.yaml"
    write(path, path.read_text() + "- code: ZZ\n  name: Zed\n  kind: planet\n  source: {title: t, href: null}\n")
    with pytest.raises(PartyDataError, match=r"parties.yaml: entry \d+ \(ZZ\): kind must be one of"):
        load_registry(data_dir=data_dir)


def test_a_file_that_is_not_yaml_is_rejected_naming_the_file(data_dir):
    write(data_dir / "memberships" / "e5.yaml", "framework: [E5\n")
    with pytest.raises(PartyDataError, match=r"memberships/e5.yaml: file: not valid YAML"):
        load_registry(data_dir=data_dir)


def test_the_error_is_a_value_error(data_dir):
    write(data_dir / "memberships" / "e5.yaml", "framework: E5\nmembers: nope\n")
    with pytest.raises(ValueError, match=r"e5.yaml"):
        load_registry(data_dir=data_dir)
