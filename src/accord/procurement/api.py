"""REST API of the procurement capability (mounted at /api/v1/safe/).

    POST /api/v1/safe/assessments        a case (JSON, the format of docs/procurement.md,
                                         BOM inline; optional "scenario": a built-in name)
                                         -> 201 the stored assessment with its verdict;
                                            422 {"errors": [...]} for bad input, nothing stored
    GET  /api/v1/safe/assessments        the assessments the caller may see
    GET  /api/v1/safe/assessments/{id}   one assessment; 404 if the caller may not see it

Every route needs a bearer token.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from ninja import Field, File, Query, Router, Schema, Status, UploadedFile

from accord.errors import InputError
from accord.platform import policy
from accord.procurement import services
from accord.procurement.models import Assessment

router = Router(tags=["Procurement (SAFE)"])

CASE_EXAMPLE = {
    "title": "Joint 155mm ammunition purchase",
    "assessment_date": "2026-03-01",
    "contract_signed": "2026-02-15",
    "procurers": ["PL", "LT"],
    "loan_recipients": ["PL"],
    "category": 1,
    "contractor": {"name": "Prime", "established_in": "PL", "controlled_from": "PL", "design_authority_in": "PL"},
    "subcontractors": [],
    "bom": [
        {"id": "SHELL", "parent": None, "quantity": 1},
        {"id": "BODY", "parent": "SHELL", "quantity": 1, "purchased": True, "unit_cost_eur": 640, "origin": "PL"},
        {"id": "FUZE", "parent": "SHELL", "quantity": 1, "purchased": True, "unit_cost_eur": 300, "origin": "GB"},
    ],
    "scenario": "baseline",
}


def assessment_out(assessment: Assessment, *, with_case: bool = True) -> dict[str, Any]:
    out = {
        "id": assessment.pk,
        "title": assessment.title,
        "owner": assessment.owner.code,
        "shared_with": sorted(p.code for p in assessment.shared_with.all()),
        "created_at": assessment.created_at.isoformat(),
        "assessment_date": assessment.assessment_date.isoformat(),
        "scenario": assessment.scenario,
        "eligible": assessment.eligible,
        "verdict": assessment.verdict,
        "url": f"/safe/assessments/{assessment.pk}/",
    }
    if with_case:
        out["case"] = assessment.case
    return out


def _json_body(request) -> dict[str, Any]:
    from django.conf import settings
    from django.core.exceptions import RequestDataTooBig

    try:
        body = request.body
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raise InputError(f"the request body is over the {limit // (1024 * 1024)} MB limit", field="body") from None
    try:
        data = json.loads(body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"the request body is not valid JSON ({exc})", field="body") from None
    if not isinstance(data, dict):
        raise InputError("the request body must be a JSON object (a SAFE case)", field="body")
    return data


@router.post(
    "/assessments",
    response={201: dict},
    summary="Assess a SAFE case and store it",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}, "example": CASE_EXAMPLE}},
        }
    },
)
def create_assessment(request):
    data = _json_body(request)
    scenario = data.pop("scenario", None)
    assessment = services.create_assessment(request.auth, data, scenario=scenario or "baseline")
    return Status(201, assessment_out(assessment))


@router.get("/assessments", response=list[dict], summary="The SAFE assessments you may see")
def list_assessments(request):
    records = policy.visible(request.auth, Assessment.objects.select_related("owner").prefetch_related("shared_with"))
    return [assessment_out(a, with_case=False) for a in records]


@router.get("/assessments/{assessment_id}", response=dict, summary="One SAFE assessment (404 if not visible)")
def get_assessment(request, assessment_id: int):
    assessment = policy.get_visible(request.auth, Assessment.objects.select_related("owner"), pk=assessment_id)
    return assessment_out(assessment)


class PortfolioIn(Schema):
    cases: list[dict[str, Any]] = Field(
        ..., min_length=1, max_length=10_000, description="The cases, each in the format of POST /assessments."
    )
    scenario: str = Field("baseline", max_length=100, description="A built-in scenario name.")


class JobAccepted(Schema):
    id: str
    status: str
    url: str = Field(description="Poll this API address until status is done or failed.")
    page: str = Field(description="The page that shows the job's progress and result.")


def _accepted(job) -> Status:
    """202 with the job to poll (its address in the API and its page)."""
    job.refresh_from_db()
    return Status(
        202, {"id": str(job.pk), "status": job.status, "url": f"/api/v1/jobs/{job.pk}", "page": f"/jobs/{job.pk}/"}
    )


@router.post(
    "/portfolio",
    response={202: JobAccepted},
    summary="Check many cases in the background, storing nothing: 202 with the job to poll",
)
def check_portfolio(request, payload: PortfolioIn):
    from accord.background.jobs import submit
    from accord.procurement.jobs import PORTFOLIO

    scenario = services.builtin_scenario(payload.scenario)
    count = len(payload.cases)
    job = submit(
        request.auth,
        PORTFOLIO,
        f"Check of {count} SAFE case{'s' if count != 1 else ''}",
        {"cases": payload.cases, "scenario": scenario},
        total=count,
    )
    return _accepted(job)


# -- portfolio, own scenarios, declarations and re-evaluated verdicts ------------------------------
#
#   GET  /api/v1/safe/portfolio                  the assessments the caller may see, filtered, paginated,
#                                                with totals by origin (?format=csv: the whole list as CSV)
#   POST /api/v1/safe/assessments/{id}/accept    accept a flagged re-evaluation (an editor of the owner)
#   GET  /api/v1/safe/scenarios                  the caller's party's own scenarios
#   POST /api/v1/safe/scenarios                  add or replace one (YAML of parameter overrides)
#   POST /api/v1/safe/declarations               upload supplier declarations (CSV or XLSX, multipart)
#   GET  /api/v1/safe/declarations/expiring      the party's declarations ending within ?days=N
#   POST /api/v1/safe/reassess                   evaluate the party's assessments again (202, a job)


class PortfolioQuery(Schema):
    procurer: str | None = Field(None, max_length=2, description="A procurer's country code, e.g. PL.")
    category: Literal[1, 2] | None = Field(None, description="SAFE product category.")
    verdict: Literal["eligible", "not-eligible", "flagged"] | None = Field(
        None, description="flagged: the verdict or figures would change under the rules now."
    )
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=500)
    format: Literal["json", "csv"] = "json"


# -- advice a firm can act on (issue 10) ---------------------------------------------------------


class PartOut(Schema):
    id: str
    origin: str | None
    status: str
    status_label: str
    eligible: bool
    purchased: bool
    quantity: float = Field(description="Units per end product, over every use.")
    unit_cost: float
    currency: str
    cost_eur: float = Field(description="Unit cost times the rolled-up quantity, in euros, to the cent.")
    share: float = Field(description="Share of the estimated component cost.")
    where_used: list[str]
    where_used_count: int
    lines: list[int]


class HeadroomOut(Schema):
    passes: bool
    extra_non_eligible_eur: float | None = Field(
        description="The largest new non-eligible component that still passes, rounded down; null: no limit."
    )
    resource_eur: float = Field(description="Non-eligible cost to move to eligible origins at the same price.")
    price_cut_eur: float | None = Field(description="Least cut in non-eligible prices that passes; null: none does.")
    rounding: str
    sentences: list[str]


class PartsOut(Schema):
    eligible: bool
    headroom: HeadroomOut
    parts: list[PartOut]


class CandidateIn(Schema):
    part: str = Field(..., min_length=1, max_length=200)
    unit_cost: float | None = Field(None, ge=0, description="The eligible supplier's price of one unit.")
    currency: str = Field("EUR", min_length=3, max_length=3)
    origin: str | None = Field(None, max_length=2)
    supplier: str | None = Field(None, max_length=200)
    pinned: bool = False


class ResourceIn(Schema):
    pins: list[str] = Field(default_factory=list, max_length=100_000, description="Parts that cannot move.")
    candidates: list[CandidateIn] | None = Field(
        None, max_length=100_000, description="Eligible suppliers' prices; only these parts may then move."
    )
    time_limit: float = Field(20.0, ge=1, le=60, description="Seconds the solver may take.")


class MoveOut(Schema):
    id: str
    old_cost_eur: float
    new_cost_eur: float
    extra_cost_eur: float
    origin: str | None
    supplier: str | None
    required: bool


class CannotMoveOut(Schema):
    id: str
    why: str


class PlanOut(Schema):
    passes_before: bool
    passes_after: bool
    feasible: bool
    parts_to_resource: list[str]
    moves: list[MoveOut]
    moved_cost_eur: float
    new_cost_eur: float
    extra_cost_eur: float
    non_eligible_cost_after_eur: float
    component_cost_after_eur: float
    non_eligible_share_after: float
    non_eligible_cap: float
    method: str
    optimal: bool
    exact_scale: bool
    explanation: str
    pinned: list[str]
    cannot_move: list[CannotMoveOut]
    notes: list[str]


@router.get(
    "/assessments/{assessment_id}/parts",
    response=PartsOut,
    summary="The parts of a SAFE assessment, largest non-eligible first, and the headroom",
)
def assessment_parts(request, assessment_id: int):
    from accord.procurement.advice_views import assessed_case
    from accord.procurement.engine import advice

    assessment = policy.get_visible(request.auth, Assessment.objects.select_related("owner"), pk=assessment_id)
    case, verdict = assessed_case(assessment)
    return {
        "eligible": verdict.eligible,
        "headroom": verdict.headroom.as_dict(),
        "parts": [p.as_dict() for p in advice.parts(case, verdict)],
    }


@router.post(
    "/assessments/{assessment_id}/resource",
    response=PlanOut,
    summary="The least-cost set of parts to re-source so the case passes (nothing stored)",
)
def assessment_resource(request, assessment_id: int, payload: ResourceIn):
    from accord.procurement.advice_views import assessed_case, origin_is_eligible
    from accord.procurement.engine import advice, resource

    assessment = policy.get_visible(request.auth, Assessment.objects.select_related("owner"), pk=assessment_id)
    case, verdict = assessed_case(assessment)
    offers = None
    if payload.candidates is not None:
        rows = json.dumps([c.model_dump() for c in payload.candidates]).encode()
        offers = resource.read_candidates(
            rows,
            "candidates.json",
            to_euro=resource.euro_converter(case, verdict),
            origin_ok=origin_is_eligible(verdict),
        )
    found = advice.parts(case, verdict)
    return resource.plan(found, verdict, candidates=offers, pins=payload.pins, time_limit=payload.time_limit).as_dict()


class PortfolioItem(Schema):
    id: int
    title: str
    owner: str
    procurers: list[str]
    category: int | None
    assessment_date: str
    scenario: str
    eligible: bool
    flagged: bool = Field(description="The verdict or figures would change under the rules now.")
    non_eligible_share: float | None
    component_cost_eur: float | None
    cost_by_origin: dict[str, float]
    url: str


class OriginTotal(Schema):
    origin: str = Field(description="Country code; empty where the BOM gives no origin.")
    cost_eur: float


class PortfolioOut(Schema):
    count: int
    page: int
    pages: int
    items: list[PortfolioItem]
    totals_by_origin: list[OriginTotal] = Field(description="Over every assessment matching the filters.")


def _portfolio_item(a: Assessment) -> dict[str, Any]:
    verdict = a.verdict or {}
    return {
        "id": a.pk,
        "title": a.title,
        "owner": a.owner.code,
        "procurers": [c for c in a.procurers.split(",") if c],
        "category": a.category,
        "assessment_date": a.assessment_date.isoformat(),
        "scenario": a.scenario,
        "eligible": a.eligible,
        "flagged": a.flagged_at is not None,
        "non_eligible_share": verdict.get("non_eligible_share"),
        "component_cost_eur": verdict.get("component_cost_eur"),
        "cost_by_origin": verdict.get("cost_by_origin", {}),
        "url": f"/safe/assessments/{a.pk}/",
    }


@router.get("/portfolio", response=PortfolioOut, summary="The assessments you may see, filtered, with totals")
def assessment_portfolio(request, filters: Query[PortfolioQuery]):
    import csv
    import io

    from django.http import HttpResponse

    from accord.procurement import reassessment
    from accord.web.lists import _csv_cell

    records = reassessment.portfolio(
        request.auth, procurer=filters.procurer, category=filters.category, verdict=filters.verdict
    ).select_related("owner")
    if filters.format == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        columns = [
            "id",
            "title",
            "owner",
            "procurers",
            "category",
            "assessment_date",
            "scenario",
            "eligible",
            "flagged",
            "non_eligible_share",
            "component_cost_eur",
        ]
        writer.writerow(columns)
        for a in records:
            item = _portfolio_item(a)
            item["procurers"] = " ".join(item["procurers"])
            writer.writerow([_csv_cell("" if item[c] is None else str(item[c])) for c in columns])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="safe-portfolio.csv"'
        return response
    count = records.count()
    start = (filters.page - 1) * filters.page_size
    items = [_portfolio_item(a) for a in records[start : start + filters.page_size]]
    return {
        "count": count,
        "page": filters.page,
        "pages": max(1, -(-count // filters.page_size)),
        "items": items,
        "totals_by_origin": reassessment.totals_by_origin(records),
    }


@router.post("/assessments/{assessment_id}/accept", response=dict, summary="Accept a flagged re-evaluation")
def accept_reassessment(request, assessment_id: int):
    from accord.procurement import reassessment

    return assessment_out(reassessment.accept_new_verdict(request.auth, assessment_id))


class ScenarioIn(Schema):
    name: str | None = Field(
        None, max_length=60, description="Lower-case letters, digits, hyphens; or give it in the YAML."
    )
    yaml: str = Field(..., max_length=64 * 1024, description="The scenario: YAML with overrides (and label).")


class ScenarioOut(Schema):
    name: str
    label: str
    overrides: dict[str, Any]
    flagged_assessments: list[int] = Field(default_factory=list, description="Assessments that would now change.")


@router.get("/scenarios", response=list[ScenarioOut], summary="Your party's own scenarios")
def list_scenarios(request):
    from accord.procurement import reassessment

    return [
        {"name": s.name, "label": s.label, "overrides": s.overrides}
        for s in reassessment.visible_scenarios(request.auth)
    ]


@router.post("/scenarios", response={201: ScenarioOut}, summary="Add or replace one of your party's scenarios")
def upload_scenario(request, payload: ScenarioIn):
    from accord.procurement import reassessment

    record, summary = reassessment.upload_scenario(request.auth, payload.yaml, name=payload.name)
    return Status(
        201,
        {
            "name": record.name,
            "label": record.label,
            "overrides": record.overrides,
            "flagged_assessments": summary.flagged if summary else [],
        },
    )


class DeclarationOut(Schema):
    supplier: str
    part_number: str
    origin: str
    valid_from: str
    valid_to: str
    document_reference: str


class DeclarationsImported(Schema):
    added: int
    updated: int
    read: int


@router.post("/declarations", response={201: DeclarationsImported}, summary="Upload supplier declarations")
def upload_declarations(request, file: UploadedFile = File(...)):
    from accord.procurement import declarations
    from accord.procurement.engine.declarations import MAX_FILE_BYTES

    if file.size > MAX_FILE_BYTES:
        raise InputError(f"the file must be smaller than {MAX_FILE_BYTES // (1024 * 1024)} MB", field="file")
    return Status(201, declarations.import_declarations(request.auth, file.name or "", file.read()))


@router.get("/declarations/expiring", response=list[DeclarationOut], summary="Your declarations ending soon")
def expiring_declarations(request, days: int = Query(90, ge=0, le=3660)):
    from accord.procurement import declarations

    return [declarations.as_declaration(r).as_dict() for r in declarations.expiring(request.auth, days)]


@router.post("/reassess", response={202: JobAccepted}, summary="Evaluate your party's assessments again (a job)")
def reassess(request):
    from accord.background.jobs import submit
    from accord.procurement.jobs import REASSESS

    policy.require(request.auth, "create")
    job = submit(request.auth, REASSESS, "Evaluate the SAFE assessments again under the rules now", {})
    return _accepted(job)
