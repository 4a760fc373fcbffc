"""Deployment plans: run a force list through the scheduler; store, share and merge plans.

The scheduling itself is the pure engine (``engine/deploy``); this module
reads the inputs users bring (a file's bytes, an assets file) and, for stored
plans, keeps them with their owner state (``models.DeploymentPlan``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from accord.errors import InputError, Problem

from .engine.deploy import DeployResult, deploy
from .engine.deploy.capacity import load_capacity
from .engine.deploy.forcelist import ForceList, read_force_list
from .engine.planner import default_network, shipped_catalogue
from .engine.rules import mobility_parameters


def _setting(content: bytes, name: str):
    # Node ids and the catalogue do not depend on the date; the engine builds the network whose
    # lengths follow the parameters in force on the force's first ready day.
    params = mobility_parameters()
    return params, shipped_catalogue(), default_network(params, dt.date.today())


def read_force(content: bytes, name: str) -> tuple[ForceList, object, object, object]:
    params, catalogue, network = _setting(content, name)
    return read_force_list(content, name, network, catalogue), params, catalogue, network


def run_force_file(
    content: bytes,
    name: str,
    *,
    assets: Path | dict | None = None,
    time_limit_s: float = 30.0,
    solver: bool = True,
    progress=None,
) -> DeployResult:
    force, params, catalogue, network = read_force(content, name)
    return run_force(
        force,
        params=params,
        catalogue=catalogue,
        assets=assets,
        time_limit_s=time_limit_s,
        solver=solver,
        progress=progress,
    )


def run_force(
    force: ForceList,
    *,
    params=None,
    catalogue=None,
    network=None,
    assets=None,
    time_limit_s: float = 30.0,
    solver: bool = True,
    progress=None,
) -> DeployResult:
    params = params or mobility_parameters()
    catalogue = catalogue or shipped_catalogue()
    first = min(u.ready.date() if isinstance(u.ready, dt.datetime) else u.ready for u in force.units)
    network = network or default_network(params, first)
    if isinstance(assets, Path) and not assets.exists():
        raise InputError(Problem(f"the assets file {assets.name} does not exist", field="assets"))
    capacity = load_capacity(network, assets)
    return deploy(
        force,
        network=network,
        catalogue=catalogue,
        params=params,
        capacity=capacity,
        solver=solver,
        time_limit_s=time_limit_s,
        progress=progress,
    )
