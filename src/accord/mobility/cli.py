"""CLI commands of the mobility capability: ``accord move`` and ``accord network``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from rich.table import Table

from accord.errors import InputError, Problem
from accord.platform.clitools import (
    EXIT_BAD_INPUT,
    active_user,
    console,
    emit_json,
    err_console,
)

move_app = typer.Typer(
    help="Plan military movements: routes, convoy timing, permission deadlines.", no_args_is_help=True
)
network_app = typer.Typer(help="The strategic mobility network (nodes, edges).", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    """Add this capability's command groups to the root `accord` command."""
    root.add_typer(move_app, name="move")
    root.add_typer(network_app, name="network")
    from .deploy_cli import register_deploy  # `accord move deploy` (issue 14)

    register_deploy(move_app)


def _fail_problems(problems: list[Problem]) -> None:
    for p in problems:
        err_console.print(f"[bold red]Error:[/] {p}", highlight=False)
    raise typer.Exit(EXIT_BAD_INPUT)


def parse_when(text: str, field: str) -> dt.date | dt.datetime:
    """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``."""
    try:
        return dt.datetime.fromisoformat(text) if "T" in text or " " in text.strip() else dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            Problem(f"{text!r} is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM)", field=field)
        ) from None


def parse_states(text: str | None, field: str) -> frozenset[str]:
    return frozenset(s.strip().upper() for s in (text or "").split(",") if s.strip())


def _network(network_dir: Path | None, params, on: dt.date):
    from .engine.network import load_network
    from .engine.planner import default_network

    if network_dir is None:
        return default_network(params, on)
    return load_network(network_dir, detour=dict(params.value("mobility.network.detour_factor", on)))


SCENARIOS_DIR = Path(__file__).resolve().parent.parent / "rules" / "mobility" / "scenarios"


def _scenario(params, name: str | None):
    """Apply a scenario (parameter overrides on a copy of the baseline)."""
    from accord.rules.parameters import ParameterError, load_scenario

    if not name:
        return params
    try:
        return load_scenario(params, name, builtin_dir=SCENARIOS_DIR)
    except ParameterError as exc:
        raise InputError(Problem(str(exc), field="scenario", item=name)) from None


