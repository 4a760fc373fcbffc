"""REST API of the procurement capability (mounted at /api/v1/safe/)."""

from ninja import Router

router = Router(tags=["Procurement"])
