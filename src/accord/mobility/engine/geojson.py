"""A plan's route as GeoJSON (RFC 7946): one LineString per leg, Points for transfers."""

from __future__ import annotations

from typing import Any

from .network import Network


def plan_geojson(plan: dict[str, Any], network: Network) -> dict[str, Any]:
    features: list[dict[str, Any]] = []
    for packet in plan["packets"]:
        names = ", ".join(f"{v['name']} x{v['count']}" for v in packet["vehicles"])
        for leg in packet["legs"]:
            if leg["kind"] == "leg":
                a, b = network.node(leg["from"]), network.node(leg["to"])
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {"type": "LineString", "coordinates": [[a.lon, a.lat], [b.lon, b.lat]]},
                        "properties": {
                            "packet": packet["packet"],
                            "vehicles": names,
                            "mode": leg["mode"],
                            "carriage": leg["carriage"],
                            "edge": leg["edge"],
                            "from": leg["from"],
                            "to": leg["to"],
                            "distance_km": leg["distance_km"],
                            "start": leg["start"],
                            "end": leg["end"],
                        },
                    }
                )
            else:
                node = network.node(leg["at"])
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [node.lon, node.lat]},
                        "properties": {
                            "packet": packet["packet"],
                            "vehicles": names,
                            "transfer": leg["what"],
                            "at": leg["at"],
                            "start": leg["start"],
                            "end": leg["end"],
                        },
                    }
                )
    for role, node_id in (("origin", plan["request"]["from"]), ("destination", plan["request"]["to"])):
        node = network.node(node_id)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [node.lon, node.lat]},
                "properties": {"role": role, "node": node.id, "name": node.name},
            }
        )
    return {"type": "FeatureCollection", "features": features}