@move_app.command("plan")
def plan_command(
    origin: str = typer.Option(..., "--from", help="Origin node id (see `accord network export --json`)."),
    destination: str = typer.Option(..., "--to", help="Destination node id."),
    depart: str = typer.Option(..., "--depart", help="Departure date YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM (UTC)."),
    vehicles: str = typer.Option(..., "--vehicles", help='Vehicles and counts, e.g. "Challenger 3:14,MAN HX60:40".'),
    mode: str = typer.Option("any", "--mode", help="road | rail | any"),
    regime: str = typer.Option("current", "--regime", help="current | proposed-2025"),
    emergency: bool = typer.Option(False, "--emergency", help="Plan under the emergency procedure."),
    filed_on: str | None = typer.Option(
        None,
        "--filed-on",
        help="Date the permission requests are filed (YYYY-MM-DD): gives the earliest feasible departure.",
    ),
    requesting_state: str | None = typer.Option(
        None, "--requesting-state", help="State requesting the movement (default: the origin's state)."
    ),
    pre_authorised: str | None = typer.Option(
        None,
        "--pre-authorised",
        help="States holding an annual EDA pre-authorisation for this low-impact movement, e.g. DE,PL.",
    ),
    avoid: str | None = typer.Option(
        None, "--avoid", help="States the route must not cross, e.g. PL (a re-plan after a refusal)."
    ),
    allow_sea: bool = typer.Option(
        False, "--allow-sea", help="With --mode rail: a sea leg may be used (otherwise rail never sails)."
    ),
    geojson: Path | None = typer.Option(None, "--geojson", help="Write the route as GeoJSON to this file."),
    network_dir: Path | None = typer.Option(
        None, "--network-dir", help="Plan on another network (a directory with nodes.csv and edges.csv)."
    ),
    scenario: str | None = typer.Option(
        None,
        "--scenario",
        help="Parameter overrides: a built-in scenario (conservative-roads, tracks-on-roads) or a YAML file.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """Plan a movement: legs, convoy timing, states crossed and permission deadlines."""
    from .engine.geojson import plan_geojson
    from .engine.planner import PlanRequest, plan, shipped_catalogue, validate_parts
    from .engine.rules import mobility_parameters

    try:
        params = _scenario(mobility_parameters(), scenario)
        problems = []
        when = filed = None
        try:
            when = parse_when(depart, "depart")
        except InputError as exc:
            problems += exc.problems
        try:
            filed = parse_when(filed_on, "filed_on") if filed_on else None
            if isinstance(filed, dt.datetime):
                filed = filed.date()
        except InputError as exc:
            problems += exc.problems
        if problems:
            # Report the other fields' problems too, checked on the latest network.
            latest = params["mobility.network.detour_factor"].values[-1][0]
            problems += validate_parts(
                _network(network_dir, params, latest), shipped_catalogue(), origin, destination, vehicles, mode, regime
            )
            raise InputError(problems)
        day = when.date() if isinstance(when, dt.datetime) else when
        network = _network(network_dir, params, day)
        request = PlanRequest(
            origin=origin,
            destination=destination,
            depart=when,
            vehicles=vehicles,
            mode=mode,
            regime=regime,
            emergency=emergency,
            filed_on=filed,
            requesting_state=(requesting_state or "").upper() or None,
            pre_authorised=parse_states(pre_authorised, "pre_authorised"),
            avoid_states=parse_states(avoid, "avoid"),
            allow_sea=allow_sea,
        )
        result = plan(request, network=network, params=params)
    except InputError as exc:
        _fail_problems(exc.problems)
        return
    if geojson is not None:
        try:
            geojson.write_text(
                json.dumps(plan_geojson(result, network), ensure_ascii=False, indent=1), encoding="utf-8"
            )
        except OSError as exc:
            _fail_problems([Problem(f"cannot write {str(geojson)!r}: {exc.strerror}", field="geojson")])
    if as_json:
        emit_json(result)
    else:
        print_plan(result)


def print_plan(result: dict) -> None:
    req = result["request"]
    console.print(
        f"[bold]Movement {req['from']} → {req['to']}[/]  departs {result['departure']}  arrives {result['arrival']}"
        f"  (regime {req['regime']}{', emergency' if req['emergency'] else ''}; local times with UTC offsets)"
    )
    for packet in result["packets"]:
        names = ", ".join(f"{v['name']} ×{v['count']} (MLC {v['mlc']})" for v in packet["vehicles"])
        table = Table(
            title=f"Packet {packet['packet']}: {names} — {packet['distance_km']} km, "
            f"{packet['march_units']} march unit(s), arrives {packet['arrival']}"
        )
        for col in ("Mode", "From", "To", "km", "Carriage", "Start", "End"):
            table.add_column(col)
        for leg in packet["legs"]:
            if leg["kind"] == "transfer":
                table.add_row("[italic]transfer[/]", leg["at_name"], leg["what"], "", "", leg["start"], leg["end"])
            else:
                table.add_row(
                    leg["mode"] + (f" {leg['gauge_mm']}" if leg["gauge_mm"] else ""),
                    leg["from_name"],
                    leg["to_name"],
                    f"{leg['distance_km']:.0f}",
                    leg["carriage"],
                    leg["start"],
                    leg["end"],
                )
        console.print(table)
    states = Table(title="States crossed and permissions")
    for col in ("State", "Entry", "Exit", "Lead time", "Basis", "Submit by", "Holidays skipped"):
        states.add_column(col)
    for s in result["states"]:
        p = s["permission"]
        if p is None:
            states.add_row(s["state"], s["entry"], s["exit"], "—", s["role"], "—", "")
            continue
        lt = p["lead_time"]
        states.add_row(
            s["state"],
            s["entry"],
            s["exit"],
            f"{lt['amount']:g} {lt['unit'].replace('_', ' ')}",
            lt["basis"],
            p["latest_submission"],
            ", ".join(f"{h['date']} {h['name']}" for h in p["holidays_skipped"]),
        )
    console.print(states)
    for i, alt in enumerate(result.get("alternatives") or [], start=1):
        via = ", ".join(alt["via"]) or "land only"
        console.print(
            f"Alternative {i}: arrives {alt['arrival']}, {alt['distance_km']:.0f} km, "
            f"{alt['states_crossed']} state(s) crossed ({', '.join(alt['states'])}); via {via}"
        )
    if "filing" in result:
        f = result["filing"]
        verdict = "feasible" if f["requested_departure_feasible"] else f"too late for {', '.join(f['states_too_late'])}"
        console.print(
            f"Filed on {f['filed_on']}: requested departure {verdict}; earliest feasible departure {f['earliest_departure']}"
        )
    a = result["assumptions"]
    console.print(
        f"[dim]Assumptions: {a['legs_with_assumed_mlc']} leg(s) rest on the assumed MLC {a['unknown_road_mlc']}; "
        f"{a['legs_with_computed_length']} leg length(s) computed from coordinates.[/]"
    )


@move_app.command("vehicles")
def vehicles_command(as_json: bool = typer.Option(False, "--json", help="Print the catalogue as JSON.")) -> None:
    """List the vehicle catalogue with load classes and sources."""
    from .engine.planner import shipped_catalogue
    from .engine.rules import mobility_parameters

    catalogue = shipped_catalogue()
    params = mobility_parameters()
    table_mlc = {int(k): v for k, v in params["mobility.mlc.tonnage_equivalents"].values[-1][1].items()}
    rows = []
    for v in catalogue.vehicles:
        mlc, basis = v.load_class(table_mlc)
        rows.append({**v.as_dict(), "mlc_used": mlc, "mlc_basis": basis})
    if as_json:
        emit_json({"vehicles": rows})
        return
    table = Table(title="Vehicle catalogue")
    for col in (
        "Name",
        "Nation",
        "Kind",
        "Mass t",
        "MLC",
        "Height m",
        "Width m",
        "Axle t",
        "Payload t",
        "Confidence",
        "Source",
    ):
        table.add_column(col)

    def num(value) -> str:
        return "unknown" if value is None else f"{value:g}"

    for r in rows:
        table.add_row(
            r["name"],
            r["nation"],
            r["kind"],
            num(r["mass_t"]),
            "" if r["mlc_used"] is None else str(r["mlc_used"]),
            num(r["height_m"]),
            num(r["width_m"]),
            "–" if r["kind"] == "tracked" else num(r["axle_load_t"]),
            "" if not r["transporter"] else num(r["payload_t"]),
            r["confidence"],
            r["source_title"],
        )
    console.print(table)


@network_app.command("export")
def export_command(
    as_json: bool = typer.Option(False, "--json", help="Print nodes and edges with all attributes as JSON."),
    on: str | None = typer.Option(
        None,
        "--on",
        help="Date whose detour factors compute unpublished lengths (default: first date of the parameter).",
    ),
    network_dir: Path | None = typer.Option(None, "--network-dir", help="Export another network directory."),
) -> None:
    """Export the strategic network."""
    import numpy as np

    from .engine.rules import mobility_parameters

    params = mobility_parameters()
    try:
        day = parse_when(on, "on") if on else params["mobility.network.detour_factor"].values[-1][0]
        day = day.date() if isinstance(day, dt.datetime) else day
        network = _network(network_dir, params, day)
    except InputError as exc:
        _fail_problems(exc.problems)
        return
    if as_json:
        emit_json(network.as_dict())
        return
    kinds, counts = np.unique(network.edge_mode, return_counts=True)  # a network of Europe: no record per edge
    modes = {str(m): int(c) for m, c in zip(kinds, counts, strict=True)}
    console.print(
        f"Network version {network.version}: {len(network.nodes)} nodes in {len(network.countries())} states; "
        f"edges: {', '.join(f'{m} {c}' for m, c in sorted(modes.items()))}. Use --json for every attribute."
    )


@network_app.command("compile")
def compile_command(
    network_dir: Path = typer.Argument(..., help="Directory with nodes.csv and edges.csv."),
    as_json: bool = typer.Option(False, "--json", help="Print a summary as JSON."),
) -> None:
    """Check a network's CSV files and write its columns (arrays/): later loads map them instead of parsing."""
    from .engine.rules import mobility_parameters

    missing = [name for name in ("nodes.csv", "edges.csv") if not (network_dir / name).is_file()]
    if missing:
        _fail_problems([Problem(f"no {name} in {network_dir}", field="network_dir") for name in missing])
    params = mobility_parameters()
    try:
        network = _network(network_dir, params, params["mobility.network.detour_factor"].values[-1][0])
    except InputError as exc:
        _fail_problems(exc.problems)
        return
    folder = network.save(network_dir)
    summary = {"nodes": len(network.nodes), "edges": len(network.edges), "arrays": str(folder)}
    if as_json:
        emit_json(summary)
    else:
        console.print(f"Wrote the columns of {len(network.nodes)} nodes and {len(network.edges)} edges to {folder}")


@network_app.command("import-osm")
def import_osm_command(
    file: Path = typer.Argument(..., help="OpenStreetMap extract (.osm or .osm.pbf)."),
    country: str = typer.Option(..., "--country", help="ISO 3166-1 alpha-2 code of the extract's state."),
    out: Path = typer.Option(..., "--out", help="Directory to write nodes.csv, edges.csv and VERSION."),
    default_gauge: int | None = typer.Option(
        None, "--default-gauge", help="Gauge (mm) for railways without a gauge tag."
    ),
    version: str = typer.Option("osm-import", "--version-label", help="Text written to VERSION."),
    as_json: bool = typer.Option(False, "--json", help="Print a summary as JSON."),
) -> None:
    """Build a finer network from an OpenStreetMap extract (honours mlc:*, maxheight, maxweight, maxwidth, maxaxleload, gauge)."""
    from .engine.osm_import import import_osm_arrays, write_network_arrays
    from .engine.rules import mobility_parameters

    params = mobility_parameters()
    mapping = params["mobility.osm.road_class_by_highway"].values[-1][1]
    if len(country.strip()) != 2:
        _fail_problems([Problem("country must be an ISO 3166-1 alpha-2 code", field="country", item=country)])
    try:
        arrays = import_osm_arrays(file, country=country, road_class_by_highway=mapping, default_gauge_mm=default_gauge)
    except InputError as exc:
        _fail_problems(exc.problems)
        return
    write_network_arrays(out, arrays, version)
    summary = {"nodes": arrays.n_nodes, "edges": arrays.n_edges, "out": str(out)}
    if as_json:
        emit_json(summary)
    else:
        console.print(f"Imported {arrays.n_nodes} nodes and {arrays.n_edges} edges into {out}")


# --- commands that read or change the database, as a named user --------------


def _db_call(fn):
    """Run a service call; input errors exit 2, policy refusals exit 2 with the reason, unseen records exit 2."""
    from accord.platform import policy

    try:
        return fn()
    except InputError as exc:
        _fail_problems(exc.problems)
    except policy.NotVisible:
        _fail_problems([Problem("no such movement request or permission that this user may see")])
    except policy.Forbidden as exc:
        _fail_problems([Problem(str(exc) or "forbidden")])


@move_app.command("submit")
def submit_command(
    user: str = typer.Option(..., "--user", help="Submit as this user (an editor of the requesting state; audited)."),
    origin: str = typer.Option(..., "--from"),
    destination: str = typer.Option(..., "--to"),
    depart: str = typer.Option(..., "--depart"),
    vehicles: str = typer.Option(..., "--vehicles"),
    mode: str = typer.Option("any", "--mode"),
    regime: str = typer.Option("current", "--regime"),
    emergency: bool = typer.Option(False, "--emergency"),
    title: str | None = typer.Option(None, "--title"),
    pre_authorised: str | None = typer.Option(
        None, "--pre-authorised", help="States whose stored pre-authorisation covers this low-impact movement."
    ),
    avoid: str | None = typer.Option(None, "--avoid", help="States the route must not cross."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Submit a movement request (stored; one permission per transit state). Refused when a deadline has passed."""
    from accord.platform.clitools import setup_django

    setup_django()
    from accord.mobility import services

    account = active_user(user)
    data = {
        "origin": origin,
        "destination": destination,
        "depart": depart,
        "vehicles": vehicles,
        "mode": mode,
        "regime": regime,
        "emergency": emergency,
        "title": title,
        "pre_authorised": sorted(parse_states(pre_authorised, "pre_authorised")),
        "avoid_states": sorted(parse_states(avoid, "avoid")),
    }
    movement = _db_call(lambda: services.create_movement(account, data))
    out = services.movement_dict(movement, account, with_plan=False)
    if as_json:
        emit_json(out)
    else:
        console.print(
            f"Movement request {out['id']} submitted: {', '.join(p['state'] for p in out['permissions'])} to decide."
        )


@move_app.command("requests")
def requests_command(
    user: str = typer.Option(..., "--user", help="List as this user: only what their state may see."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Movement requests the user's state may see, with each state's decision."""
    from accord.platform.clitools import setup_django

    setup_django()
    from accord.mobility import services

    account = active_user(user)
    rows = [services.movement_dict(m, account, with_plan=False) for m in services.movements_for(account)]
    if as_json:
        emit_json({"movements": rows})
        return
    table = Table(title="Movement requests")
    for col in ("Id", "Title", "Requesting", "Departs", "Status", "Permissions"):
        table.add_column(col)
    for m in rows:
        table.add_row(
            str(m["id"]),
            m["title"],
            m["requesting_state"],
            m["depart"][:16],
            m["status"],
            "; ".join(f"{p['state']}: {p['decision']}" for p in m["permissions"]),
        )
    console.print(table)


@move_app.command("decide")
def decide_command(
    movement_id: int = typer.Argument(..., help="Movement request id."),
    state: str = typer.Argument(..., help="The transit state whose permission is decided."),
    decision: str = typer.Option(..., "--decision", help="granted | granted_with_conditions | refused"),
    conditions: str = typer.Option("", "--conditions"),
    reason: str = typer.Option("", "--reason", help="Why the permission is refused (required for a refusal)."),
    user: str = typer.Option(..., "--user", help="Decide as this user (an approver of that state; audited)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Decide a transit state's permission for a movement request."""
    from accord.platform.clitools import setup_django

    setup_django()
    from accord.mobility import services

    account = active_user(user)
    permission = _db_call(
        lambda: services.decide(
            account, movement_id, state, {"decision": decision, "conditions": conditions, "reason": reason}
        )
    )
    out = services.movement_dict(permission.movement, account, with_plan=False)
    if as_json:
        emit_json(out)
    else:
        console.print(f"{state.upper()}: {decision}. Movement {movement_id} is {out['status']}.")


@move_app.command("pre-authorise")
def pre_authorise_command(
    beneficiary: str = typer.Option(
        ..., "--beneficiary", help="The state whose low-impact movements are pre-authorised."
    ),
    valid_from: str = typer.Option(..., "--from", help="First day (YYYY-MM-DD)."),
    valid_until: str = typer.Option(..., "--until", help="Last day (YYYY-MM-DD)."),
    reference: str = typer.Option("", "--reference", help="The reference of the national act."),
    user: str = typer.Option(..., "--user", help="An approver of the granting state (audited)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Store a state's annual pre-authorisation of low-impact movements by another state (EDA arrangement)."""
    from accord.platform.clitools import setup_django

    setup_django()
    from accord.mobility import services

    account = active_user(user)
    record = _db_call(
        lambda: services.grant_pre_authorisation(
            account,
            {"beneficiary": beneficiary, "valid_from": valid_from, "valid_until": valid_until, "reference": reference},
        )
    )
    out = services.pre_authorisation_dict(record)
    if as_json:
        emit_json(out)
    else:
        console.print(
            f"{out['granted_by_name']} pre-authorises low-impact movements of {out['beneficiary_name']} "
            f"from {out['valid_from']} to {out['valid_until']}."
        )
