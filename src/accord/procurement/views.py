"""Web pages of the procurement capability (thin: the engine, services and policy decide)."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from accord.errors import InputError, Problem
from accord.platform import policy
from accord.procurement import services
from accord.procurement.engine import BASELINE, bom_from_upload, builtin_scenarios
from accord.procurement.engine.bom import BomInputError
from accord.procurement.engine.limits import describe_bytes
from accord.procurement.engine.rollup import structure_problems
from accord.procurement.models import Assessment
from accord.procurement.presentation import (
    comparison_rows,
    cost_chart,
    origin_rows,
    rule_label,
)

SUBCONTRACTOR_SLOTS = 3


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
    known = {"title", "assessment_date", "contract_signed", "procurers", "loan_recipients", "category", "scenario"}
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
        },
        status=422 if problems else 200,
    )
