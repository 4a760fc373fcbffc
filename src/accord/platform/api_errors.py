"""Unexpected API errors answered as JSON, like every other API error.

django-ninja re-raises an unhandled exception when DEBUG is off, and Django
then answers its HTML error page: an API client gets HTML it cannot read.
Here the error is logged with its traceback (for the operator) and the
client gets ``{"errors": [{"message": ...}]}`` with status 500 and nothing
about the cause.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("accord.api")

MESSAGE = "Something went wrong on our side. Try again later; if it happens again, tell the service desk."


def install(api) -> None:
    @api.exception_handler(Exception)
    def _unexpected(request, exc: Exception):
        from django.conf import settings
        from django.core.exceptions import (
            BadRequest,
            PermissionDenied,
            SuspiciousOperation,
        )
        from django.http import Http404

        if settings.DEBUG or isinstance(exc, (BadRequest, PermissionDenied, SuspiciousOperation, Http404)):
            # Django's own answers (400, 403, 404, 413) and the developer's traceback page.
            raise exc
        logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
        return api.create_response(
            request,
            {"errors": [{"message": MESSAGE, "field": None, "line": None, "item": None}]},
            status=500,
        )
