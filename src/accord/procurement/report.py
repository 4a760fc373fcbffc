"""The SAFE eligibility report (a certificate an official can file), rendered to PDF.

One Django template (``procurement/report.html``) serves every way in: the
``accord safe report`` command, the "Download PDF" link of a stored assessment
and the PDF of a fresh check. The report carries two SHA-256 fingerprints so a
reader can tell, years later, exactly which rules and which input gave the
verdict (how to recompute them: docs/procurement.md#fingerprints):

- the parameters: canonical JSON of ``{"assessment_date", "scenario",
  "parameters": {name: value in force on the assessment date}}``;
- the input: the bytes of the files given (the command line) and the
  canonical JSON of the case as assessed, its bill of materials inline (the
  case a stored assessment keeps, so a fresh check and its stored assessment
  share it).

WeasyPrint renders the HTML with a URL fetcher that refuses every address
except this capability's own static files: a report never reaches the network
(a value in a case cannot make it fetch anything) and uses the system's fonts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from accord.procurement.presentation import origin_rows, rule_label
from accord.rules.parameters import ParameterNotInForce, ParameterSet

STATIC_DIR = Path(__file__).resolve().parent / "static" / "procurement"
TEMPLATE = "procurement/report.html"
PARAMETER_PREFIX = "safe."
MAX_PARTS_LISTED = 25  # the largest non-eligible parts; the XLSX export has them all

# Figures of the verdict in words. Any other money or share figure the verdict holds is still
# printed (its key in words), so a figure added to the verdict appears without a change here.
FIGURE_LABELS = {
    "component_cost_eur": "Estimated cost of the components",
    "non_eligible_cost_eur": "Non-eligible component cost",
    "non_eligible_share": "Non-eligible share of the component cost",
    "non_eligible_cap": "Limit on the non-eligible share",
    "unknown_origin_cost_eur": "Components of unknown origin (counted as non-eligible)",
    "headroom_eur": "Headroom (negative: over the limit by this much)",
    "extra_non_eligible_eur": "Largest new non-eligible component that would still pass",
    "resource_eur": "Least non-eligible cost to move to an eligible origin (same price) to pass",
    "price_cut_eur": "Least cut in the price of non-eligible components to pass",
    "moved_cost_eur": "Cost of the parts to re-source",
}
# Parameters whose values are codes of the parties data or of countries, named in words.
FRAMEWORK_UNIT = "framework"
COUNTRY_UNIT = "ISO 3166"


# -- fingerprints ---------------------------------------------------------------------------


def canonical_json(data: Any) -> bytes:
    """Keys sorted, no spaces, UTF-8 (not \\u escapes): the same bytes for the same data."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain).encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parameter_values(params: ParameterSet, on: dt.date) -> dict[str, Any]:
    """Every SAFE parameter's value in force on the date (None where none is), scenario applied."""
    values: dict[str, Any] = {}
    for name in params.names(PARAMETER_PREFIX):
        try:
            values[name] = json.loads(canonical_json(params.value(name, on)))
        except ParameterNotInForce:
            values[name] = None
    return values


def parameters_document(scenario: str, on: dt.date, values: Mapping[str, Any]) -> dict[str, Any]:
    """What the parameters' fingerprint is the SHA-256 of (as canonical JSON)."""
    return {"assessment_date": on.isoformat(), "scenario": scenario, "parameters": dict(values)}


def parameters_fingerprint(scenario: str, on: dt.date, values: Mapping[str, Any]) -> str:
    return sha256(canonical_json(parameters_document(scenario, on, values)))


def case_fingerprint(case: Mapping[str, Any]) -> str:
    """The canonical case (the stable JSON, bill of materials inline) as assessed."""
    return sha256(canonical_json(case))


def input_fingerprints(case: Mapping[str, Any], files: Sequence[tuple[str, bytes]] = ()) -> list[dict[str, str]]:
    """The case's fingerprint, then one per file given (its bytes, as ``sha256sum`` gives)."""
    rows = [
        {
            "label": "The case as assessed",
            "how": "canonical JSON of the case, bill of materials included",
            "sha256": case_fingerprint(case),
        }
    ]
    rows += [{"label": f"File {name}", "how": "the file's bytes", "sha256": sha256(content)} for name, content in files]
    return rows


