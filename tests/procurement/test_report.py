"""The SAFE report as PDF (`accord safe report`) and the BOM template (`accord safe template`):
the verdict and two fingerprints a reader can recompute, and a template that reads back."""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import shutil
import subprocess
import threading

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from accord.cli import app
from accord.procurement import report
from accord.procurement.engine import assess, bom_from_xlsx, parse_case, scenario_parameters
from accord.procurement.engine.bom import BOM_COLUMNS

from .builders import REGISTRY, case_data

runner = CliRunner()

BOM_CSV = "id,parent,quantity,purchased,unit_cost,currency,origin\nSHELL,,1,no,,,\nBODY,SHELL,1,yes,640,EUR,PL\nFUZE,SHELL,1,yes,360,EUR,GB\n"


def pdf_text(path_or_bytes) -> str:
    """The PDF's text as pdftotext (Debian's poppler-utils, installed by `make test`) reads it."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: `make test` installs Debian's poppler-utils")
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    assert data.startswith(b"%PDF-")
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def case_files(tmp_path, bom: str = BOM_CSV, **changes):
    data = case_data(**changes)
    data.pop("bom")
    data["bom_file"] = "bom.csv"
    (tmp_path / "bom.csv").write_text(bom, encoding="utf-8")
    case = tmp_path / "case.json"
    case.write_text(json.dumps(data), encoding="utf-8")
    return case


def documented_parameters_fingerprint(scenario: str, on: str) -> str:
    """The recipe of docs/procurement.md#fingerprints, from `accord safe parameters --json`."""
    listed = runner.invoke(app, ["safe", "parameters", "--on", on, "--scenario", scenario, "--json"])
    values = {p["name"]: p["value_on_date"] for p in json.loads(listed.stdout)["parameters"]}
    document = {"assessment_date": on, "scenario": json.loads(listed.stdout)["scenario"], "parameters": values}
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def run_report(case, out, *args):
    return runner.invoke(app, ["safe", "report", str(case), "--out", str(out), *args])


def test_the_report_pdf_holds_the_verdict_the_articles_and_both_fingerprints(tmp_path):
    case = case_files(tmp_path)
    result = run_report(case, tmp_path / "report.pdf")
    assert result.exit_code == 1, result.output  # not eligible: 36% non-eligible
    text = pdf_text(tmp_path / "report.pdf")
    assert "Not eligible for SAFE financing" in text
    assert "Regulation (EU) 2025/1106, Art. 16(10)" in text
    assert "1 March 2026" in text and "2026-03-01" not in text.split("Parameters applied")[0]
    assert "€360.00" in text and "36.00%" in text
    assert documented_parameters_fingerprint("baseline", "2026-03-01") in text
    assert hashlib.sha256(case.read_bytes()).hexdigest() in text
    assert hashlib.sha256((tmp_path / "bom.csv").read_bytes()).hexdigest() in text
    words = " ".join(text.split())
    assert "Maximum share of component cost from outside EU, EEA-EFTA, Ukraine 35%" in words  # by label
    assert "https://eur-lex.europa.eu/eli/reg/2025/1106/oj/eng#art_16" in text.replace("\n", "")
    assert "Largest non-eligible parts Part Origin FUZE United Kingdom" in words


def _fingerprints(text: str) -> set[str]:
    import re

    return set(re.findall(r"\b[0-9a-f]{64}\b", text))


def test_one_changed_parameter_in_a_scenario_changes_the_parameters_fingerprint_only(tmp_path):
    case = case_files(tmp_path)
    scenario = tmp_path / "cap.yaml"
    scenario.write_text(
        "name: cap-36\nlabel: Limit of 36%\noverrides:\n  safe.component_cost.non_eligible_cap: 0.36\n",
        encoding="utf-8",
    )
    run_report(case, tmp_path / "base.pdf")
    result = run_report(case, tmp_path / "cap.pdf", "--scenario", str(scenario))
    assert result.exit_code == 0, result.output  # 36% is within a 36% limit
    base, changed = pdf_text(tmp_path / "base.pdf"), pdf_text(tmp_path / "cap.pdf")
    assert documented_parameters_fingerprint(str(scenario), "2026-03-01") in changed
    assert documented_parameters_fingerprint("baseline", "2026-03-01") not in changed
    # the input is the same: its fingerprints are in both reports
    assert len(_fingerprints(base) & _fingerprints(changed)) == 3


