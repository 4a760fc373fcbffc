"""Tile-free, server-rendered SVG: the network with a route on it, and a per-state timeline.

No tiles, no JavaScript, no inline style (colours are SVG presentation
attributes, so the Content-Security-Policy holds). Each picture has a title
and description; pages give the same facts as tables.
"""

from __future__ import annotations

import datetime as dt
import math
from html import escape

from django.utils.safestring import SafeString, mark_safe

from accord.mobility.engine.network import Network
from accord.web.charts import BLACK, BLUE, GREEN, GREY, LIGHT_GREY, ORANGE, RED

PACKET_COLOURS = (RED, BLUE, GREEN, ORANGE, "#912b88", "#28a197")
MODE_DASH = {"road": "", "rail": "6 3", "sea": "2 4", "tunnel": "1 2"}


def route_map(network: Network, plan: dict | None, *, width: int = 900, map_id: str = "route-map") -> SafeString:
    """The network in light grey, the route's legs in colour (one per packet), origin and destination named."""
    lats = [n.lat for n in network.nodes]
    lons = [n.lon for n in network.nodes]
    mid = math.radians((min(lats) + max(lats)) / 2)
    # Equirectangular projection around the network's middle latitude: good enough at this scale.
    x0, x1 = min(lons) * math.cos(mid), max(lons) * math.cos(mid)
    y0, y1 = min(lats), max(lats)
    pad = 12
    scale = (width - 2 * pad) / (x1 - x0)
    height = int((y1 - y0) * scale + 2 * pad)

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return pad + (lon * math.cos(mid) - x0) * scale, pad + (y1 - lat) * scale

    title = (
        "Strategic mobility network"
        if plan is None
        else (f"Route from {network.node(plan['request']['from']).name} to {network.node(plan['request']['to']).name}")
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="accord-map" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{map_id}-title {map_id}-desc">',
        f'<title id="{map_id}-title">{escape(title)}</title>',
        f'<desc id="{map_id}-desc">Grey lines are the network (solid road, dashed rail, dotted sea); coloured lines '
        f"are the route, one colour per packet of vehicles. The legs are listed in the table below.</desc>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f3f2f1"/>',
    ]
    for e in network.edges:
        a, b = network.node(e.a), network.node(e.b)
        (ax, ay), (bx, by) = xy(a.lat, a.lon), xy(b.lat, b.lon)
        dash = f' stroke-dasharray="{MODE_DASH[e.mode]}"' if MODE_DASH[e.mode] else ""
        parts.append(
            f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="{LIGHT_GREY}" stroke-width="1"{dash}/>'
        )
    for n in network.nodes:
        x, y = xy(n.lat, n.lon)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.6" fill="{GREY}"><title>{escape(n.name)} ({n.country})</title></circle>'
        )
    if plan is not None:
        for i, packet in enumerate(plan["packets"]):
            colour = PACKET_COLOURS[i % len(PACKET_COLOURS)]
            for leg in packet["legs"]:
                if leg["kind"] != "leg":
                    continue
                a, b = network.node(leg["from"]), network.node(leg["to"])
                (ax, ay), (bx, by) = xy(a.lat, a.lon), xy(b.lat, b.lon)
                dash = f' stroke-dasharray="{MODE_DASH[leg["mode"]]}"' if MODE_DASH[leg["mode"]] else ""
                parts.append(
                    f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="{colour}" stroke-width="3"{dash} '
                    f'data-leg="{escape(leg["edge"])}"><title>{escape(leg["from_name"])} – {escape(leg["to_name"])} '
                    f"({leg['mode']}, {leg['carriage']})</title></line>"
                )
        for role, node_id in (("Origin", plan["request"]["from"]), ("Destination", plan["request"]["to"])):
            n = network.node(node_id)
            x, y = xy(n.lat, n.lon)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{BLACK}"/>')
            # Labels near the right edge run leftwards, so they are not cut off.
            anchor, dx = ("end", -7) if x > width * 0.7 else ("start", 7)
            parts.append(
                f'<text x="{x + dx:.1f}" y="{y + 4:.1f}" font-size="13" font-family="sans-serif" '
                f'text-anchor="{anchor}" fill="{BLACK}">{role}: {escape(n.name)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def state_timeline(states: list[dict], *, width: int = 900, chart_id: str = "timeline") -> SafeString:
    """One row per state: the time on its territory as a bar, the request deadline as a red mark."""
    if not states:
        return mark_safe("")
    times = []
    for s in states:
        times += [dt.datetime.fromisoformat(s["entry"][:16]), dt.datetime.fromisoformat(s["exit"][:16])]
        if s.get("latest_submission"):
            times.append(dt.datetime.fromisoformat(s["latest_submission"][:16]))
    start, end = min(times), max(times)
    span = max((end - start).total_seconds(), 3600.0)
    label_w, pad, row_h = 70, 10, 26
    plot_w = width - label_w - 2 * pad
    height = pad * 2 + row_h * len(states) + 20

    def x(t: dt.datetime) -> float:
        return label_w + pad + (t - start).total_seconds() / span * plot_w

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="accord-chart" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">Timeline per state</title>',
        f'<desc id="{chart_id}-desc">For each state crossed, a blue bar from entry to exit and a red mark at the latest '
        f"date to submit the permission request, from {start.day} {start:%B %Y} to {end.day} {end:%B %Y} (local times). The table below gives the same dates.</desc>",
    ]
    for i, s in enumerate(states):
        y = pad + i * row_h
        a, b = x(dt.datetime.fromisoformat(s["entry"][:16])), x(dt.datetime.fromisoformat(s["exit"][:16]))
        parts.append(
            f'<text x="{pad}" y="{y + 16}" font-size="13" font-family="sans-serif" fill="{BLACK}">{escape(s["state"])}</text>'
        )
        parts.append(f'<rect x="{a:.1f}" y="{y + 4}" width="{max(b - a, 2):.1f}" height="{row_h - 10}" fill="{BLUE}"/>')
        if s.get("latest_submission"):
            d = x(dt.datetime.fromisoformat(s["latest_submission"][:16]))
            parts.append(
                f'<rect x="{d - 1.5:.1f}" y="{y + 1}" width="3" height="{row_h - 4}" fill="{RED}">'
                f"<title>{escape(s['state'])}: submit by {_plain_day(s['latest_submission'])}</title></rect>"
            )
    parts.append(
        f'<text x="{label_w + pad}" y="{height - 4}" font-size="12" font-family="sans-serif" fill="{GREY}">{start.day} {start:%b %Y}</text>'
    )
    parts.append(
        f'<text x="{width - pad}" y="{height - 4}" font-size="12" font-family="sans-serif" fill="{GREY}" text-anchor="end">{end.day} {end:%b %Y}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _plain_day(text: str) -> str:
    d = dt.date.fromisoformat(str(text)[:10])
    return f"{d.day} {d:%B %Y}"
