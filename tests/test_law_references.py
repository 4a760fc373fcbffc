"""The law lives in the repository: every parameter links its article, and
every citation of docs/law resolves to an anchor that exists.

docs/law/README.md#parameters describes the format these tests hold the
parameter files to.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from accord.rules.parameters import ParameterError, load_parameters, parse_parameter

ROOT = Path(__file__).resolve().parents[1]
LAW = ROOT / "docs" / "law"
CITATION = re.compile(r"docs/law/([a-z0-9-]+\.md)(?:#([a-z0-9-]+))?")


def anchors(path: Path) -> set[str]:
    return set(re.findall(r'<a id="([a-z0-9-]+)"></a>', path.read_text(encoding="utf-8")))


def resolves(citation: str) -> bool:
    match = CITATION.fullmatch(citation)
    if not match:
        return False
    path = LAW / match.group(1)
    return path.is_file() and (match.group(2) is None or match.group(2) in anchors(path))


def unlinked(prefix: str) -> list[str]:
    params = load_parameters(prefix)
    return [
        f"{name}: {ref.title}"
        for name in params.names()
        for ref in params[name].references
        if not ref.href or not ref.href.startswith(("https://", "http://")) or not ref.law
    ]


@pytest.mark.parametrize("prefix", ["commitments", "dialogue"])
def test_every_parameter_links_the_public_text_it_rests_on(prefix):
    assert unlinked(prefix) == []


@pytest.mark.parametrize("prefix", ["safe", "missions", "mobility"])
def test_parameters_of_the_other_capabilities_link_their_public_text(prefix):
    assert unlinked(prefix) == []


def test_every_law_anchor_named_by_a_parameter_exists():
    params = load_parameters("")
    broken = [
        f"{name}: {ref.law}"
        for name in params.names()
        for ref in params[name].references
        if ref.law and not resolves(ref.law)
    ]
    assert broken == []


def test_every_citation_of_docs_law_in_code_data_and_docs_resolves():
    broken = []
    for base in ("src", "docs", "tests"):
        for path in (ROOT / base).rglob("*"):
            if path.suffix not in {".py", ".md", ".yaml", ".yml", ".html", ".txt"} or not path.is_file():
                continue
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for match in CITATION.finditer(line):
                    if not resolves(match.group(0)):
                        broken.append(f"{path.relative_to(ROOT)}:{lineno}: {match.group(0)}")
    assert broken == []


def test_nothing_in_the_repository_cites_the_brief_outside_it():
    # The domain brief and its source articles are outside the repository;
    # docs/law carries what they taught us, with the original public sources.
    pattern = re.compile(r"DOMAIN\.md|\bsource articles? 00\d|\bSource 00\d")
    hits = []
    for base in ("src", "docs", "tests"):
        for path in (ROOT / base).rglob("*"):
            if path.suffix not in {".py", ".md", ".yaml", ".yml", ".html"} or not path.is_file():
                continue
            if path.name in {
                "test_law_references.py",
                "test_recite.py",
                "developer_text.py",
            }:  # they quote the old citations on purpose
                continue
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    hits.append(f"{path.relative_to(ROOT)}:{lineno}")
    assert hits == []


def _parameter(references):
    return parse_parameter(
        "test.cap",
        {
            "label": "A cap that a later text raised",
            "values": {"2025-05-29": 0.35, "2027-01-01": 0.5},
            "reference": references,
        },
        "test",
    )


def test_a_reference_dated_from_a_value_supports_only_that_value():
    first = {"title": "Regulation, Article 16(10)", "href": "https://example.org/reg#art_16", "from": "2025-05-29"}
    later = {"title": "Agreement, Article 5", "href": "https://example.org/agreement#art_5", "from": "2027-01-01"}
    general = {"title": "Commission page", "href": "https://example.org/"}
    param = _parameter([first, later, general])

    assert [r.title for r in param.references_on(dt.date(2026, 6, 1))] == [
        "Regulation, Article 16(10)",
        "Commission page",
    ]
    assert [r.title for r in param.references_on(dt.date(2027, 1, 1))] == [
        "Agreement, Article 5",
        "Commission page",
    ]
    assert param.describe()["reference"][0] == {
        "title": "Regulation, Article 16(10)",
        "href": "https://example.org/reg#art_16",
        "from": "2025-05-29",
    }


def test_a_reference_dated_from_a_day_that_starts_no_value_is_refused():
    stray = {"title": "Agreement", "href": "https://example.org/", "from": "2026-02-18"}
    with pytest.raises(ParameterError, match="not the date of any value"):
        _parameter([stray])
