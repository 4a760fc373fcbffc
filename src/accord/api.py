"""The REST API root: /api/v1/. Every route needs a bearer token."""

from __future__ import annotations

from importlib import import_module

from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from accord.errors import InputError, Problem
from accord.platform import policy
from accord.platform.api_errors import install as install_unexpected_error_handler
from accord.platform.audit import acting_as
from accord.platform.capabilities import capability_configs
from accord.rules.parameters import ParameterNotInForce


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        from accord.platform.tokens import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


ERROR_SCHEMAS = {
    "Problem": {
        "type": "object",
        "properties": {
            "message": {"type": "string"},
            "field": {"type": ["string", "null"]},
            "line": {"type": ["integer", "null"]},
            "item": {"type": ["string", "null"]},
        },
        "required": ["message"],
    },
    "Errors": {
        "type": "object",
        "properties": {"errors": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}}},
        "required": ["errors"],
    },
    "Detail": {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
}
# The error answers every operation may give, documented once for all of them.
ERROR_RESPONSES = {
    401: ("Detail", "No valid token: send `Authorization: Bearer <token>`."),
    403: ("Detail", "The calling user may not do this (their party or roles)."),
    404: ("Detail", "No such record, or one the calling user may not see (never confirmed either way)."),
    422: ("Errors", "The input was refused: each problem names its field (and line or item where there is one)."),
}
BODY_ERROR_RESPONSES = {
    413: ("Errors", "The request body is larger than this address accepts."),
}


class AccordAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in ERROR_SCHEMAS.items():
            components.setdefault(name, definition)
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                extra = {**ERROR_RESPONSES, **(BODY_ERROR_RESPONSES if method in ("post", "put", "patch") else {})}
                documented = {str(code) for code in operation["responses"]}
                for status, (ref, description) in extra.items():
                    if str(status) in documented:
                        continue
                    operation["responses"].setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
                        },
                    )
        return schema


api = AccordAPI(
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
    problems = []
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", ()) if part not in ("body", "payload", "query", "path")]
        problems.append(Problem(err.get("msg", "invalid"), field=".".join(loc) or None))
    return _input_error(request, InputError(problems))


@api.exception_handler(ParameterNotInForce)
def _rule_not_in_force(request, exc: ParameterNotInForce):
    """A date before (or after) a rule was in force is the caller's input, not a server fault."""
    return _input_error(request, InputError(f"{exc}; choose a date on which the rule is in force", field="on"))


@api.exception_handler(OverflowError)
def _date_out_of_range(request, exc: OverflowError):
    """Date arithmetic past year 1 or 9999 (e.g. 0001-01-01 minus a notice period)."""
    return _input_error(request, InputError(f"a date is out of the range that can be computed ({exc})"))


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
api.add_router("/jobs/", import_module("accord.background.api").router)
for _capability in capability_configs():
    if _capability.api_router:
        api.add_router(f"/{_capability.prefix}/", _capability.router())
