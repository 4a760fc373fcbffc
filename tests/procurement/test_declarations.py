"""Supplier origin declarations: a BOM line naming a supplier part takes its origin from the
declaration valid on the assessment date; an expired, not yet valid or missing one means
unknown origin (the worst case), listed with the reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from accord.errors import InputError
from accord.platform.models import AuditEntry
from accord.procurement import declarations as declaration_services
from accord.procurement import services
from accord.procurement.engine.declarations import Declaration, expiring, read_declarations
from accord.procurement.models import SupplierDeclaration

from .builders import REGISTRY, case_data, verdict

ASSESSED_ON = dt.date(2026, 3, 1)  # the assessment date of the builders' case


def declared_case(**declaration) -> dict:
    """PL 600 + a fuze bought from Acme (400) whose origin only a declaration gives: FR (eligible)
    makes the case pass; unknown origin (counted non-eligible, 40% > 35%) makes it fail."""
    data = case_data({"PL": 600})
    data["bom"].append(
        {
            "id": "FUZE",
            "parent": "END",
            "quantity": 1,
            "purchased": True,
            "unit_cost_eur": 400,
            "supplier": "Acme Fuzes",
            "supplier_part": "F-100",
        }
    )
    if declaration is not None:
        data["declarations"] = [
            {
                "supplier": "ACME  fuzes",  # matched whatever the case and spacing
                "part_number": "f-100",
                "origin": "FR",
                "valid_from": "2025-03-01",
                "valid_to": "2026-03-01",
                "document_reference": "LTSD 2025/7",
                **declaration,
            }
        ]
    return data


def test_a_declaration_expiring_the_day_before_the_assessment_leaves_the_origin_unknown_and_is_listed():
    result = verdict(declared_case(valid_to="2026-02-28")).as_dict()
    assert result["eligible"] is False
    assert result["unknown_origin_cost_eur"] == 400.0
    assert result["cost_by_origin"] == {"": 400.0, "PL": 600.0}
    [listed] = result["declarations"]
    assert listed["status"] == "expired" and listed["items"] == ["FUZE"]
    assert "expired on 28 February 2026, before the assessment date 1 March 2026" in listed["reason"]
    assert "counted as non-eligible" in listed["reason"]


def test_a_declaration_valid_on_the_assessment_day_itself_gives_the_origin():
    result = verdict(declared_case(valid_to="2026-03-01")).as_dict()
    assert result["eligible"] is True
    assert result["cost_by_origin"] == {"FR": 400.0, "PL": 600.0}
    assert result["declarations"][0]["status"] == "valid"
    assert result["declarations"][0]["document_reference"] == "LTSD 2025/7"


def test_a_declaration_valid_only_from_the_day_after_is_not_yet_valid():
    result = verdict(declared_case(valid_from="2026-03-02", valid_to="2027-03-01")).as_dict()
    assert result["eligible"] is False
    assert result["declarations"][0]["status"] == "not_yet_valid"
    assert "valid only from 2 March 2026" in result["declarations"][0]["reason"]


def test_a_missing_declaration_means_unknown_origin_with_the_reason():
    data = declared_case()
    del data["declarations"]
    result = verdict(data).as_dict()
    assert result["unknown_origin_cost_eur"] == 400.0
    assert result["declarations"][0]["status"] == "missing"
    assert "no declaration from Acme Fuzes for part F-100" in result["declarations"][0]["reason"]


def test_an_origin_stated_in_the_bom_is_kept_over_a_declaration():
    data = declared_case(valid_to="2026-02-28")
    data["bom"][-1]["origin"] = "DE"
    result = verdict(data).as_dict()
    assert result["cost_by_origin"] == {"DE": 400.0, "PL": 600.0}
    assert result["declarations"] == []


def test_a_bom_file_with_supplier_and_supplier_part_columns_is_resolved(tmp_path):
    from accord.procurement.engine import bom_from_upload, parse_case

    bom_csv = (
        "id;parent;quantity;purchased;unit_cost;currency;origin;supplier;supplier_part\n"
        "END;;1;no;;;;;\n"
        "BODY;END;1;yes;600,00;EUR;PL;;\n"
        "FUZE;END;1;yes;400,00;EUR;;Acme Fuzes;F-100\n"
    )
    bom = bom_from_upload("bom.csv", bom_csv.encode())
    assert bom.unused_columns == ()
    declared = [Declaration("Acme Fuzes", "F-100", "SE", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "D-1")]
    data = case_data()
    del data["bom"]
    case = parse_case(data, registry=REGISTRY, bom=bom, declarations=declared)
    assert case.bom.frame.filter(case.bom.frame["id"] == "FUZE")["origin"].to_list() == ["SE"]
    assert case.bom_as_given.frame.filter(case.bom.frame["id"] == "FUZE")["origin"].to_list() == [None]


def test_a_bad_declarations_file_is_refused_with_line_field_and_value():
    content = (
        b"Supplier;Part number;Origin;Valid from;Valid to;Document reference\n"
        b"Acme;F-1;FR;2025-01-01;2026-12-31;D1\n"
        b"Acme;F-2;XX;2025-13-01;;D2\n"
        b"Bolt Ltd;B-7;GB;2026-05-01;2026-04-01;D3\n"
    )
    with pytest.raises(InputError) as caught:
        read_declarations("declarations.csv", content, registry=REGISTRY)
    shown = [str(p) for p in caught.value.problems]
    assert any("line 3" in s and "'origin'" in s and "'XX'" in s for s in shown)
    assert any("line 3" in s and "valid from" in s and "'2025-13-01'" in s for s in shown)
    assert any("line 3" in s and "valid to" in s and "missing" in s for s in shown)
    assert any("line 4" in s and "ends before it starts" in s and "'2026-04-01'" in s for s in shown)
    assert not any("line 2" in s for s in shown)


def test_an_xlsx_with_title_rows_and_date_cells_is_read(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Supplier declarations held by Polish Prime"])
    sheet.append([])
    sheet.append(["Supplier", "Part number", "Country of origin", "Valid from", "Valid to", "Document"])
    sheet.append(["Acme", 1001, "fr", dt.datetime(2025, 1, 1), dt.datetime(2026, 12, 31), "LTSD-1"])
    path = tmp_path / "declarations.xlsx"
    book.save(path)
    [found] = read_declarations("declarations.xlsx", path.read_bytes(), registry=REGISTRY)
    assert (found.part_number, found.origin, found.valid_from, found.line) == ("1001", "FR", dt.date(2025, 1, 1), 4)


def test_expiring_lists_the_declarations_ending_within_the_days_soonest_first():
    today = dt.date(2026, 6, 1)
    soon = Declaration("A", "1", "FR", dt.date(2026, 1, 1), dt.date(2026, 6, 20), "d")
    later = Declaration("A", "2", "FR", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "d")
    gone = Declaration("A", "3", "FR", dt.date(2025, 1, 1), dt.date(2026, 5, 31), "d")
    assert expiring([later, soon, gone], today, 30) == [soon]


# -- stored per party -------------------------------------------------------------------------------

GOOD_FILE = (
    b"supplier,part_number,origin,valid_from,valid_to,document_reference\n"
    b"Acme Fuzes,F-100,FR,2025-03-01,2026-02-28,LTSD 2025/7\n"
)


@pytest.mark.django_db
def test_a_bad_declarations_upload_stores_nothing_and_a_good_one_is_audited(make_user):
    user = make_user("PL", "editor")
    bad = GOOD_FILE + b"Acme Fuzes,F-200,QQ,2025-03-01,2026-02-28,LTSD 2025/8\n"
    entries = AuditEntry.objects.count()
    with pytest.raises(InputError):
        declaration_services.import_declarations(user, "declarations.csv", bad)
    assert SupplierDeclaration.objects.count() == 0 and AuditEntry.objects.count() == entries
    result = declaration_services.import_declarations(user, "declarations.csv", GOOD_FILE)
    assert result == {"added": 1, "updated": 0, "read": 1}
    record = SupplierDeclaration.objects.get()
    assert record.owner.code == "PL"
    assert AuditEntry.objects.filter(record_id=str(record.pk), action="create").exists()


@pytest.mark.django_db
def test_a_stored_assessment_takes_its_origins_from_the_partys_declarations_on_its_date(make_user):
    user = make_user("PL", "editor")
    declaration_services.import_declarations(user, "declarations.csv", GOOD_FILE)  # expires 28 Feb 2026
    data = declared_case()
    del data["declarations"]
    expired = services.create_assessment(user, data)
    assert expired.eligible is False
    assert expired.verdict["declarations"][0]["status"] == "expired"
    # the stored case keeps the declaration used, so a later evaluation gives the same reason
    assert expired.case["declarations"][0]["document_reference"] == "LTSD 2025/7"
    assert expired.case["bom"][-1].get("origin") is None
    page = _client(user).get(f"/safe/assessments/{expired.pk}/").content.decode()
    assert 'id="declarations-table"' in page and "Expired on 28 February 2026" not in page
    assert "expired on 28 February 2026, before the assessment date 1 March 2026" in page
    on_time = services.create_assessment(user, {**data, "assessment_date": "2026-02-28"})
    assert on_time.eligible is True


@pytest.mark.django_db
def test_another_party_cannot_see_or_probe_declarations(make_user):
    owner = make_user("PL", "editor")
    other = make_user("DE", "editor")
    declaration_services.import_declarations(owner, "declarations.csv", GOOD_FILE)
    assert declaration_services.visible(other).count() == 0
    assert declaration_services.for_user(other) == []


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_an_upload_contradicting_a_stored_declaration_for_days_they_share_is_refused(make_user):
    user = make_user("PL", "editor")
    declaration_services.import_declarations(user, "declarations.csv", GOOD_FILE)  # FR, 2025-03-01 to 2026-02-28
    earlier_de = (
        b"supplier,part_number,origin,valid_from,valid_to,document_reference\n"
        b"Acme Fuzes,F-100,DE,2024-06-01,2025-06-30,LTSD 2024/1\n"
    )
    with pytest.raises(InputError) as caught:
        declaration_services.import_declarations(user, "declarations.csv", earlier_de)
    [problem] = caught.value.problems
    assert problem.line == 2 and "a declaration already stored (LTSD 2025/7) gives FR" in problem.message
    assert SupplierDeclaration.objects.count() == 1
    # the same origin over an overlapping period (a renewal) is fine
    renewal = earlier_de.replace(b",DE,", b",FR,")
    assert declaration_services.import_declarations(user, "declarations.csv", renewal)["added"] == 1


def test_the_check_command_lists_an_expired_declaration_with_its_reason(tmp_path):
    import json

    from typer.testing import CliRunner

    from accord.cli import app

    case = tmp_path / "case.json"
    case.write_text(json.dumps(declared_case(valid_to="2026-02-28")))
    result = CliRunner().invoke(app, ["safe", "check", str(case)])
    assert result.exit_code == 1
    assert "expired on 28 February 2026, before the assessment date 1 March 2026" in " ".join(result.stdout.split())