def test_the_parameters_fingerprint_covers_the_scenario_and_the_date():
    params = scenario_parameters("baseline")
    on = report.dt.date(2027, 6, 1)
    values = report.parameter_values(params, on)
    base = report.parameters_fingerprint("baseline", on, values)
    uk = scenario_parameters("uk-participation")
    assert report.parameters_fingerprint("uk-participation", on, report.parameter_values(uk, on)) != base
    # before the scenario's dated changes, its values are the baseline's: only the name differs
    early = report.dt.date(2026, 6, 1)
    assert report.parameter_values(uk, early) == report.parameter_values(params, early)
    assert report.parameters_fingerprint("baseline", early, report.parameter_values(params, early)) != (
        report.parameters_fingerprint("uk-participation", early, report.parameter_values(uk, early))
    )


def test_one_changed_byte_of_the_bom_file_changes_the_input_fingerprints(tmp_path):
    first = tmp_path / "a"
    second = tmp_path / "b"
    first.mkdir()
    second.mkdir()
    case_a = case_files(first)
    case_b = case_files(second, bom=BOM_CSV.replace("360,EUR", "361,EUR"))
    assert len(BOM_CSV) == len(BOM_CSV.replace("360,EUR", "361,EUR"))
    run_report(case_a, first / "r.pdf")
    run_report(case_b, second / "r.pdf")
    a, b = _fingerprints(pdf_text(first / "r.pdf")), _fingerprints(pdf_text(second / "r.pdf"))
    assert len(a) == len(b) == 4  # parameters, the canonical case, the case file, the BOM file
    assert len(a & b) == 2  # the parameters and the case file are the same; the BOM and the case differ
    assert hashlib.sha256((second / "bom.csv").read_bytes()).hexdigest() in b - a


def test_the_report_command_refuses_bad_input_with_exit_2_and_writes_nothing(tmp_path):
    data = case_data({"PL": 1000})
    data["bom"][1]["unit_cost_eur"] = -1
    case = tmp_path / "bad.json"
    case.write_text(json.dumps(data), encoding="utf-8")
    result = run_report(case, tmp_path / "r.pdf")
    assert result.exit_code == 2
    assert "unit_cost_eur must not be negative" in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.pdf").exists()
    assert run_report(tmp_path / "missing.json", tmp_path / "r.pdf").exit_code == 2
    assert run_report(case_files(tmp_path), tmp_path / "r.txt").exit_code == 2
    assert runner.invoke(app, ["safe", "template", "--out", str(tmp_path / "bom.csv")]).exit_code == 2
    assert not list(tmp_path.glob("*.pdf"))


def test_the_report_never_fetches_a_url_only_its_own_stylesheet(tmp_path):
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        address = f"http://127.0.0.1:{server.server_port}"
        secret = tmp_path / "secret.css"
        secret.write_text("body { color: red }", encoding="utf-8")
        html = (
            f'<link rel="stylesheet" href="{address}/a.css"><link rel="stylesheet" href="{secret.as_uri()}">'
            f'<link rel="stylesheet" href="report.css"><img src="{address}/b.png"><p>Text</p>'
        )
        pdf = report.render_pdf(html)
    finally:
        server.shutdown()
    assert requests == []
    assert pdf.startswith(b"%PDF-")
    fetcher = report.static_only_fetcher()
    assert b"A4" in fetcher.fetch((report.STATIC_DIR / "report.css").as_uri()).read()
    for refused in (f"{address}/a.css", secret.as_uri(), (report.STATIC_DIR / ".." / "..").as_uri() + "/cli.py"):
        with pytest.raises(ValueError):
            fetcher.fetch(refused)


def test_figures_the_verdict_holds_are_printed_in_words_whatever_their_group():
    rows = report.figure_rows(
        {
            "component_cost_eur": 1000.0,
            "non_eligible_share": 0.36,
            "headroom": {"extra_non_eligible_eur": 0, "resource_eur": 10.0, "price_cut_eur": 15.38},
            "bom": {"items": 3},
            "eligible": False,
        }
    )
    assert {"label": "Least cut in the price of non-eligible components to pass", "value": "€15.38"} in rows
    assert {"label": "Non-eligible share of the component cost", "value": "36.00%"} in rows
    assert len(rows) == 5


