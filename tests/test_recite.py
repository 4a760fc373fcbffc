"""tools/recite.py rewrites citations of the brief outside the repository to
docs/law (in code and docs) and to the public source (in data), wherever the
lines have moved, and changes nothing the second time."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("recite", ROOT / "tools" / "recite.py")
recite = importlib.util.module_from_spec(spec)
sys.modules["recite"] = recite  # dataclasses look their module up while the class is built
spec.loader.exec_module(recite)


def run_on(tmp_path: Path, rel: str, text: str) -> str:
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    assert recite.main(["--root", str(tmp_path)]) == 0
    once = path.read_text(encoding="utf-8")
    assert recite.main(["--root", str(tmp_path), "--check"]) == 0  # idempotent: nothing left to do
    return once


def test_a_code_comment_cites_the_docs_law_anchor_of_the_provision(tmp_path):
    out = run_on(
        tmp_path,
        "src/accord/missions/engine/x.py",
        "import os\n\n\n# DOMAIN.md section 4: a third state without an FPA needs an agreement.\nX = 1\n",
    )
    assert "# docs/law/csdp.md#framework-participation-agreements: a third state" in out
    assert "DOMAIN" not in out


def test_a_docstring_keeps_its_parentheses_when_a_mechanism_number_follows(tmp_path):
    out = run_on(
        tmp_path,
        "src/accord/dialogue/engine/x.py",
        '"""The consultation cycle (SDP, DOMAIN.md section 1, M4). The spacing."""\n',
    )
    assert out == '"""The consultation cycle (SDP, docs/law/uk-eu-sdp.md#strategic-consultations). The spacing."""\n'


def test_a_user_facing_string_names_the_public_source_not_a_file(tmp_path):
    out = run_on(
        tmp_path,
        "src/accord/procurement/engine/x.py",
        'NOTE = "As reported (DOMAIN.md section 2 point 3)"  # DOMAIN.md section 2 point 3\n',
    )
    assert 'NOTE = "As reported (Council Regulation (EU) 2025/1106, Article 16(3))"' in out
    assert "# docs/law/safe-regulation.md#article-16-3" in out


def test_a_data_source_without_a_link_gets_the_public_title_and_address(tmp_path):
    out = run_on(
        tmp_path,
        "src/accord/dialogue/data/areas.yaml",
        'areas:\n  - code: space\n    source: {title: "DOMAIN.md section 1 - other SDP areas", href: null}\n',
    )
    source = yaml.safe_load(out)["areas"][0]["source"]
    assert source == {
        "title": "UK-EU Security and Defence Partnership, London, 19 May 2025 - other SDP areas",
        "href": "https://www.gov.uk/government/publications/uk-eu-security-and-defence-partnership",
    }


def test_a_wrapped_reference_title_is_rewritten_and_its_link_filled(tmp_path):
    out = run_on(
        tmp_path,
        "src/accord/rules/mobility/convoy/speed.yaml",
        "label: Convoy speed\nvalues:\n  '1990-01-01': 40\nreference:\n"
        "- title: Road convoy planning figures (march unit, gaps, speeds) as quoted in Accord DOMAIN.md section\n"
        "    3\n  href: null\nconfidence: quoted\n",
    )
    data = yaml.safe_load(out)
    assert data["reference"][0]["href"] == "https://ops.fhwa.dot.gov/publications/fhwahop05029/appendix_b.htm"
    assert data["reference"][0]["title"].endswith("- Road convoy planning figures (march unit, gaps, speeds)")
    assert data["confidence"] == "quoted" and data["values"] == {"1990-01-01": 40}


def test_a_source_that_already_has_a_link_only_loses_the_citation(tmp_path):
    out = run_on(
        tmp_path,
        "src/accord/parties/data/jef.yaml",
        'm:\n  - source: {title: "Finnish Ministry of Defence, JEF cooperation (DOMAIN.md section 5 [Q])", href: "https://www.defmin.fi/x"}\n',
    )
    assert yaml.safe_load(out)["m"][0]["source"] == {
        "title": "Finnish Ministry of Defence, JEF cooperation",
        "href": "https://www.defmin.fi/x",
    }


def test_markdown_under_docs_links_the_anchor_relative_to_docs(tmp_path):
    out = run_on(tmp_path, "docs/mobility.md", "Facts: `../shared/DOMAIN.md` §3. Package here.\n")
    assert out == "Facts: [docs/law/military-mobility.md](law/military-mobility.md). Package here.\n"


def test_a_citation_explained_on_the_line_above_uses_those_words(tmp_path):
    out = run_on(tmp_path, "docs/commitments.md", "and the SAFE allocations of\nDOMAIN.md section 2 item 9.\n")
    assert "[docs/law/safe-regulation.md#allocations](law/safe-regulation.md#allocations)." in out


def test_check_mode_changes_nothing_and_fails_while_a_citation_remains(tmp_path, capsys):
    path = tmp_path / "src" / "x.py"
    path.parent.mkdir(parents=True)
    path.write_text("# DOMAIN.md section 3\n", encoding="utf-8")
    assert recite.main(["--root", str(tmp_path), "--check"]) == 1
    assert path.read_text(encoding="utf-8") == "# DOMAIN.md section 3\n"