# -- words ----------------------------------------------------------------------------------


def _country(code: str, registry) -> str:
    if registry is not None and registry.is_known(code):
        return registry.party(code).name
    import pycountry

    found = pycountry.countries.get(alpha_2=str(code).upper())
    return getattr(found, "common_name", None) or getattr(found, "name", None) or str(code)


def _framework(code: str, registry) -> str:
    try:
        return registry.framework(code).name
    except (KeyError, AttributeError):
        return str(code).replace("_", " ")


def _date_words(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, str):
        try:
            return _date_words(dt.date.fromisoformat(value))
        except ValueError:
            return None
    return None


_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def dates_in_words(text: str) -> str:
    """The engine's sentences name dates as 2026-03-01; the report reads "1 March 2026"."""
    return _ISO_DATE.sub(lambda m: _date_words(m.group(0)) or m.group(0), str(text))


def value_words(value: Any, unit: str | None, registry=None) -> str:
    """A parameter's value as people read it: 35%, 30 May 2026, Canada, €10,000,000, yes."""
    unit = unit or ""
    if value is None:
        return "none (the rule does not apply)" if unit != "/1" else "no limit"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if (date := _date_words(value)) is not None:
        return date
    if isinstance(value, str) and COUNTRY_UNIT in unit and len(value) == 2:
        return _country(value, registry)
    if isinstance(value, (list, tuple)):
        if not value:
            return "none"
        return ", ".join(_item_words(v, unit, registry) for v in value)
    if isinstance(value, Mapping):
        return "; ".join(
            f"{_item_words(k, unit, registry)}: {value_words(v, _mapped_unit(unit), registry)}"
            for k, v in value.items()
        )
    if isinstance(value, (int, float)):
        if unit == "/1":
            return f"{value * 100:g}%"
        if "EUR" in unit:
            return f"€{value:,.0f}" if float(value).is_integer() else f"€{value:,.2f}"
        if unit == "years":
            return f"{value:g} year{'s' if value != 1 else ''}"
        return f"{value:g}"
    return str(value)


def _item_words(item: Any, unit: str, registry) -> str:
    if isinstance(item, str) and FRAMEWORK_UNIT in unit:
        return _framework(item, registry)
    if isinstance(item, str) and (COUNTRY_UNIT in unit or unit.startswith("EUR per")) and len(item) == 2:
        return _country(item, registry)
    if isinstance(item, str) and "category" in unit:
        return f"category {item}"
    return value_words(item, None, registry) if not isinstance(item, str) else item


def _mapped_unit(unit: str) -> str | None:
    """The unit of a mapping's values: ``X -> Member State`` is a country, ``EUR per X`` money."""
    if unit.startswith("EUR"):
        return "EUR"
    if "Member State" in unit:
        return "ISO 3166 country"
    return None


def parameter_rows(params: ParameterSet, on: dt.date, values: Mapping[str, Any], registry=None) -> list[dict]:
    """One row per parameter: its label, its value in words, the references of that value."""
    rows = []
    for name, value in values.items():
        parameter = params.parameters.get(name)
        unit = parameter.unit if parameter else None
        rows.append(
            {
                "label": parameter.label if parameter else name,
                "value": value_words(value, unit, registry),
                "references": [r.as_dict() for r in parameter.references_on(on)] if parameter else [],
                "scenario": bool(parameter and parameter.overridden_by),
            }
        )
    return rows


