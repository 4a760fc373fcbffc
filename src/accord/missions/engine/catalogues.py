"""Capability and standard job description catalogues (reference data)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .register import DATA_DIR, RegisterError

CIVILIAN_POST = "civilian_post"  # the capability code for a post requested by job description


@dataclass(frozen=True)
class Capability:
    code: str
    label: str
    kind: str  # military | civilian
    unit: str
    personnel: int = 1  # people one unit usually takes (a planning figure): caps weigh units by it

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "kind": self.kind,
            "unit": self.unit,
            "personnel": self.personnel,
        }


@dataclass(frozen=True)
class JobDescription:
    code: str
    title: str
    category: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "category": self.category}


@dataclass(frozen=True)
class Catalogues:
    capabilities: Mapping[str, Capability]
    job_descriptions: Mapping[str, JobDescription]

    def capability(self, code: str) -> Capability | None:
        return self.capabilities.get(code)

    def job_description(self, code: str) -> JobDescription | None:
        return self.job_descriptions.get(code)


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@lru_cache(maxsize=2)
def _load(data_dir: str) -> Catalogues:
    base = Path(data_dir)
    caps_raw = _read(base / "capabilities.yaml")
    jds_raw = _read(base / "job_descriptions.yaml")
    try:
        capabilities = {
            c["code"]: Capability(c["code"], c["label"], c["kind"], c["unit"], int(c.get("personnel", 1)))
            for c in caps_raw["capabilities"]
        }
        job_descriptions = {
            j["code"]: JobDescription(j["code"], j["title"], j["category"]) for j in jds_raw["job_descriptions"]
        }
    except (KeyError, TypeError) as exc:
        raise RegisterError(f"catalogue files under {base} are malformed: {exc}") from None
    return Catalogues(capabilities=capabilities, job_descriptions=job_descriptions)


def load_catalogues(data_dir: Path | str | None = None) -> Catalogues:
    return _load(str(Path(data_dir or DATA_DIR).resolve()))