def test_the_largest_non_eligible_parts_are_listed_first_with_their_country_named():
    parts = [
        {"id": "BODY", "origin": "PL", "cost_eur": 640.0, "eligible": True, "share": 0.64},
        {"id": "FUZE", "origin": "GB", "cost_eur": 300.0, "eligible": False, "share": 0.30},
        {"id": "PIN", "origin": None, "cost_eur": 60.0, "eligible": False, "share": 0.06},
    ]
    rows = report.part_rows(parts, REGISTRY)
    assert [(r["id"], r["origin"], r["share"]) for r in rows] == [
        ("FUZE", "United Kingdom", 30.0),
        ("PIN", "Not given", 6.0),
    ]
    assert report.part_rows({}) == []


def test_parameter_values_are_written_in_words():
    assert report.value_words(0.35, "/1") == "35%"
    assert report.value_words("2026-05-30", "date") == "30 May 2026"
    assert report.value_words(["UA"], "list of ISO 3166-1 alpha-2 codes", REGISTRY) == "Ukraine"
    assert report.value_words(["EU_SDP"], "list of framework codes (accord.parties)", REGISTRY) == (
        REGISTRY.framework("EU_SDP").name
    )
    assert report.value_words({"AX": "FI"}, "ISO 3166-1 alpha-2 code -> Member State", REGISTRY) == (
        "Åland Islands: Finland"
    )
    assert report.value_words(None, "/1") == "no limit"
    assert report.value_words(10_000_000, "EUR") == "€10,000,000"


# -- the bill of materials template ------------------------------------------------------


def test_the_template_filled_with_its_examples_reads_back_and_is_assessed(tmp_path):
    out = tmp_path / "bom.xlsx"
    result = runner.invoke(app, ["safe", "template", "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    first = book.worksheets[0]
    assert [c.value for c in first[1]] == list(BOM_COLUMNS)
    assert {"Countries", "Currencies", "How to fill this in"} <= set(book.sheetnames)
    codes = {row[0] for row in book["Countries"].iter_rows(min_row=2, values_only=True)}
    assert {"GB", "UA", "XK", "CN", "US"} <= codes
    assert book["Currencies"]["A2"].value == "EUR"
    ranges = {str(v.sqref).split(":")[0]: v.formula1 for v in first.data_validations.dataValidation}
    origin = first.cell(row=1, column=BOM_COLUMNS.index("origin") + 1).column_letter
    currency = first.cell(row=1, column=BOM_COLUMNS.index("currency") + 1).column_letter
    assert ranges[f"{origin}2"].startswith("Countries!$A$2:$A$")
    assert ranges[f"{currency}2"].startswith("Currencies!$A$2:$A$")

    bom = bom_from_xlsx(out.read_bytes(), source="bom.xlsx")
    assert bom.unused_columns == ()
    data = case_data()
    data.pop("bom")
    verdict = assess(parse_case(data, registry=REGISTRY, bom=bom), scenario_parameters(), REGISTRY).as_dict()
    assert verdict["bom"]["shared_parts"] == 1  # the harness, under the turret and twice under the hull
    # harness x3: 4 US connectors at €25 and 10 cables at €7.50; €12,000 armour; a £1,500 sight
    assert verdict["cost_by_origin"]["US"] == 300.0
    assert verdict["cost_by_origin"]["DE"] == 225.0
    assert verdict["cost_by_origin"]["PL"] == 12000.0
    assert verdict["eligible"] is True


def test_template_countries_cover_every_code_the_reader_accepts():
    from accord.procurement.engine.bom_template import countries
    from accord.procurement.engine.countries import is_country_code

    listed = dict(countries(REGISTRY))
    assert all(is_country_code(code, REGISTRY) for code in listed)
    assert listed["GB"] == "United Kingdom" and listed["XK"] == "Kosovo"


def test_the_template_bytes_are_a_workbook():
    from accord.procurement.engine.bom_template import bom_template

    assert load_workbook(io.BytesIO(bom_template(REGISTRY))).worksheets[0].title == "Bill of materials"
