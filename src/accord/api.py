"""The REST API root: /api/v1/. Every route needs a bearer token."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from accord.errors import InputError
from accord.platform import policy
from accord.platform.api_errors import install as install_unexpected_error_handler
from accord.platform.audit import acting_as


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        from accord.platform.tokens import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Accord API",
    version="1",
    description=(
        "Accord: tools for the UK-EU Security and Defence Partnership. "
        "Authenticate with `Authorization: Bearer <token>` (create one with "
        "`accord token create USERNAME`). Records you may not see answer 404."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)


install_unexpected_error_handler(api)


@api.exception_handler(InputError)
def _input_error(request, exc: InputError):
    return api.create_response(request, exc.as_dict(), status=422)


@api.exception_handler(NinjaValidationError)
def _request_shape_error(request, exc: NinjaValidationError):
    """Requests of the wrong shape get the same error list as engine input errors."""
    errors = []
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", ()) if part not in ("body", "payload", "query", "path")]
        errors.append({"message": err.get("msg", "invalid"), "field": ".".join(loc) or None, "line": None, "item": None})
    return api.create_response(request, {"errors": errors}, status=422)


@api.exception_handler(policy.NotVisible)
def _not_visible(request, exc):
    return api.create_response(request, {"detail": "Not found"}, status=404)


@api.exception_handler(policy.Forbidden)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


def audited(view):
    """Attribute audit entries written by an API view to the token's user."""
    import functools

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with acting_as(request.auth):
            return view(request, *args, **kwargs)

    return wrapper


api.add_router("/", import_module("accord.platform.api").router)
for _name, _prefix in [
    ("procurement", "safe"),
    ("mobility", "mobility"),
    ("missions", "missions"),
    ("dialogue", "dialogue"),
    ("commitments", "commitments"),
]:
    if _name in settings.CAPABILITIES:
        api.add_router(f"/{_prefix}/", import_module(f"accord.{_name}.api").router)
