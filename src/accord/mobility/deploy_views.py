"""Web pages of deployment plans (issue 14): list and upload, merge, a plan with its Gantt, node load and permissions.

Thin: ``deployments`` (services) and the engine do the work. Charts are
server-rendered SVG with a table beside them, so they work without JavaScript.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accord.errors import InputError
from accord.mobility import deployments
from accord.mobility.engine.deploy.export import TABLES, to_csv, to_xlsx
from accord.platform import policy
from accord.platform.models import Party
from accord.web.charts import Bar, bar_chart

STATUS_LABELS = {"scheduling": "Being scheduled", "planned": "Planned", "failed": "Could not be planned"}
FIELD_ANCHORS = {
    "title": "title",
    "share_with": "share_with",
    "force_list": "force_file",
    "assets": "force_file",
    "plans": "plans",
    "time_limit": "title",
}
MODE_COLOURS = {"road": "#1d70b8", "rail": "#00703c", "sea": "#4c2c92", "tunnel": "#505a5f"}
MODE_WORDS = {"road": "Road", "rail": "Rail", "sea": "Sea", "tunnel": "Channel Tunnel"}
UPLOAD_LIMIT = 10 * 1024 * 1024
SCHEDULE_ROWS_SHOWN = 400


def _errors(problems) -> list[dict]:
    out = []
    for p in problems:
        where = f"Line {p.line}: " if p.line is not None else ""
        out.append(
            {"text": f"{where}{p.message}", "anchor": FIELD_ANCHORS.get((p.field or "").split(".")[0], "force_file")}
        )
    return out


def _may_merge(user) -> bool:
    party = policy.party_of(user)
    return party is not None and party.code in ("NATO", "EU") and policy.has_role(user, "editor", "administrator")


def _list_context(request, errors=None, form=None) -> dict:
    plans = list(deployments.plans_for(request.user).prefetch_related("merged_from"))
    names = dict(Party.objects.values_list("code", "name"))
    rows = [
        {
            "id": p.pk,
            "title": p.title,
            "owner": names.get(p.owner.code, p.owner.code),
            "units": p.units,
            "vehicles": p.vehicles,
            "status": STATUS_LABELS.get(p.status, p.status),
            "merged": bool(p.merged_from.all()),
        }
        for p in plans
    ]
    mergeable = [r for r, p in zip(rows, plans, strict=True) if p.status == "planned" and not r["merged"]]
    return {
        "plans": rows,
        "may_create": policy.has_role(request.user, "editor", "administrator"),
        "may_merge": _may_merge(request.user) and len(mergeable) >= 2,
        "mergeable": mergeable,
        "problems": errors or [],
        "form": form or {},
    }


@login_required
def deployment_list(request):
    return render(request, "mobility/deploy_list.html", _list_context(request))


@login_required
@require_POST
def deployment_create(request):
    form = {"title": request.POST.get("title", ""), "share_with": request.POST.getlist("share_with")}
    upload = request.FILES.get("force_file")
    data = {"title": form["title"], "share_with": [c for c in form["share_with"] if c in ("NATO", "EU")]}
    if upload is None:
        problems = [{"text": "Select a force list file (CSV, XLSX or JSON)", "anchor": "force_file"}]
        if not form["title"].strip():
            problems.insert(0, {"text": "Enter a title for the deployment plan", "anchor": "title"})
        return render(request, "mobility/deploy_list.html", _list_context(request, problems, form), status=422)
    if upload.size > UPLOAD_LIMIT:
        problems = [{"text": "The force list file must be 10 MB or smaller", "anchor": "force_file"}]
        return render(request, "mobility/deploy_list.html", _list_context(request, problems, form), status=422)
    data["force_file"] = (upload.read(), upload.name or "force list")
    try:
        plan = deployments.create_plan(request.user, data)
    except policy.Forbidden:
        raise PermissionDenied() from None
    except InputError as exc:
        return render(
            request, "mobility/deploy_list.html", _list_context(request, _errors(exc.problems), form), status=422
        )
    return redirect(reverse("mobility:deployment", args=[plan.pk]))


@login_required
@require_POST
def deployment_merge(request):
    ids = [i for i in request.POST.getlist("plans") if i.isdigit()]
    try:
        plan = deployments.merge_plans(
            request.user, {"plans": [int(i) for i in ids], "title": request.POST.get("title") or None}
        )
    except policy.NotVisible:
        raise Http404() from None
    except policy.Forbidden:
        raise PermissionDenied() from None
    except InputError as exc:
        return render(request, "mobility/deploy_list.html", _list_context(request, _errors(exc.problems)), status=422)
    return redirect(reverse("mobility:deployment", args=[plan.pk]))


def _moment(text: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def gantt(result: dict) -> str:
    """One row per unit, one bar per leg coloured by mode, over the days of the deployment (accessible SVG)."""
    schedule = result.get("schedule", [])
    units = [u["unit"] for u in result.get("units", [])]
    spans = [(r["unit"], _moment(r["start"]), _moment(r["end"]), r["mode"]) for r in schedule]
    spans = [s for s in spans if s[1] and s[2]]
    if not spans or not units:
        return ""
    first = min(s[1] for s in spans).astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    last = max(s[2] for s in spans).astimezone(dt.UTC)
    days = max(1, (last - first).days + 1)
    label_w, width, row_h = 220, 1000, 16
    plot_w = width - label_w - 10
    height = 40 + row_h * len(units) + 30
    index = {u: i for i, u in enumerate(units)}

    def x(moment: dt.datetime) -> float:
        return label_w + (moment - first).total_seconds() / (days * 86400) * plot_w

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="accord-chart" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="gantt-title gantt-desc" font-family="Arial, sans-serif">',
        '<title id="gantt-title">Deployment timeline by unit</title>',
        f'<desc id="gantt-desc">Each unit\'s legs by road, rail and sea from {first:%d %B %Y} over {days} days, '
        f"in UTC. The table of units below gives the same departures and arrivals.</desc>",
    ]
    step = max(1, days // 15)
    for d in range(0, days + 1, step):
        moment = first + dt.timedelta(days=d)
        px = x(moment)
        parts.append(
            f'<line x1="{px:.1f}" y1="30" x2="{px:.1f}" y2="{height - 25}" stroke="#b1b4b6" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{px:.1f}" y="22" font-size="11" text-anchor="middle" fill="#0b0c0c">{moment:%d %b}</text>'
        )
    for unit, i in index.items():
        y = 36 + i * row_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 11}" font-size="11" text-anchor="end" fill="#0b0c0c">{escape(unit[:34])}</text>'
        )
    for unit, start, end, mode in spans:
        if unit not in index:
            continue
        y = 36 + index[unit] * row_h + 2
        x0, x1 = x(start.astimezone(dt.UTC)), x(end.astimezone(dt.UTC))
        parts.append(
            f'<rect x="{x0:.1f}" y="{y}" width="{max(1.0, x1 - x0):.1f}" height="{row_h - 5}" '
            f'fill="{MODE_COLOURS.get(mode, "#505a5f")}"/>'
        )
    lx = label_w
    for mode, colour in MODE_COLOURS.items():
        parts.append(
            f'<rect x="{lx}" y="{height - 18}" width="14" height="10" fill="{colour}"/>'
            f'<text x="{lx + 18}" y="{height - 9}" font-size="11" fill="#0b0c0c">{MODE_WORDS[mode]}</text>'
        )
        lx += 130
    parts.append("</svg>")
    return mark_safe("".join(parts))


def node_chart(result: dict):
    rows = [r for r in result.get("node_load", []) if r.get("capacity")]
    rows.sort(key=lambda r: (-r["used"] / r["capacity"], r["node_name"], r["date"]))
    bars = []
    for r in rows[:30]:
        share = 100 * r["used"] / r["capacity"]
        note = "full" if r["used"] >= r["capacity"] else ""
        bars.append(
            Bar(
                f"{r['node_name'][:28]}, {_day(r['date'])}",
                share,
                "#d4351c" if note else "#1d70b8",
                f"({r['used']} of {r['capacity']} {r['kind']}) {note}".strip(),
            )
        )
    if not bars:
        return ""
    return bar_chart(
        bars,
        title="Busiest nodes: share of the day's capacity used",
        unit="%",
        max_value=100,
        description="The node-days closest to their capacity. The table below lists every node and day.",
        chart_id="node-load",
        label_width=300,
        width=900,
    )


def _day(text: str) -> str:
    try:
        d = dt.date.fromisoformat(text[:10])
    except (TypeError, ValueError):
        return text or "–"
    return f"{d.day} {d:%B %Y}"


@login_required
def deployment_detail(request, plan_id: str):
    try:
        plan = deployments.plan_for(request.user, plan_id)
    except policy.NotVisible:
        raise Http404() from None
    result = plan.result or {}
    names = dict(Party.objects.values_list("code", "name"))
    progress = None
    if plan.status == "scheduling" and plan.job:
        from accord.background.models import Job

        job = Job.objects.filter(pk=plan.job, owner=policy.party_of(request.user)).first()
        if job is not None:
            progress = {"done": job.done, "total": job.total, "percent": job.percent, "page": f"/jobs/{job.pk}/"}
    schedule = result.get("schedule", [])
    context = {
        "plan": plan,
        "owner_name": names.get(plan.owner.code, plan.owner.code),
        "shared": [names.get(c, c) for c in plan.shared_with.values_list("code", flat=True)],
        "status_label": STATUS_LABELS.get(plan.status, plan.status),
        "progress": progress,
        "summary": result.get("summary"),
        "units": result.get("units", []),
        "late_units": [u for u in result.get("units", []) if u.get("late_hours")],
        "schedule": schedule[:SCHEDULE_ROWS_SHOWN],
        "schedule_more": max(0, len(schedule) - SCHEDULE_ROWS_SHOWN),
        "lifts": result.get("lifts", []),
        "node_load": result.get("node_load", []),
        "permissions": [
            {
                **p,
                "state_name": names.get(p["state"], p["state"]),
                "requesting_name": names.get(p["requesting_state"], p["requesting_state"]),
            }
            for p in result.get("permissions", [])
        ],
        "conflicts": [
            {**c, "by_state_text": ", ".join(f"{names.get(k, k)} {v}" for k, v in sorted(c["by_state"].items()))}
            for c in plan.conflicts or []
        ],
        "merged_from": list(plan.merged_from.all()),
        "gantt": gantt(result),
        "node_chart": node_chart(result),
        "tables": [
            (key, title)
            for key, title in (
                ("units", "Units"),
                ("schedule", "Schedule"),
                ("lifts", "Sailings and trains"),
                ("node_load", "Node load"),
                ("permissions", "Permissions"),
            )
        ],
    }
    return render(request, "mobility/deploy_detail.html", context)


@login_required
def deployment_export(request, plan_id: str, table: str = "", fmt: str = "xlsx"):
    try:
        plan = deployments.plan_for(request.user, plan_id)
    except policy.NotVisible:
        raise Http404() from None
    data = plan.result or {}
    if fmt == "csv":
        if table not in TABLES:
            raise Http404()
        response = HttpResponse(to_csv(data, table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="deployment-{plan.pk}-{table}.csv"'
        return response
    response = HttpResponse(
        to_xlsx(data), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="deployment-{plan.pk}.xlsx"'
    return response
