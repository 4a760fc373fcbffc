"""REST API of the commitments capability (mounted at /api/v1/commitments/)."""

from ninja import Router

router = Router(tags=["Commitments"])
