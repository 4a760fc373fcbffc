"""Mobility engine: pure Python, imports no Django.

Modules, in the order a plan uses them:

- ``network``: the strategic network (nodes, edges) loaded from versioned data;
- ``vehicles``: the vehicle catalogue and the ``"Challenger 3:14,MAN HX60:40"`` list;
- ``mlc``: Military Load Classification (STANAG 2021) rules;
- ``carriage``: how a vehicle may cross an edge (own wheels/tracks, transporter, rail, ship);
- ``routing``: per-vehicle-class filtered CSR graphs and scipy shortest paths;
- ``timing``: convoy timing (march units, gaps, speeds, driving limits, halts);
- ``workdays`` and ``permissions``: lead times and submission deadlines by regime;
- ``planner``: the whole plan; ``geojson``: the route as GeoJSON;
- ``osm_import``: a finer network from an OpenStreetMap extract.
"""
