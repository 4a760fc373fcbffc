"""Web pages of the procurement capability (thin: the engine, services and policy decide)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from accord.errors import InputError, Problem
from accord.platform import policy
from accord.procurement import services
from accord.procurement.advice_views import advice_context
from accord.procurement.engine import BASELINE, bom_from_upload, builtin_scenarios
from accord.procurement.engine.bom import BomInputError
from accord.procurement.engine.limits import describe_bytes
from accord.procurement.engine.rates import EURO, currency_choices, known_currencies
from accord.procurement.engine.rollup import structure_problems
from accord.procurement.models import Assessment
from accord.procurement.presentation import (
    comparison_rows,
    cost_chart,
    origin_rows,
    rule_label,
)

SUBCONTRACTOR_SLOTS = 3
RATES_ON_LABEL = "Exchange rate date"
RATES_LABEL = "Your own exchange rates"
CURRENCY_LABEL = "Currency of the bill of materials"
MAX_OWN_RATES = 50  # lines of own rates: more currencies than the rates source knows


@login_required
def assessment_list(request):
    records = policy.visible(request.user, Assessment.objects.select_related("owner"))
    return render(
        request,
        "procurement/list.html",
        {
            "assessments": records,
            "may_create": policy.can(request.user, "create"),
            "scenarios": builtin_scenarios(),
        },
    )


def _visible_or_404(user, **lookup) -> Assessment:
    try:
        return policy.get_visible(user, Assessment.objects.select_related("owner"), **lookup)
    except policy.NotVisible:
        raise Http404() from None


@login_required
def assessment_detail(request, assessment_id: int):
    assessment = _visible_or_404(request.user, pk=assessment_id)
    scenarios = builtin_scenarios()
    default_other = next((name for name in scenarios if name != assessment.scenario), BASELINE)
    compare = request.GET.get("compare") or default_other
    problems: list[Problem] = []
    other = None
    if compare in scenarios and compare != assessment.scenario:
        try:
            other = services.reassess(assessment, compare).as_dict()
        except InputError as exc:  # the parameters may have changed since the case was stored
            problems = exc.problems
    elif compare not in scenarios:
        problems = [Problem(f"unknown scenario {compare!r}", field="compare")]
    verdict = assessment.verdict
    return render(
        request,
        "procurement/detail.html",
        {
            "assessment": assessment,
            "verdict": verdict,
            "checks": [{**c, "label": rule_label(c["rule"])} for c in verdict["checks"]],
            "chart": cost_chart(verdict, chart_id=f"cost-{assessment.pk}"),
            "origins": origin_rows(verdict),
            "headroom": verdict["headroom_eur"],
            "headroom_abs": abs(verdict["headroom_eur"]),
            "scenarios": scenarios,
            "compare": compare,
            "other": other,
            "comparison": comparison_rows(verdict, other) if other else [],
            "problems": problems,
            **advice_context(assessment),  # issue 10: the parts, largest non-eligible first
        },
    )


# -- the case form ----------------------------------------------------------------------------


def _case_from_form(post, problems: list[Problem]) -> dict:
    """The form's fields as a case (the same JSON the CLI and the API take)."""

    def text(name: str) -> str:
        return (post.get(name) or "").strip()

    case: dict = {
        "title": text("title"),
        "assessment_date": text("assessment_date"),
        "contract_signed": text("contract_signed") or None,
        "procurers": text("procurers"),
        "loan_recipients": text("loan_recipients"),
        "category": text("category") or None,
        "contractor": {
            "name": text("contractor_name"),
            "established_in": text("contractor_established_in"),
            "controlled_from": text("contractor_controlled_from"),
            "design_authority_in": text("contractor_design_authority_in") or None,
            "guarantees_approved": post.get("contractor_guarantees_approved") == "yes",
        },
        "subcontractors": [],
    }
    currency = text("currency") or EURO
    if currency not in known_currencies():
        problems.append(Problem(f"Select the {CURRENCY_LABEL.lower()} from the list", field="currency"))
    case["currency"] = currency
    rates_on = _date_from_parts(post, "rates_on", RATES_ON_LABEL, problems)
    if rates_on is not None:
        case["rates_on"] = rates_on.isoformat()
    rates = _own_rates(text("rates"), problems)
    if rates:
        case["rates"] = rates
    for slot in range(1, SUBCONTRACTOR_SLOTS + 1):
        prefix = f"sub{slot}_"
        if not any(text(prefix + f) for f in ("name", "established_in", "controlled_from", "share")):
            continue  # an empty block
        share_text = text(prefix + "share").rstrip("%").strip()
        share = None
        if share_text:
            try:
                share = float(share_text.replace(",", ".")) / 100
            except ValueError:
                share = 0.0  # a placeholder: the problem below is the one to report
                problems.append(
                    Problem(
                        f"the share must be a percentage such as 20, not {share_text!r}",
                        field=f"subcontractors[{len(case['subcontractors'])}].share_of_contract_value",
                    )
                )
        case["subcontractors"].append(
            {
                "name": text(prefix + "name"),
                "established_in": text(prefix + "established_in"),
                "controlled_from": text(prefix + "controlled_from"),
                "share_of_contract_value": share,
                "contract_before": text(prefix + "contract_before") or None,
                "replacement_study_committed": post.get(prefix + "replacement_study") == "yes",
                "guarantees_approved": post.get(prefix + "guarantees_approved") == "yes",
            }
        )
    return case


