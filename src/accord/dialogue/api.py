"""REST API of the dialogue capability (mounted at /api/v1/dialogue/)."""

from ninja import Router

router = Router(tags=["Dialogue"])
