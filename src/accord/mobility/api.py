"""REST API of the mobility capability (mounted at /api/v1/mobility/)."""

from ninja import Router

router = Router(tags=["Mobility"])