def _date_from_parts(post, name: str, label: str, problems: list[Problem]) -> dt.date | None:
    """A GOV.UK date input (``name_day``, ``name_month``, ``name_year``): None when all three are
    empty; otherwise the date, or a problem naming the field by its label. Any year is a date."""
    parts = {part: (post.get(f"{name}_{part}") or "").strip() for part in ("day", "month", "year")}
    if not any(parts.values()):
        return None
    missing = [part for part, value in parts.items() if not value]
    if missing:
        what = " and ".join(missing) if len(missing) > 1 else f"a {missing[0]}"
        problems.append(Problem(f"{label} must include {what}", field=name))
        return None
    if not all(value.isascii() and value.isdecimal() for value in parts.values()):
        problems.append(Problem(f"{label} must be a real date, in numbers, such as 2 4 2026", field=name))
        return None
    if len(parts["year"]) != 4:
        problems.append(Problem(f"{label}: the year must have 4 numbers, such as 2026", field=name))
        return None
    try:
        return dt.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        problems.append(Problem(f"{label} must be a real date", field=name))
        return None


def _own_rates(text: str, problems: list[Problem]) -> dict[str, Decimal]:
    """Own rates, one a line: a currency code and how many units of it one euro buys (GBP 0.8523).
    Each bad line is named with its number and what it says."""
    rates: dict[str, Decimal] = {}
    lines = [line.strip() for line in text.splitlines()]
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        if number > MAX_OWN_RATES:
            problems.append(Problem(f"{RATES_LABEL}: give at most {MAX_OWN_RATES} lines", field="rates"))
            break
        shown = "".join(ch if ch.isprintable() else "\ufffd" for ch in line[:40]) + ("…" if len(line) > 40 else "")
        words = line.replace("=", " ").replace(":", " ").split()
        if len(words) != 2:
            problems.append(
                Problem(
                    f"{RATES_LABEL}, line {number}: ‘{shown}’ is not a currency code and a rate, such as GBP 0.8523",
                    field="rates",
                )
            )
            continue
        code, amount = words[0].upper(), words[1]
        if code not in known_currencies() or code == EURO:
            why = "the euro needs no rate" if code == EURO else f"‘{words[0]}’ is not a currency code we know"
            problems.append(Problem(f"{RATES_LABEL}, line {number}: {why}", field="rates"))
            continue
        if code in rates:
            problems.append(Problem(f"{RATES_LABEL}, line {number}: {code} is given twice", field="rates"))
            continue
        # one decimal separator, a point or a comma (0,8523); no thousands separators in a rate
        plain = amount.replace(",", ".") if amount.count(",") == 1 and "." not in amount else amount
        rate = Decimal(plain) if plain.isascii() and re.fullmatch(r"\d{1,12}(?:\.\d{1,12})?", plain) else None
        if rate is None or rate <= 0:
            problems.append(
                Problem(
                    f"{RATES_LABEL}, line {number}: the rate for {code} must be a positive number, "
                    f"such as 0.8523, not ‘{amount}’",
                    field="rates",
                )
            )
            continue
        rates[code] = rate
    return rates


