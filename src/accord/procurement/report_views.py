"""Downloads of the procurement capability: the report of a verdict as PDF (a stored
assessment, or a fresh check that stores nothing) and the bill of materials template (XLSX).

Thin, like ``views``: policy decides who sees an assessment (``NotVisible`` is answered 404
by the refusal middleware, before anything about the record is read), services assess, and
``report`` renders the one report template.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accord.errors import InputError, Problem
from accord.platform import policy
from accord.platform.models import AuditEntry
from accord.procurement import report, services
from accord.procurement.advice_views import advice_context
from accord.procurement.engine import BASELINE, advice, bom_from_upload, builtin_scenarios, scenario_parameters
from accord.procurement.engine.bom import BomInputError
from accord.procurement.engine.bom_template import bom_template
from accord.procurement.engine.limits import describe_bytes
from accord.procurement.engine.rollup import structure_problems
from accord.procurement.models import Assessment
from accord.procurement.views import SUBCONTRACTOR_SLOTS, _case_from_form, error_text, form_field_id

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ASSESSED = "safe.assessed"  # the audit event services.create_assessment records


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _audit_of(assessment: Assessment, registry) -> dict | None:
    """The audit entry of the assessment (its "assessed" event, else its first entry), in words."""
    entries = AuditEntry.objects.filter(record_type=Assessment._meta.label, record_id=str(assessment.pk))
    entry = entries.filter(action=ASSESSED).order_by("sequence").first() or entries.order_by("sequence").first()
    if entry is None:
        return None
    party = entry.actor_party
    return {
        "sequence": entry.sequence,
        "at": entry.at,
        "actor": entry.actor,
        "party": registry.party(party).name if party and registry.is_known(party) else party,
        "hash": entry.hash,
        "prev_hash": entry.prev_hash,
    }


@login_required
@require_GET
def assessment_pdf(request, assessment_id: int):
    assessment = policy.get_visible(request.user, Assessment.objects.select_related("owner"), pk=assessment_id)
    registry = services.registry()
    values = None
    try:
        params = scenario_parameters(services.builtin_scenario(assessment.scenario))
    except InputError:  # a scenario since withdrawn: its values cannot be shown, and the report says so
        params, values = scenario_parameters(BASELINE), {}
    context = report.report_context(
        assessment.verdict,
        params,
        values=values,
        case=assessment.case,
        registry=registry,
        audit=_audit_of(assessment, registry),
        assessment_id=assessment.pk,
        parts=advice_context(assessment).get("parts"),  # as the verdict page lists them
    )
    pdf = report.render_pdf(report.render_html(context, request))
    return _download(pdf, PDF, f"safe-assessment-{assessment.pk}.pdf")


@login_required
def check_pdf(request):
    """The assessment form's facts and BOM, assessed and returned as a PDF; nothing stored."""
    if request.method != "POST":
        return redirect("procurement:new")
    problems: list[Problem] = []
    case = _case_from_form(request.POST, problems)
    upload = request.FILES.get("bom_file")
    bom = None
    files: list[tuple[str, bytes]] = []  # the uploaded file's bytes are fingerprinted too
    limit = services.limits().max_bom_file_bytes
    if upload is None:
        problems.append(Problem("upload the bill of materials (CSV, XLSX or JSON)", field="bom_file"))
    elif upload.size > limit:
        problems.append(
            Problem(
                f"{upload.name} is {describe_bytes(upload.size)}, over the {describe_bytes(limit)} limit",
                field="bom_file",
            )
        )
    else:
        try:
            files.append((upload.name, upload.read()))
            bom = bom_from_upload(upload.name, files[0][1], limits=services.limits())
        except BomInputError as exc:
            problems.extend(exc.problems + structure_problems(exc.bom))
        except InputError as exc:
            problems.extend(exc.problems)
    scenario = request.POST.get("scenario") or BASELINE
    try:
        checked, verdict = services.check_case(case, bom=bom, scenario=scenario, bom_problems=problems)
    except InputError as exc:
        errors = [{"id": form_field_id(p), "text": error_text(p)} for p in exc.problems]
        context = {
            "values": request.POST,
            "errors": errors,
            "error_ids": {e["id"] for e in errors},
            "scenarios": builtin_scenarios(),
            "slots": [f"sub{i}_" for i in range(1, SUBCONTRACTOR_SLOTS + 1)],
        }
        return render(request, "procurement/new.html", context, status=422)
    result = verdict.as_dict()
    canonical = {**services.case_record(checked), "assessment_date": result["assessment_date"]}
    context = report.report_context(
        result,
        scenario_parameters(services.builtin_scenario(scenario)),
        case=canonical,
        files=files,
        registry=services.registry(),
        parts=[p.as_dict() for p in advice.parts(checked, verdict)],
    )
    return _download(report.render_pdf(report.render_html(context, request)), PDF, "safe-check.pdf")


@login_required
@require_GET
def template_xlsx(request):
    return _download(bom_template(services.registry()), XLSX, "safe-bill-of-materials.xlsx")
