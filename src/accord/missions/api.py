"""REST API of the missions capability (mounted at /api/v1/missions/)."""

from ninja import Router

router = Router(tags=["Missions"])