def error_text(problem: Problem) -> str:
    """GOV.UK style: the message itself, prefixed only by where in the BOM it is."""
    message = problem.message[:1].upper() + problem.message[1:]
    if problem.line is not None:
        return f"BOM line {problem.line}" + (f", item {problem.item}" if problem.item else "") + f": {message}"
    if problem.item is not None:
        return f"BOM item {problem.item}: {message}"
    return message


_INDEXED = re.compile(r"^(\w+)\[(\d+)\](?:\.(\w+))?")


def form_field_id(problem: Problem) -> str:
    """Which form field an engine problem is about (for the error summary's links)."""
    field = problem.field or ""
    if problem.line is not None or field.startswith("bom"):
        return "bom_file"
    match = _INDEXED.match(field)
    if match:
        group, index, name = match.group(1), int(match.group(2)), match.group(3)
        if group == "subcontractors":
            name = {"share_of_contract_value": "share", "replacement_study_committed": "replacement_study"}.get(
                name or "name", name or "name"
            )
            return f"sub{index + 1}_{name}"
        return group
    if field.startswith("contractor."):
        return "contractor_" + field.split(".", 1)[1]
    if field == "rates_on":
        return "rates_on_day"  # the first input of the date
    if field.startswith("rates"):
        return "rates"
    known = {"title", "assessment_date", "contract_signed", "procurers", "loan_recipients", "category", "scenario"}
    known.add("currency")
    return field if field in known else "title"


@login_required
def assessment_new(request):
    if not policy.can(request.user, "create"):
        raise PermissionDenied("you may not create assessments")
    problems: list[Problem] = []
    if request.method == "POST":
        case = _case_from_form(request.POST, problems)
        upload = request.FILES.get("bom_file")
        bom = None
        bom_problems: list[Problem] = []
        if upload is None:
            bom_problems.append(Problem("upload the bill of materials (CSV, XLSX or JSON)", field="bom_file"))
        elif upload.size > services.limits().max_bom_file_bytes:
            limit = describe_bytes(services.limits().max_bom_file_bytes)
            bom_problems.append(
                Problem(f"{upload.name} is {describe_bytes(upload.size)}, over the {limit} limit", field="bom_file")
            )
        else:
            try:
                bom = bom_from_upload(upload.name, upload.read(), limits=services.limits())
            except BomInputError as exc:  # unreadable values: still check the parents and cycles
                bom_problems.extend(exc.problems + structure_problems(exc.bom))
            except InputError as exc:
                bom_problems.extend(exc.problems)
        try:
            # The form's own problems (a share that is not a number) and the BOM's are reported
            # together with the case's, so the user sees every problem at once.
            assessment = services.create_assessment(
                request.user,
                case,
                bom=bom,
                bom_problems=problems + bom_problems,
                scenario=request.POST.get("scenario") or BASELINE,
            )
            return redirect("procurement:detail", assessment_id=assessment.pk)
        except InputError as exc:
            problems = list(exc.problems)
    errors = [{"id": form_field_id(p), "text": error_text(p)} for p in problems]
    return render(
        request,
        "procurement/new.html",
        {
            "values": request.POST if request.method == "POST" else {},
            "errors": errors,
            "error_ids": {e["id"] for e in errors},
            "scenarios": {**builtin_scenarios(), **services.own_scenarios(request.user)},
            "slots": [f"sub{i}_" for i in range(1, SUBCONTRACTOR_SLOTS + 1)],
            "currencies": currency_choices(),
            "labels": {"currency": CURRENCY_LABEL, "rates_on": RATES_ON_LABEL, "rates": RATES_LABEL},
        },
        status=422 if problems else 200,
    )