def figure_rows(verdict: Mapping[str, Any]) -> list[dict[str, str]]:
    """Every money or share figure of the verdict, including those grouped in a mapping
    (such as the headroom figures), in words: what the verdict holds is what is printed."""
    rows = []

    def add(key: str, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return
        if key.endswith("_eur"):
            text = f"-€{-value:,.2f}" if value < 0 else f"€{value:,.2f}"
        elif key.endswith(("_share", "_cap")):
            text = f"{value * 100:.2f}%"
        else:
            return
        label = FIGURE_LABELS.get(key) or key.removesuffix("_eur").replace("_", " ").capitalize()
        rows.append({"label": label, "value": text})

    for key, value in verdict.items():
        if isinstance(value, Mapping) and key not in ("bom", "cost_by_origin"):
            for inner, figure in value.items():
                add(inner, figure)
        else:
            add(key, value)
    return rows


def part_rows(parts: Sequence[Mapping[str, Any]] | None, registry=None) -> list[dict[str, Any]]:
    """The largest non-eligible parts (``advice.parts`` as dicts), when they were listed."""
    if not isinstance(parts, Sequence):
        return []
    rows = [p for p in parts if isinstance(p, Mapping) and not p.get("eligible", True)]
    rows.sort(key=lambda p: -(p.get("cost_eur") or 0))
    return [
        {
            "id": p.get("id"),
            "origin": _country(p["origin"], registry) if p.get("origin") else "Not given",
            "cost_eur": p.get("cost_eur") or 0,
            "share": (p.get("share") or 0) * 100,
        }
        for p in rows[:MAX_PARTS_LISTED]
    ]


# -- the report -----------------------------------------------------------------------------


def report_context(
    verdict: Mapping[str, Any],
    params: ParameterSet,
    *,
    case: Mapping[str, Any],
    files: Sequence[tuple[str, bytes]] = (),
    values: Mapping[str, Any] | None = None,
    registry=None,
    audit: Mapping[str, Any] | None = None,
    assessment_id: int | None = None,
    produced_at: dt.datetime | None = None,
    parts: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Everything the report template shows. ``values``: the parameter values the verdict
    used, when they were recorded; otherwise those in force now for its date and scenario."""
    on = dt.date.fromisoformat(str(verdict["assessment_date"]))
    values = dict(values) if values is not None else parameter_values(params, on)
    scenario = str(verdict.get("scenario") or params.scenario)
    return {
        "verdict": verdict,
        "case": case,
        "assessment_date": on,
        "checks": [
            {**c, "label": rule_label(c["rule"]), "detail": dates_in_words(c["detail"])}
            for c in verdict.get("checks", [])
        ],
        "warnings": [dates_in_words(w) for w in verdict.get("warnings", [])],
        "conditions": [dates_in_words(c) for c in verdict.get("conditions", [])],
        "figures": figure_rows(verdict),
        "origins": [
            {**o, "name": _country(o["origin"], registry) if o["origin"] else "Not given"}
            for o in (origin_rows(verdict) if "origins" in verdict else [])
        ],
        "agreements": [{**a, "name": _country(a["country"], registry)} for a in verdict.get("agreements") or []],
        "parts": part_rows(parts, registry),
        "parameters": parameter_rows(params, on, values, registry),
        "parameters_fingerprint": parameters_fingerprint(scenario, on, values) if values else None,
        "inputs": input_fingerprints(case, files),
        "procurers": [_country(c, registry) for c in case.get("procurers") or []],
        "audit": audit,
        "assessment_id": assessment_id,
        "produced_at": produced_at or dt.datetime.now(dt.UTC),
    }


def render_html(context: Mapping[str, Any], request=None) -> str:
    from django.template.loader import render_to_string

    return render_to_string(TEMPLATE, dict(context), request=request)


def render_pdf(html: str) -> bytes:
    """The HTML as an A4 PDF; only this capability's static files may be read."""
    import logging

    from weasyprint import HTML

    # WeasyPrint logs each address the fetcher refuses and each character no system font has
    # (an emoji in a title): expected here, and not for the user of the command to read.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=static_only_fetcher()).write_pdf()


def static_only_fetcher():
    """A WeasyPrint URL fetcher that serves files under ``STATIC_DIR`` and refuses anything
    else (http, https, data, other files): the report never reaches the network."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = _static_path(url)
            if path is None:
                raise ValueError(f"the report may not load {url[:80]!r}")
            kind = "text/css" if path.suffix == ".css" else "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return StaticOnly(allowed_protocols=("file",), allow_redirects=False)


def _static_path(url: str) -> Path | None:
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    if not path.is_file() or not path.is_relative_to(STATIC_DIR):
        return None
    return path
