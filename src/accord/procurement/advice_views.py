"""Advice pages of the procurement capability (issue 10): the parts on the verdict page, their
XLSX, and the re-sourcing plan. Thin: the engine computes, the policy decides who may see."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from accord.errors import InputError, Problem
from accord.money import format_share
from accord.platform import policy
from accord.procurement import services
from accord.procurement.engine import advice, assess, parse_case, resource, scenario_parameters
from accord.procurement.engine.countries import AGREEMENT, ELIGIBLE, CountryRules
from accord.procurement.models import Assessment

PARTS_SHOWN = 25  # rows on the verdict page; the XLSX has every part
MAX_CANDIDATES_BYTES = 5 * 1024 * 1024


def _visible_or_404(user, assessment_id: int) -> Assessment:
    try:
        return policy.get_visible(user, Assessment.objects.select_related("owner"), pk=assessment_id)
    except policy.NotVisible:
        raise Http404() from None


def assessed_case(assessment: Assessment):
    """The stored case assessed again under its own scenario, for its per-part figures."""
    reg = services.registry()
    case = parse_case(assessment.case, registry=reg, limits=services.limits())
    return case, assess(case, scenario_parameters(services.builtin_scenario(assessment.scenario)), reg)


def origin_is_eligible(verdict):
    """Whether an origin counts as eligible on the verdict's date (for suppliers' quotes)."""
    rules = CountryRules(
        scenario_parameters(services.builtin_scenario(verdict.scenario)), services.registry(), verdict.assessment_date
    )
    return lambda code: rules.status(code) in (ELIGIBLE, AGREEMENT)


def advice_context(assessment: Assessment) -> dict[str, Any]:
    """What the verdict page shows of the parts (the stored case, assessed again as stored)."""
    if int(assessment.verdict.get("bom", {}).get("purchased_counted", 0)) > advice.PARTS_LISTED_UP_TO:
        return {"parts_too_many": assessment.verdict["bom"]["purchased_counted"]}
    try:
        case, verdict = assessed_case(assessment)
    except InputError as exc:
        return {"parts_problems": [str(p) for p in exc.problems]}
    found = advice.parts(case, verdict)
    non_eligible = [p for p in found if not p.eligible]
    return {
        "parts": [{**p.as_dict(), "share_text": format_share(p.share, 2)} for p in found[:PARTS_SHOWN]],
        "parts_total": len(found),
        "parts_non_eligible": len(non_eligible),
    }


@login_required
def assessment_parts_xlsx(request, assessment_id: int):
    assessment = _visible_or_404(request.user, assessment_id)
    try:
        case, verdict = assessed_case(assessment)
    except InputError:
        raise Http404() from None
    content = advice.parts_workbook(advice.parts(case, verdict), verdict)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = slugify(assessment.title)[:60] or "safe-case"
    response["Content-Disposition"] = f'attachment; filename="{name}-parts.xlsx"'
    return response


@login_required
def assessment_resource(request, assessment_id: int):
    """The least-cost re-sourcing plan; pins and a file of eligible suppliers' prices optional."""
    assessment = _visible_or_404(request.user, assessment_id)
    problems: list[Problem] = []
    plan = None
    found: list[advice.Part] = []
    pins = request.POST.getlist("pin") if request.method == "POST" else []
    try:
        case, verdict = assessed_case(assessment)
        found = advice.parts(case, verdict)
        offers = None
        upload = request.FILES.get("candidates") if request.method == "POST" else None
        if upload is not None:
            if upload.size > MAX_CANDIDATES_BYTES:
                raise InputError("the suppliers' file is over the 5 MB limit", field="candidates")
            offers = resource.read_candidates(
                upload.read(),
                upload.name,
                to_euro=resource.euro_converter(case, verdict),
                origin_ok=origin_is_eligible(verdict),
            )
        plan = resource.plan(found, verdict, candidates=offers, pins=pins, time_limit=20.0).as_dict()
    except InputError as exc:
        problems = list(exc.problems)
    errors = [{"id": "candidates" if p.field != "pin" else "pin", "text": _error_text(p)} for p in problems]
    return render(
        request,
        "procurement/resource.html",
        {
            "assessment": assessment,
            "plan": plan,
            "movable": [p.as_dict() for p in found if not p.eligible],
            "pins": set(pins),
            "errors": errors,
            "error_ids": {e["id"] for e in errors},
        },
        status=422 if problems else 200,
    )


def _error_text(problem: Problem) -> str:
    message = problem.message[:1].upper() + problem.message[1:]
    if problem.line is not None:
        return f"Suppliers' file line {problem.line}: {message}"
    return message
