"""How one vehicle type may cross each edge: the edge filters of the planner.

A vehicle crosses a road or tunnel edge on its own wheels or tracks when its
load class, height and mass fit the edge, otherwise on a transporter when the
loaded transporter fits; a rail edge on a heavy flatcar when its mass fits the
flatcar; a sea edge on a ship. Unknown edge attributes take the stated
assumptions (``PlanningRules``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .mlc import class_for_mass
from .network import Network
from .rules import PlanningRules
from .vehicles import Catalogue, Vehicle

OWN, TRANSPORTER, RAIL, SHIP, SHUTTLE = "own", "transporter", "rail", "ship", "shuttle"


@dataclass(frozen=True)
class Movement:
    """What the edge filters need to know about a vehicle (hashable: graphs are cached by it)."""

    kind: str
    mlc: float | None  # None: beyond the highest class of the table
    mass_t: float | None
    height_m: float | None
    own_on_roads: bool
    transporter: str | None = None
    transport_mlc: float | None = None
    transport_gross_t: float | None = None
    transport_height_m: float | None = None
    rail_ok: bool = True
    width_m: float | None = None
    axle_load_t: float | None = None
    transport_width_m: float | None = None
    nation: str = ""  # whose transporters may carry it


@dataclass(frozen=True)
class Relaxation:
    """Constraints switched off to explain why no route exists."""

    load_class: bool = False
    height: bool = False
    weight: bool = False
    width: bool = False
    axle: bool = False


EVERYTHING = Relaxation(load_class=True, height=True, weight=True, width=True, axle=True)


def movement_for(vehicle: Vehicle, catalogue: Catalogue, rules: PlanningRules, nation: str | None = None) -> Movement:
    """What the edge filters need for ``vehicle`` moved by ``nation`` (its own transporters only)."""
    mlc, _ = vehicle.load_class(rules.mlc_table)
    own_on_roads = vehicle.kind == "wheeled" or rules.tracked_self_propelled_on_roads
    transporter = _transporter_for(vehicle, catalogue, nation)
    t_name = t_mlc = t_gross = t_height = t_width = None
    if transporter is not None and vehicle.mass_t is not None:
        tare = transporter.tare_t if transporter.tare_t is not None else rules.transporter_tare_t
        t_gross = tare + vehicle.mass_t
        t_mlc = class_for_mass(t_gross, "wheeled", rules.mlc_table)
        if vehicle.height_m is not None:
            # Loaded height: the vehicle on the deck; an unknown deck height counts as none (at least the vehicle's).
            t_height = max(vehicle.height_m + (transporter.deck_height_m or 0.0), transporter.height_m or 0.0)
        widths = [w for w in (vehicle.width_m, transporter.width_m) if w is not None]
        t_width = max(widths) if widths else None
        t_name = transporter.name
    rail_ok = vehicle.mass_t is None or vehicle.mass_t <= rules.rail_flatcar_payload_t
    return Movement(
        kind=vehicle.kind,
        mlc=mlc,
        mass_t=vehicle.mass_t,
        height_m=vehicle.height_m,
        own_on_roads=own_on_roads,
        transporter=t_name,
        transport_mlc=t_mlc,
        transport_gross_t=t_gross,
        transport_height_m=t_height,
        rail_ok=rail_ok,
        width_m=vehicle.width_m,
        axle_load_t=vehicle.axle_load_t,
        transport_width_m=t_width,
        nation=nation or "",
    )


def _transporter_for(vehicle: Vehicle, catalogue: Catalogue, nation: str | None) -> Vehicle | None:
    """The first of the nation's transporters whose payload takes the vehicle (never a transporter itself).

    Heavy equipment transporters are national assets: the UK's HET carries UK
    vehicles, the Bundeswehr's Mammut German ones. With ``nation`` None any
    transporter may carry it.
    """
    if vehicle.transporter or vehicle.mass_t is None:
        return None
    for t in catalogue.transporters(nation):
        if t.payload_t is not None and vehicle.mass_t <= t.payload_t:
            return t
    return None


def _fits(
    network: Network,
    edge_mlc: np.ndarray,
    mlc: float | None,
    height: float | None,
    mass: float | None,
    width: float | None,
    axle: float | None,
    rules: PlanningRules,
    relax: Relaxation,
    kind: str,
) -> np.ndarray:
    """Per edge: does a load of this class, height and mass fit? (STANAG 2021: class ≤ bridge class)."""
    n = edge_mlc.shape[0]
    if relax.load_class:
        ok = np.ones(n, dtype=bool)
    elif mlc is None:
        ok = np.zeros(n, dtype=bool)
    else:
        bridge = np.where(np.isnan(edge_mlc), float(rules.unknown_road_mlc[kind]), edge_mlc)
        ok = mlc <= bridge
    if height is not None and not relax.height:
        limit = network.edge_max_height
        if rules.unknown_max_height_m is not None:
            limit = np.where(np.isnan(limit), float(rules.unknown_max_height_m), limit)
        ok &= np.isnan(limit) | (height <= limit)
    if mass is not None and not relax.weight:
        ok &= np.isnan(network.edge_max_weight) | (mass <= network.edge_max_weight)
    if width is not None and not relax.width:
        ok &= np.isnan(network.edge_max_width) | (width <= network.edge_max_width)
    if axle is not None and not relax.axle:
        ok &= np.isnan(network.edge_max_axle) | (axle <= network.edge_max_axle)
    return ok


def edge_carriage(
    network: Network, movement: Movement, rules: PlanningRules, relax: Relaxation = Relaxation()
) -> np.ndarray:
    """Per edge, how the vehicle crosses it ('' when it cannot)."""
    mode = network.edge_mode
    is_land = (mode == "road") | (mode == "tunnel")
    edge_mlc = network.edge_mlc_tracked if movement.kind == "tracked" else network.edge_mlc_wheeled
    own = _fits(
        network,
        edge_mlc,
        movement.mlc,
        movement.height_m,
        movement.mass_t,
        movement.width_m,
        movement.axle_load_t,
        rules,
        relax,
        movement.kind,
    )
    if not movement.own_on_roads:
        own[:] = False  # e.g. tracked vehicles move on public roads only on transporters
    carried = np.zeros(len(mode), dtype=bool)
    if movement.transporter is not None:
        # Axle loads of a loaded transporter are not published: only its class, height, width and mass bind.
        carried = _fits(
            network,
            network.edge_mlc_wheeled,
            movement.transport_mlc,
            movement.transport_height_m,
            movement.transport_gross_t,
            movement.transport_width_m,
            None,
            rules,
            relax,
            "wheeled",
        )
    out = np.full(len(mode), "", dtype=object)
    out[is_land & carried] = TRANSPORTER
    out[is_land & own] = OWN
    # On the Channel Tunnel shuttle the vehicle (or its transporter) rides the train.
    out[(mode == "tunnel") & (out == OWN)] = SHUTTLE
    out[(mode == "tunnel") & (out == TRANSPORTER)] = SHUTTLE + "+" + TRANSPORTER
    if movement.rail_ok or relax.weight:
        out[mode == "rail"] = RAIL
    sea_ok = np.isnan(network.edge_max_weight) | relax.weight
    if movement.mass_t is not None:
        sea_ok = sea_ok | (movement.mass_t <= np.nan_to_num(network.edge_max_weight, nan=math.inf))
    out[(mode == "sea") & sea_ok] = SHIP
    return out
